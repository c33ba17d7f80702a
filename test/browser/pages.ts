// The pages every browser check visits, by who can see them. Features add their pages here
// (reports and the demands board, ratings, press notices, API docs and feeds as they land).
import type { Page } from 'playwright-core';

export type Who = 'public' | 'unit' | 'admin' | 'press';

export interface PageSpec {
  name: string;
  who: Who;
  /** A path, or a function finding one on the site (an id that the demo data decides). */
  path: string | ((page: Page, base: string) => Promise<string>);
  /** The status the page answers with (error pages are pages too). */
  status?: number;
  /** Saved as screenshots at both widths and in both languages. */
  screenshot?: boolean;
}

/** The href of the first link matching a selector on a page. */
export function firstLink(from: string, selector: string) {
  return async (page: Page, base: string): Promise<string> => {
    await page.goto(base + from);
    const href = await page.locator(selector).first().getAttribute('href');
    if (!href) throw new Error(`no link ${selector} on ${from}`);
    return href;
  };
}

export const PAGES: PageSpec[] = [
  { name: 'home', who: 'public', path: '/', screenshot: true },
  { name: 'list', who: 'public', path: '/pledges', screenshot: true },
  { name: 'list-search', who: 'public', path: '/pledges?q=%E4%BE%9B%E6%9A%96' },
  { name: 'list-filtered', who: 'public', path: '/pledges?status=overdue&sort=progress_asc&page=2' },
  { name: 'pledge', who: 'public', path: firstLink('/pledges?tier=major', 'table.pledge-table a[href^="/pledges/"]'), screenshot: true },
  { name: 'pledge-completed', who: 'public', path: firstLink('/pledges?status=completed', 'table.pledge-table a[href^="/pledges/"]') },
  { name: 'units', who: 'public', path: '/units', screenshot: true },
  { name: 'unit', who: 'public', path: '/units/shuiwu', screenshot: true },
  { name: 'category', who: 'public', path: firstLink('/', '#chart-category-block a[href^="/categories/"]'), screenshot: true },
  { name: 'about', who: 'public', path: '/about' },
  { name: 'integrity', who: 'public', path: '/integrity' },
  { name: 'report', who: 'public', path: '/report', screenshot: true },
  { name: 'demands', who: 'public', path: '/demands', screenshot: true },
  { name: 'suggestions', who: 'public', path: '/suggestions', screenshot: true },
  { name: 'suggest', who: 'public', path: '/suggest', screenshot: true },
  { name: 'suggest-pledge', who: 'public', path: async (page, base) => `/suggest?pledge=${(await firstLink('/suggestions?target=pledge', '.suggestion a[href^="/pledges/"]')(page, base)).split('/').pop()}` },
  { name: 'suggestions-received', who: 'public', path: '/suggestions/received' },
  { name: 'open-data', who: 'public', path: '/open-data' },
  { name: 'feeds', who: 'public', path: '/feeds' },
  { name: 'api-docs', who: 'public', path: '/api/docs' },
  { name: 'notices', who: 'public', path: '/notices', screenshot: true },
  { name: 'notice', who: 'public', path: firstLink('/notices', '.notice-card h2 a'), screenshot: true },
  { name: 'notice-digest', who: 'public', path: async (page, base) => (await firstLink('/notices', '.notice-card h2 a')(page, base)) + '/digest' },
  { name: 'window-unit', who: 'public', path: '/units/cheguansuo', screenshot: true },
  { name: 'rate-lookup', who: 'public', path: '/rate' },
  { name: 'rate-unknown-code', who: 'public', path: '/rate/ABCDEFGHJKMN', status: 404 },
  { name: 'league', who: 'public', path: '/league', screenshot: true },
  { name: 'league-districts', who: 'public', path: '/league?group=districts' },
  { name: 'window', who: 'public', path: '/units/shimin-fuwu/window', screenshot: true },
  { name: 'window-poster', who: 'public', path: '/units/shimin-fuwu/window/poster', screenshot: true },
  { name: 'window-card', who: 'public', path: firstLink('/units/shimin-fuwu/window', '.staff-cards a[href*="/window/staff/"]'), screenshot: true },
  { name: 'login', who: 'public', path: '/login', screenshot: true },
  { name: 'not-found', who: 'public', path: '/pledges/999999999', status: 404 },
  { name: 'bad-request', who: 'public', path: '/pledges?status=nonsense', status: 400 },

  { name: 'manage', who: 'unit', path: '/manage', screenshot: true },
  { name: 'manage-pledge', who: 'unit', path: firstLink('/manage', 'table a[href^="/manage/pledges/"]:not([href$="/edit"])') },
  { name: 'manage-edit', who: 'unit', path: async (page, base) => (await firstLink('/manage', 'table a[href^="/manage/pledges/"]:not([href$="/edit"])')(page, base)) + '/edit' },
  { name: 'manage-new', who: 'unit', path: '/manage/pledges/new' },
  { name: 'account', who: 'unit', path: '/account' },
  { name: 'manage-bulk', who: 'unit', path: '/manage/bulk' },
  { name: 'manage-demands', who: 'unit', path: '/manage/demands' },
  { name: 'manage-demand-new', who: 'unit', path: '/manage/demands/new' },
  { name: 'manage-suggestions', who: 'unit', path: '/manage/suggestions' },
  { name: 'manage-suggestion-reply', who: 'unit', path: firstLink('/manage/suggestions?answered=unanswered', '.suggestion-list a[href^="/manage/suggestions/"]') },

  { name: 'admin', who: 'admin', path: '/admin', screenshot: true },
  { name: 'admin-campaigns', who: 'admin', path: '/admin/campaigns' },
  { name: 'admin-campaign-new', who: 'admin', path: '/admin/campaigns/new' },
  { name: 'admin-campaign-edit', who: 'admin', path: firstLink('/admin/campaigns', 'a[href$="/edit"]') },
  { name: 'admin-units', who: 'admin', path: '/admin/units' },
  { name: 'admin-unit-new', who: 'admin', path: '/admin/units/new' },
  { name: 'admin-unit-edit', who: 'admin', path: firstLink('/admin/units', 'a[href$="/edit"]') },
  { name: 'admin-categories', who: 'admin', path: '/admin/categories' },
  { name: 'admin-category-new', who: 'admin', path: '/admin/categories/new' },
  { name: 'admin-category-edit', who: 'admin', path: firstLink('/admin/categories', 'a[href$="/edit"]') },
  { name: 'admin-accounts', who: 'admin', path: '/admin/accounts' },
  { name: 'admin-account-new', who: 'admin', path: '/admin/accounts/new' },
  { name: 'admin-account', who: 'admin', path: firstLink('/admin/accounts', 'table a[href^="/admin/accounts/"]') },
  { name: 'admin-audit', who: 'admin', path: '/admin/audit' },
  { name: 'admin-audit-verify', who: 'admin', path: '/admin/audit/verify' },
  { name: 'admin-manage', who: 'admin', path: '/manage' },
  { name: 'admin-demands', who: 'admin', path: '/admin/demands' },
  { name: 'admin-demand', who: 'admin', path: firstLink('/admin/demands', 'table a[href^="/admin/demands/"]') },
  { name: 'admin-demand-import', who: 'admin', path: '/admin/demands/import' },
  { name: 'admin-tokens', who: 'admin', path: '/admin/tokens' },
  { name: 'admin-suggestions', who: 'admin', path: '/admin/suggestions', screenshot: true },
  { name: 'admin-suggestion', who: 'admin', path: firstLink('/admin/suggestions?status=pending', 'table a[href^="/admin/suggestions/"]') },
  { name: 'admin-ratings', who: 'admin', path: '/admin/ratings', screenshot: true },
  { name: 'admin-rating-codes', who: 'admin', path: '/manage/ratings/codes' },
  { name: 'admin-deadlines', who: 'admin', path: '/admin/deadlines', screenshot: true },
  { name: 'admin-overdue', who: 'admin', path: '/admin/overdue' },
  { name: 'admin-calendar', who: 'admin', path: '/admin/calendar?year=2026' },
  { name: 'admin-window', who: 'admin', path: async (page, base) => {
    await page.goto(base + '/manage/window');
    return `/manage/window?unit=${await page.locator('#f-unit option[value]:not([value=""])').first().getAttribute('value')}`;
  } },
  { name: 'admin-window-edit', who: 'admin', path: async (page, base) => {
    await page.goto(base + '/manage/window');
    // 市车辆管理所 is one of the demo windows that has staff cards (src/demo/windows.ts).
    const unit = await page.locator('#f-unit option', { hasText: '市车辆管理所' }).first().getAttribute('value');
    return firstLink(`/manage/window?unit=${unit}`, '#staff a[href$="/edit"]')(page, base);
  } },

  { name: 'press', who: 'press', path: '/press' },
  { name: 'press-preview', who: 'press', path: '/press/preview?set=major', screenshot: true },
  { name: 'admin-outlets', who: 'admin', path: '/admin/outlets' },
  { name: 'admin-outlet-new', who: 'admin', path: '/admin/outlets/new' },
];
