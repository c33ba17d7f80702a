import t from 'tap';
import { redactText, streetLevel, newTrackingNo, normalizeTrackingNo } from '../../src/demands/redact.ts';
import { parseReportedAt } from '../../src/demands/time.ts';

t.test('phone numbers, ID-card numbers and e-mail addresses are removed from public text', async (t) => {
  const out = redactText('电话13812345678，138 1234 5678，+86 139-1234-5678，座机0531-87654321，身份证370102199001011234，邮箱 wang@example.com');
  for (const secret of ['13812345678', '1234 5678', '139-1234-5678', '87654321', '370102199001011234', 'wang@example.com']) t.notMatch(out, secret, secret);
  t.match(out, '电话***');
});

t.test('full-width digits do not slip past the patterns', async (t) => {
  t.notMatch(redactText('电话１３９１２３４５６７８'), /\d{5}|[０-９]{5}/);
});

t.test('house numbers are hidden, dates and metro lines are not', async (t) => {
  const out = redactText('住在文化东路12号3单元501室，三单元楼道灯坏了，12-3-501，地铁1号线施工，6月3号开始，水费涨了30%');
  t.match(out, '文化东路*号*单元*室');
  t.match(out, '*单元楼道');
  t.notMatch(out, '501');
  t.match(out, '1号线');
  t.match(out, '6月3号');
  t.match(out, '30%');
});

t.test("the reporter's own name and number are removed wherever they were typed", async (t) => {
  const out = redactText('我是张三丰，张三丰的电话是 0531-1234567', ['张三丰', '0531-1234567']);
  t.notMatch(out, '张三丰');
  t.notMatch(out, '1234567');
});

t.test('a name introduced as one is removed even when the name field was left empty', async (t) => {
  t.equal(redactText('我是张三，路灯坏了'), '我是***，路灯坏了');
  t.equal(redactText('联系人：李四 电话'), '联系人：*** 电话');
  t.equal(redactText('来电人Wang反映'), '来电人Wang反映', 'only where a boundary says the name has ended');
  t.equal(redactText('来电人 Wang, 反映'), '来电人 ***, 反映');
});

t.test('addresses are cut to street level', async (t) => {
  t.equal(streetLevel('历下区文化东路12号3单元501室'), '历下区文化东路');
  t.equal(streetLevel('泉城路街道阳光小区3号楼'), '泉城路街道');
  t.equal(streetLevel('历城区港沟镇东凤村5号'), '历城区港沟镇');
  t.equal(streetLevel('阳光花园小区'), '', 'a compound name alone is finer than a street');
  t.equal(streetLevel(''), '');
});

t.test('tracking numbers are random, well-formed and read back however they are typed', async (t) => {
  const a = newTrackingNo();
  const b = newTrackingNo();
  t.not(a, b);
  t.match(a, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
  t.equal(normalizeTrackingNo(a.toLowerCase().replace(/-/g, ' ')), a);
  t.equal(normalizeTrackingNo('ABCD-EFGH-IJKL-MNOP'), 'ABCD-EFGH-1JK1-MN0P', 'I, L and O read as 1, 1 and 0');
  t.equal(normalizeTrackingNo('ABC'), undefined);
  t.equal(normalizeTrackingNo('ABCD-EFGH-JKMN-PQRU'), undefined, 'U is not in the alphabet');
});

t.test('report times in every shape a hotline export uses', async (t) => {
  const tz = 'Asia/Shanghai';
  t.equal(parseReportedAt('2025-03-05 14:23:11', tz), '2025-03-05T06:23:11.000Z');
  t.equal(parseReportedAt('2025/3/5 14:23', tz), '2025-03-05T06:23:00.000Z');
  t.equal(parseReportedAt('2025年3月5日 14时23分', tz), '2025-03-05T06:23:00.000Z');
  t.equal(parseReportedAt('2025-03-05T06:23:11Z', tz), '2025-03-05T06:23:11.000Z');
  t.equal(parseReportedAt('45721.5', tz), '2025-03-05T04:00:00.000Z', 'an Excel date serial');
  t.equal(parseReportedAt(new Date(Date.UTC(2025, 2, 5, 14, 23)), tz), '2025-03-05T06:23:00.000Z', 'a spreadsheet date cell');
  t.equal(parseReportedAt('2025-02-30 10:00', tz), undefined);
  t.equal(parseReportedAt('next tuesday', tz), undefined);
  t.equal(parseReportedAt('2999-01-01', tz), undefined, 'the future');
  t.equal(parseReportedAt('1999-12-31', tz), undefined, 'before 2000');
});
