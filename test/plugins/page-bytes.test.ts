// A page's bytes (src/plugins/page-bytes.ts) are exactly Buffer.from of the page's text, with
// kept HTML copied in where it was printed, in any order and any number of times.
import fc from 'fast-check';
import t from 'tap';
import { KeptHtml, ownBytes, pageBytes, utf8Bytes } from '../../src/plugins/page-bytes.ts';

// Chinese, ASCII markup, an emoji (a surrogate pair), a lone surrogate and private-use characters.
const text = fc.string({ unit: fc.constantFrom('字', '<p class="a">', 'x', '&amp;', '😀', '\uD800', '\uE000', '\uE001', '0', '\n'), maxLength: 60 });

t.test('utf8Bytes is Buffer.from, lone surrogates and all', async (t) => {
  fc.assert(fc.property(text, (s) => utf8Bytes(s).equals(Buffer.from(s, 'utf8'))));
  t.ok(utf8Bytes('').equals(Buffer.alloc(0)));
  // A text past the kept room is encoded the ordinary way, with the same bytes.
  const big = '承诺事项<td>'.repeat(300_000);
  t.ok(utf8Bytes(big).equals(Buffer.from(big, 'utf8')));
});

t.test('kept HTML is copied in where it was printed, as often as it was printed', async (t) => {
  fc.assert(
    fc.property(fc.array(text, { minLength: 1, maxLength: 4 }), fc.array(fc.tuple(text, fc.nat(3)), { maxLength: 8 }), (kept, pieces) => {
      const made = kept.map((html) => new KeptHtml(html));
      let expected = '';
      const { bytes } = pageBytes(() => {
        let out = '';
        for (const [before, which] of pieces) {
          const k = made[which % made.length]!;
          out += before + k;
          expected += before + k.html;
        }
        return out + '</html>';
      });
      expected += '</html>';
      return bytes.equals(Buffer.from(expected, 'utf8'));
    }),
  );
});

t.test('a page whose layout prints its body after its own kept pieces', async (t) => {
  const chart = new KeptHtml('<svg>图</svg>');
  const nav = new KeptHtml('<nav>导航</nav>');
  const { bytes } = pageBytes(() => {
    const body = `<main>${chart}</main>`; // rendered first, printed second
    return `<body>${nav}${body}${chart}</body>`;
  });
  t.equal(bytes.toString('utf8'), '<body><nav>导航</nav><main><svg>图</svg></main><svg>图</svg></body>');
});

t.test('outside a page, kept HTML prints as its HTML; typed text cannot pass for a marker', async (t) => {
  const chart = new KeptHtml('<svg></svg>');
  t.equal(`${chart}`, '<svg></svg>');
  t.equal(String(chart), '<svg></svg>');
  const typed = 'a\uE0000\uE001b\uE000ffffffffffff0\uE001';
  t.equal(pageBytes(() => `${typed}${chart}`).bytes.toString('utf8'), `${typed}<svg></svg>`);
  // A render that throws leaves no render in progress behind.
  t.throws(() => pageBytes(() => { throw new Error('template failed'); }), /template failed/);
  t.equal(`${chart}`, '<svg></svg>');
});

t.test('a page too large for the kept room keeps its kept pieces', async (t) => {
  const chart = new KeptHtml('<svg>图</svg>');
  const long = '事'.repeat(1_500_000);
  const { bytes } = pageBytes(() => `${long}${chart}${long}`);
  t.ok(bytes.equals(Buffer.from(`${long}<svg>图</svg>${long}`, 'utf8')));
});

t.test('bytes given back are lent again; a kept copy (ownBytes) is not touched by the next page', async (t) => {
  const first = pageBytes(() => '<p>第一页</p>'.repeat(800));
  const owned = ownBytes(first.bytes);
  t.not(owned, first.bytes, 'lent bytes are copied to be kept');
  first.giveBack();
  first.giveBack(); // twice is once
  const second = pageBytes(() => '<p>第二页</p>'.repeat(800));
  t.equal(second.bytes.buffer, first.bytes.buffer, 'the same slab serves the next page of its size');
  t.equal(owned.toString('utf8'), '<p>第一页</p>'.repeat(800));
  t.equal(second.bytes.toString('utf8'), '<p>第二页</p>'.repeat(800));
  const third = pageBytes(() => '<p>第三页</p>'.repeat(800));
  t.not(third.bytes.buffer, second.bytes.buffer, 'bytes not given back are never lent twice');
  // Bytes not lent (small, or made by utf8Bytes) are kept as they are.
  const small = pageBytes(() => '<p>小</p>');
  t.equal(ownBytes(small.bytes), small.bytes);
  const made = utf8Bytes('x'.repeat(10_000));
  t.equal(ownBytes(made), made);
});
