// Writes the sample hotline exports under data/samples/ (npm run samples): one GBK CSV as
// Chinese Excel saves it, one UTF-8 CSV (with BOM) overlapping it by 50 tickets, both with the
// demo's district and category names and a few rows the import must refuse. Deterministic:
// the same bytes every run, so the committed files can be regenerated and compared.
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { createRandom } from '../demo/random.ts';
import { projectPath } from '../paths.ts';

const outDir = projectPath('data', 'samples');

const DISTRICTS = ['历下区', '市中区', '槐荫区', '天桥区', '历城区', '长清区', '平阴县', '济阳县', '商河县', '章丘市'];
const PROBLEMS: [string, string][] = [
  ['供水', '小区自来水水压不足，高层住户白天经常没水'],
  ['供暖', '冬季供暖温度不达标，室内只有十五度左右'],
  ['环境', '小区门口垃圾堆放多日无人清运'],
  ['交通', '学校门口上下学时段拥堵严重，缺少交警疏导'],
  ['交通', '路口红绿灯时间太短，老人过马路来不及'],
  ['物价', '农贸市场蔬菜价格比周边高出不少'],
  ['住房', '老旧小区屋顶漏水，多次反映未解决'],
  ['医疗', '社区卫生服务站医生太少，看病要排很久'],
  ['安全', '路灯坏了一个月，晚上很黑不安全'],
  ['效能', '办理营业执照要跑好几个窗口'],
];
const ROADS = ['经十路', '泉城路', '解放路', '历山路', '文化东路', '和平路', '山大路', '花园路'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
const GIVEN = ['建国', '秀英', '志强', '丽娟', '海波', '玉兰', '国庆', '淑珍', '明', '芳'];
const HEADER = ['工单编号', '来电时间', '诉求内容', '所属区县', '问题类别', '联系电话', '来电人', '地址', '来源'];

function rows(from: number, to: number): string[][] {
  const out: string[][] = [];
  for (let i = from; i <= to; i++) {
    // Seeded by the ticket, so a ticket in both files is the same row in both.
    const rng = createRandom(20250301 + i);
    const [category, problem] = rng.pick(PROBLEMS);
    const day = 1 + ((i * 7) % 28);
    out.push([
      `RX2025030${String(i).padStart(5, '0')}`,
      `2025-03-${String(day).padStart(2, '0')} ${String(8 + rng.int(0, 10)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:00`,
      problem + (rng.chance(0.2) ? `，联系电话1${rng.pick(['39', '58', '86'])}${String(rng.int(0, 99_999_999)).padStart(8, '0')}` : ''),
      rng.pick(DISTRICTS),
      category,
      `1${rng.pick(['39', '58', '86', '37'])}${String(rng.int(0, 99_999_999)).padStart(8, '0')}`,
      rng.pick(SURNAMES) + rng.pick(GIVEN),
      `${rng.pick(ROADS)}${rng.int(1, 300)}号${rng.int(1, 20)}号楼`,
      '市12345热线',
    ]);
  }
  return out;
}

function csv(table: string[][]): string {
  return table.map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n') + '\r\n';
}

const gbkRows = rows(1, 200);
// What a real export holds now and then: a row without content, a ticket twice, a time nobody can read.
gbkRows[40][2] = '';
gbkRows[41][0] = gbkRows[40][0];
gbkRows[42][1] = '三月五号上午';
const utf8Rows = rows(151, 300);

fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'hotline-2025-03-gbk.csv'), iconv.encode(csv([HEADER, ...gbkRows]), 'gbk'));
fs.writeFileSync(path.join(outDir, 'hotline-2025-03-utf8.csv'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv([HEADER, ...utf8Rows]), 'utf8')]));
console.log(`wrote ${outDir}/hotline-2025-03-gbk.csv (200 rows, GBK) and hotline-2025-03-utf8.csv (150 rows, UTF-8; tickets 151–200 in both)`);
