// The feeds a page offers, for the layout's <link rel="alternate"> and the page's subscribe link.
import type { Translate } from '../i18n/index.ts';

export interface FeedLink {
  title: string;
  href: string;
}

export const feedPaths = {
  updates: '/feeds/updates.atom',
  published: '/feeds/pledges.atom',
  notices: '/feeds/notices.atom',
  pledge: (id: number) => `/feeds/pledges/${id}.atom`,
  unit: (slug: string) => `/feeds/units/${slug}.atom`,
  category: (slug: string) => `/feeds/categories/${slug}.atom`,
};

export function pledgeFeeds(t: Translate, pledge: { id: number; title: string }): FeedLink[] {
  return [{ title: t('feeds.title.pledge', { pledge: pledge.title }), href: feedPaths.pledge(pledge.id) }];
}

export function unitFeeds(t: Translate, unit: { slug: string; name: string }): FeedLink[] {
  return [{ title: t('feeds.title.unit', { unit: unit.name }), href: feedPaths.unit(unit.slug) }];
}
