// Demo suggestions (建言献策): on pledges, on units and on the campaign, in every moderation
// state (pending, published, rejected with a reason), many published ones with the unit's
// public answer. The demo accounts' units get some of each, so signing in as shuiwu shows a
// queue to answer. Deterministic: a seeded Random and days counted back from `today`.
import type { DemoExtra } from './extras.ts';
import { createRandom, type Random } from './random.ts';
import { addDays, instantOn } from './days.ts';

const SEED = 0x5a6e57;
const COUNT = 90;

const OPENINGS = ['建议', '希望', '能否', '恳请', '提个建议：'];
const ASKS: Record<'pledge' | 'unit' | 'campaign', string[]> = {
  pledge: [
    '施工期间在路口设置明显的绕行指示牌，晚上加装警示灯',
    '在小区公告栏张贴施工进度和完工时间，方便居民安排出行',
    '完工后请邀请居民代表参与验收，听听大家的意见',
    '夜间22点以后停止高噪音作业，照顾附近老人和学生休息',
    '把停水停气等影响提前三天通知到每个楼栋长',
    '施工围挡占用的人行道留出至少一米宽的通道，方便轮椅和婴儿车通过',
    '进度更新时多配几张现场照片，让大家看到实际变化',
    '工程完工后把路面恢复到原来的平整程度，不要留下坑洼',
  ],
  unit: [
    '在办事大厅增设老年人专用窗口，并配备老花镜和放大镜',
    '网上办事平台的操作指引写得再通俗一些，最好配上视频',
    '周末开放半天服务，方便上班族办理业务',
    '热线电话接通太难，建议高峰时段增加接线人员',
    '把常见问题的答复整理成清单公开在网站上',
    '办理结果通过短信及时告知，不用群众来回跑',
    '窗口工作人员的服务态度整体不错，希望继续保持',
  ],
  campaign: [
    '每季度召开一次群众评议会，请承诺单位当面汇报进展',
    '公示台能否增加按街道查询的功能，方便大家找到身边的事项',
    '逾期事项应当在首页醒目位置公开，并说明原因',
    '承诺事项完成后半年回访一次，看看效果是否持续',
    '建议把群众满意度纳入单位年度考核',
  ],
};
const CLOSINGS = ['。谢谢！', '。', '，辛苦了。', '，期待答复。', '。盼早日落实。'];
const NAMES = ['', '', '', '老王', '历下居民', '热心市民', '张先生', '李女士', '退休教师', '快递小哥', '泉城人', '社区志愿者'];
const CONTACTS = ['', '', '138****0000', 'citizen@example.cn'];
const REPLIES = [
  '感谢您的建议。我们已将此项要求写入施工管理措施，并安排专人每日检查落实情况。',
  '您的建议很有价值，已在本周工作例会上研究，下月起实施。',
  '已采纳。相关通知将提前三天在小区公告栏和业主群同步发布。',
  '感谢关注。该事项涉及多个部门，我们已牵头协调，进展将在本页及时更新。',
  '您反映的情况已转交具体承办科室办理，办理结果将在十个工作日内公开。',
  '谢谢您的肯定和鼓励，我们会继续改进服务。',
];
const OFFICE_REPLIES = ['感谢建议。活动办公室已将此建议提交领导小组研究，研究结果将在本站公布。', '已采纳。自下季度起每季度在本站发布一次进展通报。'];
const REJECT_REASONS = ['含有广告推广内容', '与本活动无关，已建议通过12345热线反映', '包含他人电话号码等个人信息，请去除后重新提交', '与已公开的建议内容重复', '含有不文明用语'];
const REJECTED_TEXTS = ['加微信了解优惠装修套餐，全城最低价，详情咨询！！！', '我家楼上邻居太吵了，请管一管', '某某小区3号楼张某某电话1390000xxxx经常乱停车', '建议活动每季度召开群众评议会', '这些部门都是***，说了也白说'];

function compose(random: Random, kind: 'pledge' | 'unit' | 'campaign'): string {
  return random.pick(OPENINGS) + random.pick(ASKS[kind]) + random.pick(CLOSINGS);
}

export const seedSuggestions: DemoExtra = async (db, ctx) => {
  const random = createRandom(SEED);
  const sqlite = db.$client;
  const campaign = sqlite.prepare('SELECT id FROM campaigns ORDER BY starts_on DESC, id DESC LIMIT 1').get() as { id: number } | undefined;
  if (!campaign) return;
  const admin = sqlite.prepare("SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1").get() as { id: number } | undefined;
  const editors = sqlite.prepare("SELECT id, unit_id AS unitId FROM users WHERE role = 'unit' AND unit_id IS NOT NULL ORDER BY id").all() as { id: number; unitId: number }[];
  const editorOf = new Map(editors.map((e) => [e.unitId, e.id]));
  const demoUnits = editors.map((e) => e.unitId);
  const pledges = sqlite
    .prepare("SELECT id, lead_unit_id AS unitId FROM pledges WHERE campaign_id = ? AND status <> 'draft' ORDER BY id")
    .all(campaign.id) as { id: number; unitId: number }[];
  const units = sqlite.prepare('SELECT id FROM units WHERE active = 1 ORDER BY id').all() as { id: number }[];
  if (!pledges.length || !units.length) return;
  // The demo accounts' own pledges first, so their workspace has suggestions to answer.
  const ownPledges = pledges.filter((p) => demoUnits.includes(p.unitId));

  const insert = sqlite.prepare(
    `INSERT INTO suggestions (campaign_id, target_kind, pledge_id, unit_id, author_name, author_contact, body, status, reject_reason,
       moderated_by, moderated_at, reply, reply_unit_id, replied_by, replied_at, address_key, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  sqlite.transaction(() => {
    for (let i = 0; i < COUNT; i++) {
      const roll = random.next();
      const kind: 'pledge' | 'unit' | 'campaign' = roll < 0.6 ? 'pledge' : roll < 0.85 ? 'unit' : 'campaign';
      let pledgeId: number | null = null;
      let unitId: number | null = null;
      if (kind === 'pledge') {
        const p = ownPledges.length && random.chance(0.5) ? random.pick(ownPledges) : random.pick(pledges);
        pledgeId = p.id;
        unitId = p.unitId;
      } else if (kind === 'unit') {
        unitId = demoUnits.length && random.chance(0.5) ? random.pick(demoUnits) : random.pick(units).id;
      }
      const daysAgo = random.int(0, 75);
      const createdAt = instantOn(addDays(ctx.today, -daysAgo), random.int(0, 600));
      // The latest come in pending (the office has not got to them yet); a few are turned down.
      const state = daysAgo <= 4 || random.chance(0.1) ? 'pending' : random.chance(0.12) ? 'rejected' : 'published';
      const rejectedIndex = random.int(0, REJECT_REASONS.length - 1);
      const body = state === 'rejected' ? REJECTED_TEXTS[rejectedIndex] : compose(random, kind);
      const moderatedAt = state === 'pending' ? null : instantOn(addDays(ctx.today, -Math.max(0, daysAgo - random.int(1, 3))), random.int(0, 600));
      let reply = '';
      let replyUnitId: number | null = null;
      let repliedBy: number | null = null;
      let repliedAt: string | null = null;
      if (state === 'published' && daysAgo > 7 && random.chance(0.65)) {
        reply = kind === 'campaign' ? random.pick(OFFICE_REPLIES) : random.pick(REPLIES);
        replyUnitId = unitId;
        repliedBy = (unitId !== null ? editorOf.get(unitId) : undefined) ?? admin?.id ?? null;
        repliedAt = instantOn(addDays(ctx.today, -Math.max(0, daysAgo - random.int(4, 8))), random.int(0, 600));
      }
      insert.run(
        campaign.id,
        kind,
        pledgeId,
        unitId,
        random.pick(NAMES),
        random.pick(CONTACTS),
        body,
        state,
        state === 'rejected' ? REJECT_REASONS[rejectedIndex] : '',
        state === 'pending' ? null : (admin?.id ?? null),
        moderatedAt,
        reply,
        replyUnitId,
        repliedBy,
        repliedAt,
        `198.51.100.${random.int(1, 254)}`,
        createdAt,
      );
    }
  })();
};
