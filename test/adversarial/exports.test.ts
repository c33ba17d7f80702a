// CSV formula injection: text that a spreadsheet would run (= + - @ at the start) is typed into
// every exported text field through the real forms; no exported cell may start a formula, in CSV
// or in XLSX. New exports go into EXPORTS as they land.
import t from 'tap';
import ExcelJS from 'exceljs';
import { build, seed, login } from '../helpers.ts';
import { draftFields } from '../manage/fixtures.ts';

const FORMULAS = ['=HYPERLINK("http://evil.example","点我")', '+1+2', '-2+3', '@SUM(A1:A9)', '=cmd|\' /C calc\'!A0'];
const DANGEROUS = /^[=+\-@\t\r]/;
const NUMBER = /^-?\d+(\.\d+)?$/;

/** RFC 4180 rows (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\n') row.push(cell.replace(/\r$/, '')), rows.push(row), (row = []), (cell = '');
    else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

t.test('no exported cell starts a formula, whatever was typed into the record', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const admin = await login(app, 'admin');
  const editor = await login(app, 'editor-a');
  const unit = await admin.request({ method: 'POST', url: `/admin/units/${f.unitA.id}`, form: { name: '=市水务局+1', slug: f.unitA.slug, kind: 'city_department', contactPhone: '+86 531 1234', contactAddress: '@总部', active: 'on' } });
  t.equal(unit.statusCode, 303);
  for (const formula of FORMULAS) {
    const res = await editor.request({ method: 'POST', url: '/manage/pledges', form: draftFields(f, { title: formula, commitment: formula, standard: formula, leadOfficial: '=张三', responsiblePerson: '-李四' }) });
    t.equal(res.statusCode, 303, `saved ${formula}`);
    const id = /\/manage\/pledges\/(\d+)/.exec(res.headers.location as string)![1];
    t.equal((await editor.request({ method: 'POST', url: `/manage/pledges/${id}/publish`, form: { version: '1' } })).statusCode, 303);
    await editor.request({ method: 'POST', url: `/manage/pledges/${id}/progress`, form: { happenedOn: f.today, body: formula, progress: '5', status: 'delayed', reason: formula } });
  }

  const EXPORTS = ['/pledges?format=csv', '/units?format=csv'];
  for (const url of EXPORTS) {
    const res = await app.inject(url);
    t.equal(res.statusCode, 200, url);
    const rows = parseCsv(res.body.replace(/^\uFEFF/, ''));
    const bad = rows.flat().filter((cell) => DANGEROUS.test(cell) && !NUMBER.test(cell));
    t.same(bad, [], `${url}: no cell starts a formula`);
    t.ok(rows.flat().some((cell) => cell.startsWith("'=") || cell.startsWith("'+") || cell.startsWith("'@")), `${url}: the typed text is there, neutralised`);
  }
  for (const url of EXPORTS.map((u) => u.replace('csv', 'xlsx'))) {
    const res = await app.inject(url);
    t.equal(res.statusCode, 200, url);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const formulas: string[] = [];
    book.eachSheet((sheet) =>
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          // A text cell is never evaluated, whatever it starts with: only a formula cell is a risk.
          if (cell.type === ExcelJS.ValueType.Formula) formulas.push(String(cell.value));
        }),
      ),
    );
    t.same(formulas, [], `${url}: no formula cell`);
    t.match(JSON.stringify(book.worksheets.map((w) => w.getSheetValues())), '=市水务局+1', `${url}: the typed text is there, as text`);
  }
});
