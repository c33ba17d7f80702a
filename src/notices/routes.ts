// Published notices, for everyone: the list, one notice as published (rows linking to the live
// pledges), its files byte for byte, a digest against another notice of the same outlet, the Atom
// feed, and the block on each pledge page listing the notices it appeared in.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HttpError } from '../plugins/errors.ts';
import { pageNumber, optionalParam } from '../pledges/list-schema.ts';
import { id } from '../validation.ts';
import { sendConditional, allowAnyOrigin } from '../api/http.ts';
import { isFormat } from '../press/formats.ts';
import { createNoticeRepository } from './repository.ts';
import { digest } from './digest.ts';
import { noticeFeed, noticesFeedLink } from './feed.ts';

export const NOTICES_PAGE_SIZE = 30;

/** Ids in URLs are plain positive integers; anything else is simply not a page. */
function noticeId(raw: string): number {
  if (!/^[0-9]{1,10}$/.test(raw)) throw new HttpError(404);
  const n = Number(raw);
  if (n < 1 || n > 2 ** 31 - 1) throw new HttpError(404);
  return n;
}

const listQuery = z.object({ page: pageNumber() });
const digestQuery = z.object({ against: optionalParam(id()) });

/** A published file's HTML may style itself inline, and do nothing else. */
const FILE_HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export default async function noticeRoutes(app: FastifyInstance) {
  const notices = createNoticeRepository(app.db);
  const publicUrl = app.config.publicUrl;

  app.get('/notices', async (request, reply) => {
    const t = request.t;
    const { page: asked } = listQuery.parse(request.query ?? {});
    const first = await notices.list({ limit: NOTICES_PAGE_SIZE, offset: (asked - 1) * NOTICES_PAGE_SIZE });
    const pages = Math.max(1, Math.ceil(first.total / NOTICES_PAGE_SIZE));
    const page = Math.min(asked, pages);
    const result = page === asked ? first : await notices.list({ limit: NOTICES_PAGE_SIZE, offset: (page - 1) * NOTICES_PAGE_SIZE });
    return reply.page('notices/index', {
      title: t('notices.title'),
      description: t('notices.description'),
      breadcrumbs: [{ label: t('notices.title') }],
      feeds: [noticesFeedLink(t)],
      notices: result.rows,
      total: result.total,
      page,
      pages,
    });
  });

  app.get('/notices/:id', async (request, reply) => {
    const t = request.t;
    const notice = await notices.get(noticeId((request.params as { id: string }).id));
    if (!notice) throw new HttpError(404);
    const previous = await notices.previous(notice);
    return reply.page('notices/show', {
      title: `${notice.outlet.name} ${notice.noticeNo}`,
      description: notice.title,
      canonical: `/notices/${notice.id}`,
      breadcrumbs: [{ href: '/notices', label: t('notices.title') }, { label: `${notice.outlet.name} ${notice.noticeNo}` }],
      feeds: [noticesFeedLink(t)],
      notice,
      doc: notice.document,
      previous: previous ?? null,
    });
  });

  app.get('/notices/:id/files/:format', async (request, reply) => {
    const params = request.params as { id: string; format: string };
    const pubId = noticeId(params.id);
    if (!isFormat(params.format)) throw new HttpError(404);
    const file = await notices.file(pubId, params.format);
    if (!file) throw new HttpError(404);
    // The stored bytes, as published: never re-rendered, so every download is the same file.
    reply.header('content-disposition', `attachment; filename="${file.fileName}"`);
    reply.header('x-content-type-options', 'nosniff');
    if (params.format === 'html') reply.header('content-security-policy', FILE_HTML_CSP);
    allowAnyOrigin(reply);
    return sendConditional(request, reply, { body: file.bytes, type: file.mime, etag: `"${file.sha256}"`, cacheControl: 'public, max-age=31536000, immutable' });
  });

  app.get('/notices/:id/digest', async (request, reply) => {
    const t = request.t;
    const notice = await notices.get(noticeId((request.params as { id: string }).id));
    if (!notice) throw new HttpError(404);
    const parsed = digestQuery.safeParse(request.query ?? {});
    if (!parsed.success) throw new HttpError(400, t('notices.digest.bad_against'));
    const againstId = parsed.data.against ?? (await notices.previous(notice));
    const crumbs = [
      { href: '/notices', label: t('notices.title') },
      { href: `/notices/${notice.id}`, label: `${notice.outlet.name} ${notice.noticeNo}` },
      { label: t('notices.digest.title') },
    ];
    const base = { title: t('notices.digest.title'), breadcrumbs: crumbs, notice };
    if (againstId === undefined) return reply.page('notices/digest', { ...base, other: null, digest: null });
    const other = await notices.get(againstId);
    if (!other) throw new HttpError(404);
    if (other.outlet.id !== notice.outlet.id || other.id === notice.id) throw new HttpError(400, t('notices.digest.other_outlet'));
    // Whichever was named, compare the earlier notice with the later one.
    const [older, newer] = other.id < notice.id ? [other, notice] : [notice, other];
    return reply.page('notices/digest', { ...base, older, newer, other, digest: digest(older.document, newer.document) });
  });

  app.get('/feeds/notices.atom', async (request, reply) => noticeFeed(request, reply, { notices, publicUrl }));

  // The home page points to the latest notices, so the public finds them without knowing the address.
  app.sections.add('home', {
    template: '/notices/_home',
    slot: 'main',
    order: 60,
    async load() {
      const latest = await notices.recent(3);
      return latest.length ? { latestNotices: latest } : null;
    },
  });

  app.sections.add('pledge', {
    template: '/notices/_pledge',
    slot: 'main',
    order: 50,
    async load(ctx) {
      if (!ctx.has.notices) return null;
      const list = await notices.forPledge(ctx.pledgeId);
      return list.length ? { pledgeNotices: list } : null;
    },
  });

}
