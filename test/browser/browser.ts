// Debian's Chromium driven by playwright-core, kept to the loopback interface: any request
// for another host is aborted and remembered, so a test can fail on it.
import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Even a name lookup for another host fails.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

export type Lang = 'zh-CN' | 'en';
export type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

export interface Session {
  browser: Browser;
  /** Requests that tried to leave 127.0.0.1 (should stay empty). */
  escapes: string[];
  /** A fresh context (its own cookies) at a viewport width, in a language. */
  context(opts: { width: number; lang: Lang; storageState?: StorageState }): Promise<BrowserContext>;
  close(): Promise<void>;
}

export async function launch(): Promise<Session> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium and fonts-noto-cjk`);
  // launch() gives Chromium a fresh temporary user-data dir of its own and removes it on close.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  const escapes: string[] = [];
  return {
    browser,
    escapes,
    async context({ width, lang, storageState }) {
      const context = await browser.newContext({
        storageState,
        viewport: { width, height: width < 600 ? 740 : 900 },
        locale: lang,
        extraHTTPHeaders: { 'accept-language': lang === 'en' ? 'en' : 'zh-CN,zh;q=0.9' },
        deviceScaleFactor: 1,
      });
      await context.route('**/*', (route) => {
        const url = new URL(route.request().url());
        if (url.hostname === '127.0.0.1') return route.continue();
        escapes.push(url.href);
        return route.abort('blockedbyclient');
      });
      return context;
    },
    async close() {
      await browser.close();
    },
  };
}

/** Console errors (a CSP violation is one) collected on a page. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}
