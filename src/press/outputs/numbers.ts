// Numbers as a newsreader says them. Chinese: 1529 → 一千五百二十九, 10 → 十, 105 → 一百零五,
// always 二 rather than 两 (二万, not 两万: the written form a script can be checked against);
// years are read digit by digit (2026 → 二〇二六). English: short scale, "one thousand five hundred
// twenty-nine", "three point five".

const ZH_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const ZH_SMALL = ['', '十', '百', '千'];
const ZH_BIG = ['', '万', '亿', '万亿'];

/** 0…9999 in Chinese; `inner` when a higher section comes before it (so 10 reads 一十 there). */
function zhSection(n: number, inner: boolean): string {
  const digits = String(n).padStart(4, '0').split('').map(Number);
  let out = '';
  let zero = false;
  let started = false;
  digits.forEach((d, i) => {
    const place = 3 - i;
    if (d === 0) {
      if (started) zero = true;
      return;
    }
    if (zero) out += '零';
    zero = false;
    // 十五 at the very start, 一十五 inside a larger number (三百一十五, 一万零一十五).
    if (!(d === 1 && place === 1 && !started && !inner)) out += ZH_DIGITS[d];
    out += ZH_SMALL[place];
    started = true;
  });
  return out;
}

export function zhInteger(n: number): string {
  if (!Number.isSafeInteger(n)) return String(n);
  if (n < 0) return '负' + zhInteger(-n);
  if (n === 0) return '零';
  const sections: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 10000)) sections.push(rest % 10000);
  if (sections.length > ZH_BIG.length) return String(n);
  let out = '';
  let needZero = false;
  for (let i = sections.length - 1; i >= 0; i--) {
    const s = sections[i];
    if (s === 0) {
      if (out) needZero = true;
      continue;
    }
    // A gap of zeros between sections, or a section below 1000 after a higher one, reads 零.
    if (out && (needZero || s < 1000)) out += '零';
    needZero = false;
    out += zhSection(s, out !== '') + ZH_BIG[i];
  }
  return out;
}

/** Digit by digit, as years and codes are read: 2026 → 二〇二六. */
export function zhDigits(text: string): string {
  return text.replace(/\d/g, (d) => (d === '0' ? '〇' : ZH_DIGITS[Number(d)]));
}

export function zhDecimal(text: string): string {
  const [int, frac] = text.replace(/,/g, '').split('.');
  const whole = zhInteger(Number(int));
  return frac ? `${whole}点${frac.replace(/\d/g, (d) => ZH_DIGITS[Number(d)])}` : whole;
}

const EN_ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const EN_TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const EN_SCALES = ['', 'thousand', 'million', 'billion', 'trillion'];

function enBelowThousand(n: number): string {
  const words: string[] = [];
  if (n >= 100) {
    words.push(`${EN_ONES[Math.floor(n / 100)]} hundred`);
    n %= 100;
  }
  if (n >= 20) words.push(EN_TENS[Math.floor(n / 10)] + (n % 10 ? `-${EN_ONES[n % 10]}` : ''));
  else if (n > 0) words.push(EN_ONES[n]);
  return words.join(' ');
}

export function enInteger(n: number): string {
  if (!Number.isSafeInteger(n)) return String(n);
  if (n < 0) return 'minus ' + enInteger(-n);
  if (n === 0) return 'zero';
  const groups: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 1000)) groups.push(rest % 1000);
  if (groups.length > EN_SCALES.length) return String(n);
  const words: string[] = [];
  for (let i = groups.length - 1; i >= 0; i--) {
    if (groups[i] === 0) continue;
    words.push(enBelowThousand(groups[i]) + (EN_SCALES[i] ? ` ${EN_SCALES[i]}` : ''));
  }
  return words.join(' ');
}

export function enDecimal(text: string): string {
  const [int, frac] = text.replace(/,/g, '').split('.');
  const whole = enInteger(Number(int));
  return frac ? `${whole} point ${frac.split('').map((d) => EN_ONES[Number(d)]).join(' ')}` : whole;
}
