// What people do on the site, clicking and typing as they would. Each flow takes a fresh
// browser context. Flows for reports, ratings and press notices join this file as those
// features land (see FLOWS at the end).
import type { Test } from 'tap';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD } from './server.ts';
import { ROOT } from './checks.ts';
import { MIN_FILL_MS } from '../../src/demands/public-routes.ts';

type Assert = Test;

/** Signs in through the login form, the way a person does, starting from the header link. */
export async function signIn(page: Page, base: string, username: string): Promise<void> {
  await page.goto(base + '/');
  await page.locator('.site-nav a[href="/login"]').click();
  await page.locator('#f-username').fill(username);
  await page.locator('#f-password').fill(DEMO_PASSWORD);
  await Promise.all([page.waitForURL((u) => u.pathname !== '/login'), page.locator('main button[type=submit]').click()]);
}

/** Waits until a submitted form has either moved on to `url` or come back with its errors shown. */
async function settled(page: Page, url: RegExp): Promise<void> {
  await Promise.race([page.waitForURL(url), page.locator('.error-summary').waitFor()]);
}

function isoDay(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** A unit editor creates a pledge, publishes it, posts progress and finds it on the public page. */
export async function editorPublishesAndReports(t: Assert, context: BrowserContext, base: string): Promise<void> {
  const page = await context.newPage();
  // The publish button asks for confirmation (public/app.js); a person says yes.
  page.on('dialog', (d) => void d.accept());
  await signIn(page, base, 'shuiwu');
  t.equal(new URL(page.url()).pathname, '/manage', 'a unit editor lands in the workspace');

  await page.getByRole('link', { name: '新建承诺' }).click();
  const title = `浏览器测试：更换泉城路沿线老旧水表 ${Date.now()}`;
  await page.getByLabel('事项名称', { exact: true }).fill(title);
  await page.locator('#f-commitment').fill('对泉城路沿线居民小区的老旧机械水表全部更换为远传水表。');
  await page.locator('#f-standard').fill('更换水表不少于 1200 块，抄表差错投诉为零。');
  await page.locator('#f-leadOfficial').fill('王局长');
  await page.locator('#f-responsiblePerson').fill('李科长');
  await page.locator('#f-categoryId').selectOption({ index: 1 });
  await page.locator('#f-districtUnitId').selectOption({ index: 1 });
  await page.locator('#f-startOn').fill(isoDay(-7));
  await page.locator('#f-dueOn').fill(isoDay(60));
  await page.locator('main form button[type=submit]').click();
  await settled(page, /\/manage\/pledges\/\d+(\?|$)/);
  t.same(await page.locator('.error-summary').allInnerTexts(), [], 'the new pledge form is accepted');
  const id = /\/manage\/pledges\/(\d+)/.exec(page.url())![1];
  t.match(await page.locator('h1').innerText(), '更换泉城路沿线老旧水表', 'the draft page shows the new pledge');

  await page.getByRole('button', { name: '公开承诺' }).click();
  await settled(page, new RegExp(`/manage/pledges/${id}\\?done=published`));
  t.match(await page.locator('main').innerText(), '已承诺', 'published pledges start as pledged');

  await page.locator('#f-happenedOn').fill(isoDay(0));
  await page.locator('#f-body').fill('已完成首批 300 块水表更换，居民反映良好。');
  await page.locator('#f-progress').fill('25');
  await page.locator('#f-status').selectOption('in_progress');
  await page.getByRole('button', { name: '发布进展' }).click();
  await settled(page, new RegExp(`/manage/pledges/${id}\\?done=posted`));
  t.same(await page.locator('.error-summary').allInnerTexts(), [], 'the progress form is accepted');
  t.match(await page.locator('main').innerText(), '已完成首批 300 块水表更换', 'the update is on the timeline');

  await page.getByRole('link', { name: '公开页面' }).first().click();
  await page.waitForURL(new RegExp(`/pledges/${id}$`));
  const publicText = await page.locator('main').innerText();
  t.match(publicText, title, 'the public page shows the pledge');
  t.match(publicText, '推进中', 'with its new status');
  t.match(publicText, '25%', 'and its progress');
  t.match(publicText, '已完成首批 300 块水表更换', 'and the update');
  await page.close();
}

/** A visitor filters the list, searches in Chinese, opens a pledge and switches to English. */
export async function visitorFindsAPledge(t: Assert, context: BrowserContext, base: string): Promise<void> {
  const page = await context.newPage();
  await page.goto(base + '/');
  await page.locator('.site-nav').getByRole('link', { name: '承诺事项' }).click();
  await page.waitForURL(/\/pledges$/);
  const allCount = await page.locator('.result-count').innerText();

  // Choosing a status submits the filter form by itself (progressive enhancement).
  await Promise.all([page.waitForURL(/status=completed/), page.getByLabel('状态', { exact: true }).selectOption('completed')]);
  t.ok((await page.locator('.result-count').innerText()) !== allCount, 'the status filter narrows the list');
  const statuses = await page.locator('table.pledge-table tbody tr .status').allInnerTexts();
  t.ok(statuses.length > 0 && statuses.every((s) => s.includes('完成')), 'every row shown is completed');

  await page.getByRole('link', { name: '清除筛选' }).click();
  await page.getByLabel('搜索', { exact: true }).fill('供暖');
  await Promise.all([page.waitForURL(/q=/), page.getByLabel('搜索', { exact: true }).press('Enter')]);
  t.match(await page.locator('.result-count').innerText(), '供暖', 'the search is named above the results');
  const titles = await page.locator('table.pledge-table tbody tr td:first-child a').allInnerTexts();
  t.ok(titles.length > 0, 'a two-character Chinese search finds pledges');

  await page.locator('table.pledge-table tbody tr td:first-child a').first().click();
  await page.waitForURL(/\/pledges\/\d+$/);
  const url = new URL(page.url());
  t.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');

  await page.getByRole('link', { name: 'English' }).click();
  await page.waitForURL(/lang=en/);
  t.equal(new URL(page.url()).pathname, url.pathname, 'the language switch stays on the same pledge');
  t.equal(await page.locator('html').getAttribute('lang'), 'en', 'the page is now in English');
  t.match(await page.locator('.site-nav').innerText(), 'Pledges', 'navigation is in English');
  // The choice sticks: the next page is in English without asking again.
  await page.locator('.site-nav').getByRole('link', { name: 'Units' }).click();
  t.equal(await page.locator('html').getAttribute('lang'), 'en', 'the language choice is remembered');
  await page.close();
}

/** A visitor reports a problem, keeps the tracking number, follows it and reads it in English. */
export async function visitorReportsAProblem(t: Assert, context: BrowserContext, base: string): Promise<void> {
  const page = await context.newPage();
  await page.goto(base + '/report');
  // The form signs the time it was served; a submission sooner than MIN_FILL_MS is refused.
  const served = Date.now();
  t.equal(await page.locator('html').getAttribute('lang'), 'zh-CN', 'the report form opens in Chinese');
  const name = '周浏览';
  const phone = '13905318642';
  await page.getByLabel('问题类别').selectOption({ index: 1 });
  await page.getByLabel('所在区县').selectOption({ index: 1 });
  await page.getByLabel('遇到了什么问题').fill(`小区门口的路灯坏了一个多月，晚上行人看不清路。`);
  await page.getByLabel('地点').fill('文化东路与历山路路口');
  await page.getByLabel('姓名').fill(name);
  await page.getByLabel('联系电话或邮箱').fill(phone);
  // The one fixed wait: a person takes longer than the minimum fill time, so the test does too.
  const left = served + MIN_FILL_MS + 500 - Date.now();
  if (left > 0) await page.waitForTimeout(left);
  await page.getByRole('button', { name: '提交', exact: true }).click();
  await settled(page, /\/reports\/[A-Z0-9-]+\?submitted=1$/);
  t.same(await page.locator('.error-summary').allInnerTexts(), [], 'the report is accepted');

  await page.locator('.notice-success').waitFor();
  t.match(await page.locator('.notice-success').innerText(), '您的诉求已收到', 'the result page says it was received');
  const trackingNo = (await page.locator('.tracking-no code').innerText()).trim();
  t.match(trackingNo, /^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/, 'and shows the tracking number');
  t.equal(new URL(page.url()).pathname, `/reports/${trackingNo}`, 'the result page is the tracking page');
  await page.screenshot({ path: path.join(ROOT, 'screenshots', 'flow-report-received-zh-CN-phone.png'), fullPage: true });

  // Later, the visitor comes back and types the number into the lookup box.
  await page.goto(base + '/reports');
  await page.locator('#f-no').fill(trackingNo.toLowerCase());
  await Promise.all([page.waitForURL((u) => u.pathname === `/reports/${trackingNo}`), page.locator('#f-no').press('Enter')]);
  const tracking = await page.locator('main').innerText();
  t.match(tracking, trackingNo, 'the tracking page shows the number');
  t.match(await page.locator('#h-state + p .status').innerText(), '待认领', 'and its status: waiting for a unit');
  t.match(tracking, '路灯坏了', 'and what was reported');
  t.notMatch(tracking, name, 'the name typed is not shown');
  t.notMatch(tracking, phone, 'nor the phone number');
  t.notMatch(await page.content(), phone, 'not even in the page source');

  await page.getByRole('link', { name: 'English' }).click();
  await page.waitForURL(/lang=en/);
  t.equal(new URL(page.url()).pathname, `/reports/${trackingNo}`, 'the language switch stays on the report');
  t.equal(await page.locator('html').getAttribute('lang'), 'en', 'the tracking page is now in English');
  t.match(await page.locator('h1').innerText(), 'Your report', 'its heading is in English');
  t.match(await page.locator('#h-state + p .status').innerText(), 'Awaiting a unit', 'and so is its status');
  t.notMatch(await page.locator('main').innerText(), name, 'still no name in English');
  await page.close();
}

/** A visitor opens a pledge, rates it with a comment, sees the thank-you and the count go up by one. */
export async function visitorRatesAPledge(t: Assert, context: BrowserContext, base: string): Promise<void> {
  const page = await context.newPage();
  await page.goto(base + '/pledges?status=in_progress');
  await page.locator('table.pledge-table tbody tr td:first-child a').first().click();
  await page.waitForURL(/\/pledges\/\d+$/);
  const pledgePath = new URL(page.url()).pathname;
  t.same((await context.cookies()).filter((c) => c.name.endsWith('voter')), [], 'no voter cookie for just reading');
  const votes = async () => Number(/（(?:样本 )?(\d+) 票）/.exec(await page.locator('.rating-figures dd').first().innerText())?.[1] ?? NaN);
  const before = await votes();
  t.ok(Number.isInteger(before), 'the panel shows how many voted');

  await page.getByLabel('基本满意').check();
  await page.locator('#rate-comment').fill('进度公开得很及时，希望按期完成。');
  await Promise.all([page.waitForURL(/\?voted=1/), page.getByRole('button', { name: '提交评价' }).click()]);
  t.equal(new URL(page.url()).pathname, pledgePath, 'back on the same pledge');
  t.match(await page.locator('#rating .notice').innerText(), '感谢您的评价', 'the thank-you is shown');
  t.equal(await votes(), before + 1, 'the count includes the new vote');
  t.equal((await context.cookies()).filter((c) => c.name.endsWith('voter')).length, 1, 'the voter cookie is set once someone votes');

  // Changing one's mind changes the vote; it never adds a second.
  await page.getByLabel('满意', { exact: true }).check();
  await Promise.all([page.waitForURL(/\?voted=1/), page.getByRole('button', { name: '提交评价' }).click()]);
  t.equal(await votes(), before + 1, 'a changed vote is still one vote');
  await page.screenshot({ path: path.join(ROOT, 'screenshots', 'flow-rating-thanks-zh-CN-phone.png'), fullPage: true });
  await page.close();
}

/** The press desk builds a notice of the city-level major items, previews it, publishes it, finds it on /notices and downloads a file. */
export async function pressPublishesANotice(t: Assert, context: BrowserContext, base: string): Promise<void> {
  const page = await context.newPage();
  await signIn(page, base, 'press');
  await page.goto(base + '/press');
  await page.getByLabel('市级重点实事').check();
  await Promise.all([page.waitForURL(/\/press\/preview\?/), page.getByRole('button', { name: '预览公告' }).click()]);
  t.match(await page.locator('h1').innerText(), '公告预览', 'the preview opens');
  t.ok((await page.locator('.press-group').count()) > 0, 'it shows the rows grouped by unit');
  const noticeNo = `浏览器测试第${Date.now()}号`;
  await page.locator('#f-noticeNo').fill(noticeNo);
  await page.locator('#f-edition').fill('A1');
  await page.locator('form.press-publish button[type=submit]').click();
  await settled(page, /\/notices\/\d+$/);
  t.same(await page.locator('.error-summary').allInnerTexts(), [], 'the publish form is accepted');
  t.match(await page.locator('h1').innerText(), noticeNo, 'the published notice opens');
  const noticePath = new URL(page.url()).pathname;

  await page.goto(base + '/notices');
  t.match(await page.locator('main').innerText(), noticeNo, 'the notice is on the public list');
  await page.goto(base + noticePath);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`a[href="${noticePath}/files/csv"]`).click()]);
  t.match(download.suggestedFilename(), /^notice-\d+-csv\.csv$/, 'the file has the server’s name');
  const file = await download.path();
  t.ok(file, 'the CSV downloads');
  await page.screenshot({ path: path.join(ROOT, 'screenshots', 'flow-press-notice-zh-CN-desktop.png'), fullPage: true });
  await page.close();
}

/** Each flow with the width it runs at: the visitor on a phone, the editor at a desk. */
export const FLOWS: { name: string; width: number; run: (t: Assert, context: BrowserContext, base: string) => Promise<void> }[] = [
  { name: 'a unit editor creates and publishes a pledge, posts progress and sees it on the public page', width: 1280, run: editorPublishesAndReports },
  { name: 'a visitor on a phone filters the list, searches in Chinese, opens a pledge and switches language', width: 360, run: visitorFindsAPledge },
  { name: 'a visitor on a phone reports a problem in Chinese, follows it by its tracking number and reads it in English', width: 360, run: visitorReportsAProblem },
  { name: 'a visitor on a phone rates a pledge, sees the thank-you and the count, then changes the vote', width: 360, run: visitorRatesAPledge },
  // Press: a press user builds and downloads a notice.
  { name: 'the press desk builds, previews and publishes a notice, finds it on /notices and downloads its CSV', width: 1280, run: pressPublishesANotice },
];
