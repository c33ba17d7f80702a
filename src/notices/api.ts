// Published press notices in the read API: declared here, registered in src/api/resources.ts,
// served (strict parameters, response checked against its schema, conditional requests) by
// src/api/routes.ts. A notice is shown as published: its rows come from the stored snapshot.
import { z } from 'zod';
import { OUTLET_KINDS, PUBLICATION_FORMATS } from '../../db/schema.ts';
import { HttpError } from '../plugins/errors.ts';
import type { LoadContext } from '../api/resources.ts';
import type { NoticeRepository } from './repository.ts';

const MAX_LIMIT = 100;
const url = () => z.string().meta({ format: 'uri' });
const day = () => z.string().meta({ format: 'date', description: 'A calendar day, YYYY-MM-DD' });
const idParam = (description: string) => z.coerce.number().int().positive().max(2 ** 31 - 1).meta({ description });

export const noticeListQuery = z
  .object({
    page: z.coerce.number().int().min(1).max(1_000_000).default(1).meta({ description: 'Page number, from 1' }),
    limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(30).meta({ description: `Rows per page, 1–${MAX_LIMIT}` }),
  })
  .strict();
export const noticeParams = z.object({ id: idParam('Notice id') }).strict();

const ref = z.object({ id: z.number().int(), noticeNo: z.string(), url: url() });
const file = z.object({
  format: z.enum(PUBLICATION_FORMATS),
  fileName: z.string(),
  mime: z.string(),
  size: z.number().int(),
  sha256: z.string().meta({ description: 'SHA-256 of the file: every download has exactly these bytes' }),
  url: url(),
});

export const noticeRow = z
  .object({
    id: z.number().int(),
    campaignId: z.number().int(),
    outlet: z.object({ id: z.number().int(), name: z.string(), kind: z.enum(OUTLET_KINDS) }),
    noticeNo: z.string(),
    edition: z.string(),
    publishedOn: day(),
    title: z.string(),
    language: z.enum(['zh-CN', 'en']),
    rowCount: z.number().int(),
    chainHead: z.string().meta({ description: 'The audit chain’s head hash when the notice was published' }),
    corrects: ref.nullable().meta({ description: 'The earlier notice this one corrects' }),
    correctedBy: z.array(ref),
    files: z.array(file),
    url: url(),
  })
  .strict();

const noticePledge = z.object({
  position: z.number().int(),
  pledgeId: z.number().int(),
  title: z.string(),
  leadUnit: z.string(),
  dueOn: day(),
  status: z.string(),
  statusLabel: z.string().meta({ description: 'As printed, in the notice’s language' }),
  overdue: z.boolean(),
  progress: z.number().int(),
  url: url(),
});

export const noticeList = z.object({
  data: z.array(noticeRow),
  pagination: z.object({ total: z.number().int(), page: z.number().int(), pages: z.number().int(), limit: z.number().int(), next: url().nullable(), prev: url().nullable() }),
});
export const noticeDetail = z.object({ data: noticeRow.extend({ pledges: z.array(noticePledge) }) });

type ListedNotice = Awaited<ReturnType<NoticeRepository['list']>>['rows'][number];

function rowOut(n: ListedNotice, publicUrl: string): z.output<typeof noticeRow> {
  const link = (id: number) => `${publicUrl}/notices/${id}`;
  return {
    id: n.id,
    campaignId: n.campaignId,
    outlet: n.outlet,
    noticeNo: n.noticeNo,
    edition: n.edition,
    publishedOn: n.publishedOn,
    title: n.title,
    language: n.language,
    rowCount: n.rowCount,
    chainHead: n.chainHead,
    corrects: n.corrects ? { ...n.corrects, url: link(n.corrects.id) } : null,
    correctedBy: n.correctedBy.map((c) => ({ ...c, url: link(c.id) })),
    files: n.files.map((f) => ({ ...f, url: `${link(n.id)}/files/${f.format}` })),
    url: link(n.id),
  };
}

export const noticeListResource = {
  path: '/api/v1/notices',
  operationId: 'listNotices',
  summary: 'Published press notices (newspaper, TV, radio), the latest first, with links to every file',
  tags: ['Read API'],
  query: noticeListQuery,
  example: { query: { limit: 10 } },
  response: noticeList,
  responseDescription: 'One page of published notices',
  async load({ services, query, pageLink }: LoadContext<unknown, z.output<typeof noticeListQuery>>) {
    const { total, rows } = await services.notices.list({ limit: query.limit, offset: (query.page - 1) * query.limit });
    const pages = Math.max(1, Math.ceil(total / query.limit));
    return {
      data: rows.map((n) => rowOut(n, services.publicUrl)),
      pagination: {
        total,
        page: query.page,
        pages,
        limit: query.limit,
        next: query.page < pages ? pageLink(query.page + 1) : null,
        prev: query.page > 1 ? pageLink(Math.min(query.page - 1, pages)) : null,
      },
    };
  },
};

export const noticeResource = {
  path: '/api/v1/notices/{id}',
  operationId: 'getNotice',
  summary: 'One published notice with its pledges as published and links to its files',
  tags: ['Read API'],
  params: noticeParams,
  example: { params: { id: 1 } },
  response: noticeDetail,
  responseDescription: 'The notice',
  async load({ services, params }: LoadContext<z.output<typeof noticeParams>, unknown>) {
    const n = await services.notices.get(params.id);
    if (!n) throw new HttpError(404);
    let position = 0;
    const pledges = n.document.groups.flatMap((g) =>
      g.rows.map((r) => ({
        position: ++position,
        pledgeId: r.pledgeId,
        title: r.title,
        leadUnit: r.leadUnitName,
        dueOn: r.dueOn,
        status: r.status,
        statusLabel: r.statusLabel,
        overdue: r.overdue,
        progress: r.progress,
        url: `${services.publicUrl}/pledges/${r.pledgeId}`,
      })),
    );
    const { document: _doc, ...rest } = n;
    void _doc;
    return { data: { ...rowOut(rest, services.publicUrl), pledges } };
  },
};
