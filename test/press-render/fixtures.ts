// Notice documents for the renderer tests and the benchmark, built without a database: a few real
// units, titles of every length (including one far wider than any column) and both languages.
import { noticeLabels } from '../../src/press/render/labels.ts';
import type { NoticeDocument, NoticeGroup, NoticeRow } from '../../src/press/render/types.ts';

const UNITS_ZH = ['市水务局', '市公安局交通警察支队', '市城市管理局', '历下区人民政府', '市热力集团有限责任公司', '市住房和城乡建设局', '市生态环境局', '市教育局'];
const UNITS_EN = ['Water Bureau', 'Traffic Police Detachment', 'Urban Management Bureau', 'Lixia District Government', 'Heating Group', 'Housing Bureau', 'Ecology Bureau', 'Education Bureau'];
const TITLES_ZH = [
  '完成城区老旧供水管网改造',
  '解决泉城路沿线早晚高峰拥堵问题，优化信号配时',
  '年底前建成15处“口袋公园”，方便市民就近休闲',
  '推进背街小巷整治提升（第二批），全面完成路面修复、杆线规整、立面清洗和照明补缺，并建立长效管护机制，确保整治成果“不反弹、不回潮”，接受群众监督评议。',
  '供暖季室温不低于18℃',
];
const TITLES_EN = [
  'Replace the old water mains in the city centre',
  'Ease rush-hour congestion along Quancheng Road by retiming the signals',
  'Build 15 pocket parks by the end of the year',
  'Upgrade the back streets (second batch): resurface, tidy overhead cables, clean facades and fill lighting gaps, with a long-term maintenance scheme so the results last',
  'Keep homes at 18°C or warmer through the heating season',
];

export function makeRow(i: number, lang: 'zh-CN' | 'en', unit: string, base = 'https://pledges.example.org'): NoticeRow {
  const zh = lang === 'zh-CN';
  const titles = zh ? TITLES_ZH : TITLES_EN;
  const status = (['pledged', 'in_progress', 'delayed', 'completed', 'in_progress'] as const)[i % 5]!;
  const overdue = status === 'delayed';
  return {
    pledgeId: 1000 + i,
    title: `${titles[i % titles.length]}${i >= titles.length ? (zh ? `（${i}）` : ` (${i})`) : ''}`,
    commitment: zh
      ? '对照群众反映的突出问题，逐项制定整改方案，明确时间表和路线图，按月公开进展，接受社会监督。'
      : 'Draw up a fix for each problem residents reported, with a timetable, publish progress monthly and accept public scrutiny.',
    standard: zh ? '群众满意率达到90%以上，相关投诉量同比下降30%。' : 'Resident satisfaction of 90% or more; related complaints down 30% year on year.',
    tier: i % 7 === 0 ? 'major' : 'unit',
    dueOn: `2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`,
    startOn: '2026-01-15',
    status,
    overdue,
    completedLate: false,
    completedOn: status === 'completed' ? '2026-06-30' : null,
    progress: status === 'completed' ? 100 : (i * 17) % 95,
    leadUnitName: unit,
    coUnitNames: i % 3 === 0 ? (zh ? ['市财政局', '市自然资源和规划局'] : ['Finance Bureau', 'Planning Bureau']) : [],
    categoryName: zh ? '城市建设' : 'Urban development',
    districtName: zh ? '历下区' : 'Lixia',
    leadOfficial: zh ? '张三' : 'Zhang San',
    responsiblePerson: zh ? '李四' : 'Li Si',
    url: `${base}/pledges/${1000 + i}`,
    statusLabel: zh ? { pledged: '已承诺', in_progress: '推进中', delayed: '已逾期', completed: '已完成', cancelled: '已取消' }[status] : { pledged: 'Pledged', in_progress: 'In progress', delayed: 'Overdue', completed: 'Completed', cancelled: 'Cancelled' }[status],
  };
}

/** A notice of `count` pledges spread over `units` units (at most 8 distinct names, then numbered). */
export function makeNotice(count: number, opts: { language?: 'zh-CN' | 'en'; units?: number; corrects?: string | null } = {}): NoticeDocument {
  const language = opts.language ?? 'zh-CN';
  const zh = language === 'zh-CN';
  const unitCount = Math.max(1, Math.min(opts.units ?? 5, count));
  const names = zh ? UNITS_ZH : UNITS_EN;
  const groups: NoticeGroup[] = [];
  for (let u = 0; u < unitCount; u++) {
    const name = u < names.length ? names[u]! : `${names[u % names.length]}${zh ? `第${u}分局` : ` office ${u}`}`;
    groups.push({ unitName: name, rows: [] });
  }
  for (let i = 0; i < count; i++) {
    const g = groups[i % unitCount]!;
    g.rows.push(makeRow(i, language, g.unitName));
  }
  return {
    language,
    outletName: zh ? '济南日报' : 'Jinan Daily',
    outletKind: 'newspaper',
    campaignName: zh ? '2026年“作风建设年”公开承诺活动' : '2026 Public Pledges Campaign',
    issuingOffice: zh ? '中共济南市委办公厅' : 'General Office of the Municipal Committee',
    noticeNo: zh ? '第3号' : 'No. 3',
    edition: zh ? 'A4版' : 'Page A4',
    publishedOn: '2026-11-26',
    publishedOnLabel: zh ? '2026年11月26日' : '26 November 2026',
    title: zh ? '市直部门公开承诺事项公告' : 'Pledges of the city departments',
    corrects: opts.corrects ?? null,
    groups,
    total: count,
    labels: noticeLabels(language),
    publicUrl: 'https://pledges.example.org',
  };
}
