// A NoticeDocument built by hand, for the pure output tests.
import type { NoticeDocument, NoticeRow } from '../../src/press/render/types.ts';
import { noticeLabels } from '../../src/press/render/labels.ts';

export function row(over: Partial<NoticeRow> = {}): NoticeRow {
  const id = over.pledgeId ?? 1;
  return {
    pledgeId: id,
    title: '老旧供水管网改造',
    commitment: '完成20公里老旧管网改造',
    standard: '年底前通水',
    tier: 'unit',
    dueOn: '2026-11-26',
    startOn: '2026-01-01',
    status: 'in_progress',
    overdue: false,
    completedLate: false,
    completedOn: null,
    progress: 85,
    leadUnitName: '市水务局',
    coUnitNames: [],
    categoryName: '供水供气供暖',
    districtName: '历下区',
    leadOfficial: '张三',
    responsiblePerson: '李四',
    url: `https://pledges.example.gov.cn/pledges/${id}`,
    statusLabel: '推进中',
    ...over,
  };
}

export function doc(rows: NoticeRow[], over: Partial<NoticeDocument> = {}): NoticeDocument {
  const language = over.language ?? 'zh-CN';
  const groups = new Map<string, NoticeRow[]>();
  for (const r of rows) groups.set(r.leadUnitName, [...(groups.get(r.leadUnitName) ?? []), r]);
  return {
    language,
    outletName: '济南日报',
    outletKind: 'newspaper',
    campaignName: '深入基层、服务群众',
    issuingOffice: '活动领导小组办公室',
    noticeNo: '第3号',
    edition: 'A2',
    publishedOn: '2026-05-01',
    publishedOnLabel: '2026年5月1日',
    title: '承诺事项公告',
    corrects: null,
    groups: [...groups].map(([unitName, rows]) => ({ unitName, rows })),
    total: rows.length,
    labels: noticeLabels(language),
    publicUrl: 'https://pledges.example.gov.cn',
    ...over,
  };
}
