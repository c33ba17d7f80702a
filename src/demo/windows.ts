// Demo service windows (四推一诺): a few of the demo's window units get published service
// commitments (限时办结, 1–20 working days) and staff post cards (亮牌上岗). Runs first among
// the extras, so the ratings seeder finds these windows. Deterministic: a seeded Random only.
import { inArray } from 'drizzle-orm';
import { serviceCommitments, staffCards, units } from '../../db/schema.ts';
import type { DemoExtra } from './extras.ts';
import { createRandom } from './random.ts';

type Item = [item: string, standard: string, days: number];

/** Per unit slug: its service items. Units missing from the demo data are skipped. */
const WINDOWS: Record<string, Item[]> = {
  'shimin-fuwu': [
    ['企业设立登记', '申请材料齐全、符合法定形式的，当场受理；营业执照、公章、发票一窗发放。', 3],
    ['建设工程规划许可', '联合审图、并联审批，一次性告知需补正的全部材料。', 15],
    ['户外广告设置审批', '现场勘验与审批同步进行，结果短信告知。', 10],
    ['政府信息公开申请', '当场能答复的当场答复；不能当场答复的书面答复。', 15],
  ],
  cheguansuo: [
    ['机动车注册登记', '查验、登记、选号、制证一窗办理。', 1],
    ['机动车驾驶证换证', '材料齐全当场办结；可邮寄送达。', 1],
    ['机动车检验合格标志核发', '检验合格的当场核发。', 1],
    ['驾驶人考试预约', '网上、电话、窗口三种方式预约，按预约顺序安排考试。', 5],
  ],
  gongjijin: [
    ['住房公积金提取（购房）', '材料齐全当场审核，资金 3 个工作日内到账。', 3],
    ['住房公积金个人贷款', '受理后审批、签约、放款全程限时。', 15],
    ['缴存基数调整', '单位网上申报，窗口当日确认。', 1],
  ],
  shebao: [
    ['社会保障卡申领', '即时制卡网点当场领卡，其他网点限时寄送。', 5],
    ['养老保险关系转移接续', '转出、转入手续一次办理，不让群众两头跑。', 15],
    ['退休待遇核定', '材料齐全的，限时核定并书面告知。', 20],
  ],
  hunyin: [
    ['结婚登记', '当事人双方材料齐全的，当场登记、颁证。', 1],
    ['补领婚姻登记证', '本地档案可查的，当场补发。', 1],
    ['婚姻登记档案查询', '持本人身份证件当场查询、出具证明。', 1],
  ],
  redian: [
    ['新用户供热报装', '受理后现场勘察，出具供热方案。', 10],
    ['供热故障报修', '24 小时受理；城区 2 小时内到达现场。', 1],
    ['暂停供热申请', '供暖期开始前受理，现场确认后办理。', 5],
  ],
  gongshui: [
    ['新装用水申请', '资料齐全即受理，免费上门勘察设计。', 10],
    ['水表更换', '预约上门，当日换表。', 2],
    ['用水户名过户', '材料齐全当场办结。', 1],
  ],
};

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '高', '罗'];
const GIVEN = ['静', '敏', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '晓燕', '建华', '志强', '海燕', '丽娜', '文博', '雪梅', '国庆', '宏伟'];
const POSTS = ['综合受理窗口', '咨询引导台', '业务办理窗口', '审核岗', '出件窗口'];
const DUTIES = [
  '负责业务咨询、材料初审和受理，一次性告知办理要求。',
  '负责导办引导、预约取号，帮助老年人和行动不便群众办理业务。',
  '负责受理件的审核和办结，按时限出具办理结果。',
  '负责证照发放和邮寄送达，登记群众意见建议。',
];
const PROMISES = ['首问负责，一次告知，限时办结。', '微笑服务，有问必答，办事不过夜。', '不让群众多跑一趟路、多等一分钟。', '热情周到，依法办事，欢迎监督。'];

export const seedWindows: DemoExtra = async (db) => {
  const rnd = createRandom(20110605);
  const rows = db
    .select({ id: units.id, slug: units.slug })
    .from(units)
    .where(inArray(units.slug, Object.keys(WINDOWS)))
    .all();
  if (!rows.length) return;
  db.transaction((tx) => {
    tx.update(units)
      .set({ isServiceWindow: true })
      .where(
        inArray(
          units.id,
          rows.map((r) => r.id),
        ),
      )
      .run();
    for (const unit of rows) {
      WINDOWS[unit.slug].forEach(([item, standard, timeLimitWorkingDays], i) => {
        tx.insert(serviceCommitments).values({ unitId: unit.id, item, standard, timeLimitWorkingDays, sortOrder: i + 1 }).run();
      });
      const staff = rnd.int(2, 4);
      const names = new Set<string>();
      while (names.size < staff) names.add(rnd.pick(SURNAMES) + rnd.pick(GIVEN));
      [...names].forEach((name, i) => {
        tx.insert(staffCards)
          .values({
            unitId: unit.id,
            name,
            post: `${rnd.pick(POSTS)} ${i + 1} 号`,
            duties: rnd.pick(DUTIES),
            promise: rnd.pick(PROMISES),
            sortOrder: i + 1,
          })
          .run();
      });
    }
  });
};
