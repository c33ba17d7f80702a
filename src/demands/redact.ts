// What the public may see of a report: automatic redaction of the text (phone numbers, ID-card
// numbers, e-mail addresses, house numbers, and the reporter's own name and number wherever
// they were typed into it) and the address cut to street level. The rules lean towards hiding
// too much: a long digit run that is not a phone number is hidden all the same.
import { randomBytes } from 'node:crypto';

export const HIDDEN = '***';

const FULLWIDTH_DIGITS = /[０-９]/g;
/** Full-width digits (１３８…) are common in Chinese input and must not slip past the patterns. */
function asciiDigits(text: string): string {
  return text.replace(FULLWIDTH_DIGITS, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
}

const CN_NUM = '[一二三四五六七八九十百零〇两]';
// A name introduced as one: 我是张三，联系人李四，来电人 Wang. The words before it stay.
const INTRODUCED_NAME =
  /(我是|我叫|本人|联系人|来电人|反映人|姓名)([:：\s]*)(\p{Script=Han}{2,3}|[A-Za-z][A-Za-z.'-]{1,30})(?=$|[，,。.\s、；;:：（()）！!]|电话|手机|联系|先生|女士)/gu;

const PATTERNS: RegExp[] = [
  // E-mail addresses.
  /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g,
  // ID-card numbers: 18 digits (last may be X) or the old 15.
  /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g,
  /(?<!\d)\d{15}(?!\d)/g,
  // Mobile numbers, with or without +86 and separators: 138 1234 5678, 138-1234-5678.
  /(?:\+?86[-\s]?)?(?<!\d)1[3-9]\d(?:[-\s]?\d{4}){2}(?!\d)/g,
  // Landlines with an area code: 0531-12345678, (0531)12345678, 0531 1234567 转 123.
  /[(（]?(?<!\d)0\d{2,3}[)）]?[-－—\s]?\d{7,8}(?:\s?(?:转|-|ext\.?)\s?\d{1,6})?(?!\d)/gi,
  // Any other run of seven or more digits (local numbers, bank cards, account numbers).
  /(?<!\d)\d(?:[-\s]?\d){6,}(?!\d)/g,
];

// House numbers: 12号, 3号楼, 2栋, 3单元, 501室, 5楼, 12-3-501, 三单元. "1号线" (a metro line)
// and "6月3号" (a date) are not addresses and are left alone.
const HOUSE = new RegExp(
  [
    '\\d+(?:-\\d+){1,2}(?=\\s|$|[\\u4e00-\\u9fff，。,.；;])',
    `(?<!月)(?:\\d+|${CN_NUM}+)(?:号楼|号院|号(?![线路])|栋|幢|座|单元|室|楼|层)`,
  ].join('|'),
  'g',
);

function hideHouseNumbers(text: string): string {
  return text.replace(HOUSE, (m) => m.replace(new RegExp(`\\d+|${CN_NUM}+`, 'g'), '*'));
}

/**
 * What to look for of a reporter's own details: each value whole, each of its words, and of a
 * Chinese name the given name too (people write 小明 as often as 王小明). Longest first, so a
 * whole name goes before its parts. One character is too little to be sure it is the name and
 * not an ordinary word; hiding a two-character word that happens to be a given name is the
 * price of not missing it.
 */
function knownPieces(known: string[]): string[] {
  const pieces = new Set<string>();
  for (const raw of known) {
    const value = asciiDigits(raw.trim());
    if (!value) continue;
    pieces.add(value);
    for (const word of value.split(/[\s,，、;；()（）]+/)) {
      pieces.add(word);
      const chars = Array.from(word);
      if (/^\p{Script=Han}{3,4}$/u.test(word)) pieces.add(chars.slice(1).join(''));
    }
  }
  return [...pieces].filter((p) => Array.from(p).length >= 2).sort((a, b) => b.length - a.length);
}

/**
 * The text the public sees. `known` are the reporter's own name, phone and contact: if the
 * reporter typed them into the text as well, they go too.
 */
export function redactText(text: string, known: string[] = []): string {
  let out = asciiDigits(text);
  for (const v of knownPieces(known)) out = out.split(v).join(HIDDEN);
  out = out.replace(INTRODUCED_NAME, (_m, lead: string, gap: string) => `${lead}${gap}${HIDDEN}`);
  for (const pattern of PATTERNS) out = out.replace(pattern, HIDDEN);
  return hideHouseNumbers(out);
}

// 路口 is a crossing, not a road of its own.
const STREET_LEVEL = /^.*?(?:街道|大街|大道|胡同|路(?!口)|街|巷|镇|乡)/;
const LAST_STREET_LEVEL = /^.*(?:街道|大街|大道|胡同|路(?!口)|街|巷|镇|乡)/;

/**
 * The address cut to street level: up to the last road, street, town or township named before
 * the first number. With none of those, nothing: a compound or building name alone is finer
 * than a street and is not shown.
 */
export function streetLevel(address: string): string {
  const a = asciiDigits(address).replace(/\s+/g, ' ').trim();
  const firstNumber = a.search(new RegExp(`\\d|${CN_NUM}+(?:号|栋|幢|单元|室|楼|层)`));
  const head = firstNumber >= 0 ? a.slice(0, firstNumber) : a;
  const match = LAST_STREET_LEVEL.exec(head) ?? STREET_LEVEL.exec(head);
  return match ? match[0].trim() : '';
}

// Crockford's base32: no I, L, O or U, so a number read out over the phone is not misheard.
export const TRACKING_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ALPHABET = TRACKING_ALPHABET;

/** 80 random bits as XXXX-XXXX-XXXX-XXXX: public, but not guessable or enumerable. */
// Random bytes are drawn in blocks: an import of 20,000 reports needs 20,000 numbers.
let pool = Buffer.alloc(0);
let poolAt = 0;
function random10(): Buffer {
  if (poolAt + 10 > pool.length) {
    pool = randomBytes(10 * 512);
    poolAt = 0;
  }
  poolAt += 10;
  return pool.subarray(poolAt - 10, poolAt);
}

export function newTrackingNo(): string {
  const bytes = random10();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out.match(/.{4}/g)!.join('-');
}

/** A tracking number as someone typed it (lower case, spaces, O for 0) in its stored form, or undefined. */
export function normalizeTrackingNo(input: string): string | undefined {
  const s = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (!/^[0-9A-HJKMNP-TV-Z]{16}$/.test(s)) return undefined;
  return s.match(/.{4}/g)!.join('-');
}
