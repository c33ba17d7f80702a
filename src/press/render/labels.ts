// Every heading and label a press output prints, in the notice's language. The builder copies this
// into NoticeDocument.labels so a published snapshot keeps the words it was printed with even if
// these strings change later. Both languages carry the same keys (checked by a test).

export type NoticeLanguage = 'zh-CN' | 'en';

const zh = {
  notice: '公告',
  noticeTitle: '承诺事项公告',
  issuingOffice: '发布单位',
  date: '发布日期',
  noticeNo: '公告编号',
  edition: '版次',
  outlet: '刊播媒体',
  campaign: '活动',
  corrects: '更正',
  correctsNotice: '本公告更正',
  commitment: '承诺内容',
  standard: '完成标准',
  deadline: '完成时限',
  startOn: '开始日期',
  responsibleUnit: '责任单位',
  leadUnit: '牵头单位',
  coUnits: '配合单位',
  leadOfficial: '分管负责人',
  responsiblePerson: '责任人',
  category: '类别',
  district: '区县',
  tier: '层级',
  tierMajor: '市级重点',
  tierUnit: '单位承诺',
  status: '状态',
  progress: '进度',
  completedOn: '完成日期',
  overdue: '已逾期',
  completedLate: '逾期完成',
  scanToFollow: '扫码关注此项承诺',
  followAll: '全部承诺事项及最新进展请访问',
  continued: '（续）',
  page: '第{n}页',
  pageOf: '第{n}页 / 共{total}页',
  pledgeCount: '共{n}项承诺',
  pledgesN: '{n}项承诺',
  unitCount: '{n}个单位',
  itemNo: '第{n}项',
  summaryCard: '单位承诺汇总',
  summaryTotal: '承诺总数',
  summaryOnTime: '按期推进',
  summaryOverdue: '已逾期',
  summaryCompleted: '已完成',
  summaryTopItems: '重点事项',
  summaryMore: '另有{n}项',
  titleCard: '承诺事项公告',
  source: '来源',
} as const;

export type NoticeLabelKey = keyof typeof zh;

const en: Record<NoticeLabelKey, string> = {
  notice: 'Notice',
  noticeTitle: 'Public notice of pledges',
  issuingOffice: 'Issued by',
  date: 'Date',
  noticeNo: 'Notice no.',
  edition: 'Edition',
  outlet: 'Outlet',
  campaign: 'Campaign',
  corrects: 'Correction',
  correctsNotice: 'This notice corrects',
  commitment: 'Commitment',
  standard: 'Standard',
  deadline: 'Deadline',
  startOn: 'Start',
  responsibleUnit: 'Responsible unit',
  leadUnit: 'Lead unit',
  coUnits: 'Co-units',
  leadOfficial: 'Official in charge',
  responsiblePerson: 'Responsible person',
  category: 'Category',
  district: 'District',
  tier: 'Tier',
  tierMajor: 'City-level major item',
  tierUnit: 'Unit pledge',
  status: 'Status',
  progress: 'Progress',
  completedOn: 'Completed on',
  overdue: 'Overdue',
  completedLate: 'Completed late',
  scanToFollow: 'Scan to follow this pledge',
  followAll: 'Follow every pledge and its latest progress at',
  continued: '(continued)',
  page: 'Page {n}',
  pageOf: 'Page {n} of {total}',
  pledgeCount: '{n} pledges in total',
  pledgesN: '{n} pledges',
  unitCount: '{n} units',
  itemNo: 'Item {n}',
  summaryCard: 'Unit summary',
  summaryTotal: 'Pledges',
  summaryOnTime: 'On time',
  summaryOverdue: 'Overdue',
  summaryCompleted: 'Completed',
  summaryTopItems: 'Key items',
  summaryMore: '{n} more',
  titleCard: 'Public notice of pledges',
  source: 'Source',
};

const tables: Record<NoticeLanguage, Record<NoticeLabelKey, string>> = { 'zh-CN': zh, en };

/** A fresh copy (callers may store it in a snapshot). */
export function noticeLabels(language: NoticeLanguage): Record<string, string> {
  return { ...tables[language] };
}

/**
 * A label from a document's stored labels, with `{name}` placeholders filled. Falls back to the
 * current table for keys an older snapshot didn't have, so old publications still re-render.
 */
export function label(
  labels: Record<string, string>,
  language: NoticeLanguage,
  key: NoticeLabelKey,
  vars: Record<string, string | number> = {},
): string {
  const text = labels[key] ?? tables[language][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}
