// The Atom feed of published suggestions and the units' answers (/feeds/suggestions.atom): an
// entry is updated when its answer comes, so readers see answers as they are given. Public
// fields only, like every other public read.
import type { FastifyInstance } from 'fastify';
import { renderAtom, type AtomEntry } from '../feeds/atom.ts';
import { allowAnyOrigin, sendConditional } from '../api/http.ts';
import { createSuggestionRepository } from './repository.ts';

export const SUGGESTIONS_FEED = '/feeds/suggestions.atom';
const ENTRIES = 50;

export default async function suggestionFeedRoutes(app: FastifyInstance) {
  const repo = createSuggestionRepository(app.db);
  const publicUrl = app.config.publicUrl;

  app.get(SUGGESTIONS_FEED, async (request, reply) => {
    const t = request.t;
    const { rows } = await repo.listPublic({}, { pageSize: ENTRIES });
    const entries: AtomEntry[] = rows.map((s) => {
      const about = s.pledge ? s.pledge.title : s.unit ? s.unit.name : t('suggestions.target.campaign');
      const link = s.pledge ? `${publicUrl}/pledges/${s.pledge.id}` : s.unit ? `${publicUrl}/units/${s.unit.slug}` : `${publicUrl}/suggestions`;
      const lines = [s.body];
      if (s.reply) lines.push('', `${t('suggestions.reply.by', { who: s.reply.unit ? s.reply.unit.name : s.reply.office || t('suggestions.office') })}：`, s.reply.text);
      return {
        id: `${publicUrl}/suggestions#suggestion-${s.id}`,
        title: t('suggestions.feed.entry', { about }),
        updated: s.reply?.at ?? s.createdAt,
        published: s.createdAt,
        link,
        author: s.authorName || t('suggestions.anonymous'),
        content: lines.join('\n'),
        categories: [t(`suggestions.target.${s.targetKind}`), ...(s.reply ? [t('suggestions.answered')] : [])],
      };
    });
    const newest = entries.reduce((max, e) => (e.updated > max ? e.updated : max), rows[0]?.createdAt ?? new Date(0).toISOString());
    allowAnyOrigin(reply);
    const body = renderAtom({
      id: `${publicUrl}${SUGGESTIONS_FEED}`,
      title: t('suggestions.feed.title'),
      lang: request.locale,
      updated: newest,
      selfLink: `${publicUrl}${SUGGESTIONS_FEED}`,
      alternateLink: `${publicUrl}/suggestions`,
      author: t('site.name'),
      entries,
    });
    // ETag only: a suggestion published today may have come in weeks ago, so no date stands for the whole feed.
    return sendConditional(request, reply, { body, type: 'application/atom+xml; charset=utf-8' });
  });
}
