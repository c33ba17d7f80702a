// `npm run test:browser`: the real server with the demo campaign, driven by Debian's Chromium.
// One server and one browser for every check, so the run stays quick: each page in both
// languages through axe-core and html-validate, each page at 360 px without sideways
// scrolling, keyboard focus, the flows in flows.ts, and screenshots for a person to look at.
import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startSite } from './server.ts';
import { launch, watchConsole, type Lang, type StorageState } from './browser.ts';
import { PAGES, type PageSpec, type Who } from './pages.ts';
import { ROOT, axeViolations, htmlErrors, overflowingElements, sidewaysOverflow } from './checks.ts';
import { FLOWS, signIn } from './flows.ts';

const SCREENSHOTS = path.join(ROOT, 'screenshots');
const LANGS: Lang[] = ['zh-CN', 'en'];
const DESKTOP = 1280;
const PHONE = 360;
const ACCOUNTS: Record<Exclude<Who, 'public'>, string> = { unit: 'shuiwu', admin: 'admin', press: 'press' };

const site = await startSite();
const session = await launch();
t.teardown(async () => {
  await session.close();
  await site.close();
});
fs.rmSync(SCREENSHOTS, { recursive: true, force: true });
fs.mkdirSync(SCREENSHOTS, { recursive: true });

// Each role signs in once; its cookies are reused by every context that checks its pages.
const states: Partial<Record<Who, StorageState>> = {};
for (const [who, username] of Object.entries(ACCOUNTS) as [Who, string][]) {
  const context = await session.context({ width: DESKTOP, lang: 'zh-CN' });
  await signIn(await context.newPage(), site.url, username);
  states[who] = await context.storageState();
  await context.close();
}

// Paths that depend on the demo data are looked up once, by the role that can see them.
const paths = new Map<string, string>();
for (const spec of PAGES) {
  if (typeof spec.path === 'string') {
    paths.set(spec.name, spec.path);
    continue;
  }
  const context = await session.context({ width: DESKTOP, lang: 'zh-CN', storageState: states[spec.who] });
  paths.set(spec.name, await spec.path(await context.newPage(), site.url));
  await context.close();
}

/** Visits each page of `specs` in one context per role, calling `check` on it. */
async function visitAll(width: number, lang: Lang, specs: PageSpec[], check: (page: Page, spec: PageSpec, status: number, html: string, consoleErrors: string[]) => Promise<void>) {
  for (const who of ['public', 'unit', 'admin', 'press'] as Who[]) {
    const mine = specs.filter((s) => s.who === who);
    if (!mine.length) continue;
    const context = await session.context({ width, lang, storageState: states[who] });
    const page = await context.newPage();
    const errors = watchConsole(page);
    for (const spec of mine) {
      errors.length = 0;
      const response = await page.goto(site.url + paths.get(spec.name)!);
      await check(page, spec, response?.status() ?? 0, (await response?.text()) ?? '', [...errors]);
    }
    await context.close();
  }
}

const shotName = (spec: PageSpec, lang: Lang, width: number) => path.join(SCREENSHOTS, `${spec.name}-${lang}-${width === PHONE ? 'phone' : 'desktop'}.png`);

for (const lang of LANGS) {
  t.test(`every page in ${lang}: accessible (axe), valid HTML, no console or CSP error`, async (t) => {
    await visitAll(DESKTOP, lang, PAGES, async (page, spec, status, html, consoleErrors) => {
      t.equal(status, spec.status ?? 200, `${spec.name} answers ${spec.status ?? 200}`);
      t.equal(await page.locator('html').getAttribute('lang'), lang, `${spec.name} says it is in ${lang}`);
      t.same(await axeViolations(page), [], `${spec.name}: no serious or critical axe violation`);
      t.same(await htmlErrors(html), [], `${spec.name}: no html-validate error`);
      // The error pages log their own status as a failed load; anything else is a fault.
      t.same(consoleErrors.filter((e) => !/status of (400|404)/.test(e)), [], `${spec.name}: no console error`);
      if (spec.screenshot) await page.screenshot({ path: shotName(spec, lang, DESKTOP), fullPage: true });
    });
  });

  t.test(`every page in ${lang} fits a 360 px phone without sideways scrolling`, async (t) => {
    await visitAll(PHONE, lang, PAGES, async (page, spec) => {
      const overflow = await sidewaysOverflow(page);
      t.equal(overflow, 0, `${spec.name} fits 360 px`, overflow ? { sticking_out: await overflowingElements(page) } : {});
      if (spec.screenshot) await page.screenshot({ path: shotName(spec, lang, PHONE), fullPage: true });
    });
  });
}

t.test('the keyboard reaches the skip link first and focus is visible', async (t) => {
  const context = await session.context({ width: DESKTOP, lang: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(site.url + '/pledges');
  await page.keyboard.press('Tab');
  const skip = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const r = el.getBoundingClientRect();
    return { cls: el.className, href: el.getAttribute('href'), visible: r.left >= 0 && r.top >= 0 && r.width > 0, outline: getComputedStyle(el).outlineStyle };
  });
  t.equal(skip.href, '#main', 'Tab first lands on the skip link');
  t.ok(skip.visible, 'which shows itself when focused');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  const inMain = await page.evaluate(() => !!document.activeElement?.closest('main'));
  t.ok(inMain, 'following it moves on into the main content');
  // Every focusable thing on a form page draws an outline when focused from the keyboard.
  const outlines = [];
  for (let i = 0; i < 6; i++) {
    outlines.push(await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle));
    await page.keyboard.press('Tab');
  }
  t.ok(outlines.every((o) => o !== 'none'), `focus is drawn: ${outlines.join(', ')}`);
  await context.close();
});

t.test('pledge, unit and list pages print without navigation, with link addresses, each unit on its own page', async (t) => {
  const context = await session.context({ width: DESKTOP, lang: 'zh-CN' });
  const page = await context.newPage();
  await page.emulateMedia({ media: 'print' });
  for (const name of ['pledge', 'unit', 'list']) {
    await page.goto(site.url + paths.get(name)!);
    // (No named helper functions inside evaluate: tsx would wrap them in a helper the page lacks.)
    const print = await page.evaluate(() => {
      const link = document.querySelector('main td a[href^="/"], main dd a[href^="/"]');
      return {
        nav: [...document.querySelectorAll('.site-header, .site-footer, .breadcrumbs, .filters, .pagination')].some((el) => getComputedStyle(el).display !== 'none'),
        after: link ? getComputedStyle(link, '::after').content : '',
        href: link?.getAttribute('href') ?? '',
        source: [...document.querySelectorAll('.print-source')].some((el) => getComputedStyle(el).display !== 'none'),
        unitBreak: [...document.querySelectorAll('.unit-section')].map((el) => getComputedStyle(el).breakBefore),
      };
    });
    t.notOk(print.nav, `${name}: no navigation, footer, filters or paging in print`);
    t.ok(print.href && print.after.includes(print.href), `${name}: a link prints its address (${print.after})`);
    t.ok(print.source, `${name}: the page's own address is printed`);
    if (name === 'unit') t.same(print.unitBreak, ['page'], 'a unit starts on a new page');
    await page.pdf({ path: path.join(SCREENSHOTS, `${name}-print.pdf`), format: 'A4', printBackground: false });
  }
  await context.close();
});

for (const flow of FLOWS) {
  t.test(flow.name, async (t) => {
    const context = await session.context({ width: flow.width, lang: 'zh-CN' });
    try {
      await flow.run(t, context, site.url);
    } finally {
      await context.close();
    }
  });
}

t.test('the browser never reached beyond 127.0.0.1', async (t) => {
  t.same(session.escapes, []);
});
