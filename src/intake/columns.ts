// The columns of a hotline export we know, by the names hotline systems give them in Chinese
// and English. A header matches after case, spaces and punctuation are set aside.

export const IMPORT_FIELDS = ['externalRef', 'reportedAt', 'text', 'district', 'category', 'phone', 'name', 'address', 'contact', 'source'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export const REQUIRED_FIELDS: ImportField[] = ['externalRef', 'reportedAt', 'text'];

const ALIASES: Record<ImportField, string[]> = {
  externalRef: ['工单编号', '工单号', '工单编码', '受理编号', '受理号', '诉求编号', '编号', 'ticket no', 'ticket number', 'ticket', 'ticket id', 'case no', 'case number', 'ref', 'reference'],
  reportedAt: ['来电时间', '受理时间', '登记时间', '反映时间', '诉求时间', '时间', 'received at', 'received', 'call time', 'reported at', 'date', 'created'],
  text: ['诉求内容', '来电内容', '反映内容', '问题描述', '内容', '诉求', 'content', 'description', 'text', 'details', 'complaint'],
  district: ['所属区县', '区县', '所属区域', '区域', '所属区', '行政区', 'district', 'area', 'county'],
  category: ['问题类别', '诉求类别', '类别', '分类', '问题分类', '业务类别', 'category', 'type', 'topic'],
  phone: ['联系电话', '来电号码', '电话', '手机', '手机号', '联系号码', 'phone', 'telephone', 'mobile', 'phone number'],
  name: ['来电人', '来电人姓名', '姓名', '联系人', '市民姓名', '反映人', 'caller', 'caller name', 'name', 'citizen'],
  address: ['地址', '事发地址', '详细地址', '问题地址', '事发地点', '地点', 'address', 'location', 'place'],
  contact: ['其他联系方式', '联系方式', '邮箱', '电子邮箱', 'contact', 'email', 'e-mail'],
  source: ['来源', '来源渠道', '受理渠道', 'source', 'channel'],
};

export function headerKey(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-.:：/()（）#*]+/g, '');
}

const BY_KEY = new Map<string, ImportField>();
for (const field of IMPORT_FIELDS) for (const alias of ALIASES[field]) BY_KEY.set(headerKey(alias), field);

export type Mapping = (ImportField | null)[];

/** The field each column holds, by its header; null for headers we do not know. A field is taken once, by its first column. */
export function autoMap(headers: string[]): { mapping: Mapping; unknown: number[] } {
  const taken = new Set<ImportField>();
  const mapping: Mapping = headers.map((h) => {
    const field = BY_KEY.get(headerKey(h));
    if (!field || taken.has(field)) return null;
    taken.add(field);
    return field;
  });
  const unknown = mapping.flatMap((m, i) => (m === null ? [i] : []));
  return { mapping, unknown };
}

/** What is wrong with a mapping: required fields missing, or a field chosen for two columns. */
export function mappingProblems(mapping: Mapping): { missing: ImportField[]; twice: ImportField[] } {
  const seen = new Map<ImportField, number>();
  for (const m of mapping) if (m) seen.set(m, (seen.get(m) ?? 0) + 1);
  return { missing: REQUIRED_FIELDS.filter((f) => !seen.has(f)), twice: [...seen.entries()].filter(([, n]) => n > 1).map(([f]) => f) };
}
