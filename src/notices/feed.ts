// The Atom feed of published press notices, built like the other feeds (src/feeds/atom.ts).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Translate } from '../i18n/index.ts';
import { formatDay } from '../i18n/index.ts';
import { renderAtom, type AtomEntry } from '../feeds/atom.ts';
import { FEED_ENTRIES } from '../feeds/routes.ts';
import { allowAnyOrigin, sendConditional } from '../api/http.ts';
import { feedPaths, type FeedLink } from '../feeds/links.ts';
import type { NoticeRepository } from './repository.ts';

export const NOTICES_FEED = feedPaths.notices;

export function noticesFeedLink(t: Translate): FeedLink {
  return { title: t('notices.feed.title'), href: NOTICES_FEED };
}

export async function noticeFeed(request: FastifyRequest, reply: FastifyReply, deps: { notices: NoticeRepository; publicUrl: string }) {
  const t = request.t;
  const { publicUrl } = deps;
  const rows = await deps.notices.recent(FEED_ENTRIES);
  const entries: AtomEntry[] = rows.map((n) => ({
    id: `${publicUrl}/notices/${n.id}`,
    title: t('notices.feed.entry', { outlet: n.outlet.name, no: n.noticeNo, title: n.title }),
    updated: n.createdAt,
    published: n.createdAt,
    link: `${publicUrl}/notices/${n.id}`,
    author: n.outlet.name,
    content: [
      t('notices.feed.date', { day: formatDay(n.publishedOn, request.locale) }),
      t('notices.feed.count', { count: n.rowCount }),
      ...(n.corrects ? [t('notices.corrects', { no: n.corrects.noticeNo })] : []),
      ...n.files.map((f) => `${t(`notices.format.${f.format}`)}: ${publicUrl}/notices/${n.id}/files/${f.format}`),
    ].join('\n'),
    categories: [t(`outlets.kind.${n.kind}`)],
  }));
  allowAnyOrigin(reply);
  const last = await deps.notices.lastCreatedAt();
  const body = renderAtom({
    id: `${publicUrl}${NOTICES_FEED}`,
    title: t('notices.feed.title'),
    lang: request.locale,
    updated: entries[0]?.updated ?? new Date(0).toISOString(),
    selfLink: `${publicUrl}${NOTICES_FEED}`,
    alternateLink: `${publicUrl}/notices`,
    author: t('site.name'),
    entries,
  });
  return sendConditional(request, reply, { body, type: 'application/atom+xml; charset=utf-8', lastModified: last ? new Date(last) : undefined });
}
