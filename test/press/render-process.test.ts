// The server renders notices in a child process (src/press/render-process.ts): what comes back
// must be exactly what rendering in this process gives, for one format and for all of them.
import t from 'tap';
import { PUBLICATION_FORMATS } from '../../db/schema.ts';
import { renderFormat } from '../../src/press/files.ts';
import { renderInChild } from '../../src/press/render-process.ts';
import { doc, row } from './doc-fixture.ts';

t.test('one format rendered in the child equals the same format rendered here', async (t) => {
  const notice = doc([row({ pledgeId: 1 }), row({ pledgeId: 2, title: '学校周边交通秩序整治', leadUnitName: '市交警支队' })]);
  for (const format of ['crawl', 'radio', 'csv', 'html'] as const) {
    const [child] = await renderInChild(notice, { crawlWidth: 40 }, format);
    const here = await renderFormat(notice, format, { crawlWidth: 40 });
    t.equal(child.format, format);
    t.equal(child.mime, here.mime);
    t.ok(child.bytes.equals(here.bytes), `${format}: same bytes`);
  }
});

t.test('every format comes back, in order, each non-empty', async (t) => {
  const files = await renderInChild(doc([row()]), { cardsPerPledgeMax: 0 });
  t.same(
    files.map((f) => f.format),
    [...PUBLICATION_FORMATS],
  );
  t.ok(files.every((f) => f.bytes.length > 0));
  t.equal(files.find((f) => f.format === 'pdf_a4')!.bytes.subarray(0, 5).toString(), '%PDF-');
});

t.test('a failure in the child is an error here, not a hang', async (t) => {
  await t.rejects(renderInChild({ nonsense: true } as never, {}, 'pdf_a4'), /notice rendering failed/);
});
