import t from 'tap';
import { indexTokens, matchExpression } from '../../src/search/tokens.ts';

t.test('Han text is indexed as characters and bigrams, Latin words lower-cased', async (t) => {
  const tokens = indexTokens('冬季供暖 Heating 2026').split(' ');
  for (const expected of ['冬', '供', '冬季', '季供', '供暖', 'heating', '2026']) t.ok(tokens.includes(expected), expected);
});

t.test('queries become quoted bigram terms; one character stays one term', async (t) => {
  t.equal(matchExpression('供暖'), '"供暖"');
  t.equal(matchExpression('水'), '"水"');
  t.equal(matchExpression('服务群众'), '"服务" AND "务群" AND "群众"');
  t.equal(matchExpression('Heat'), '"heat"*');
  t.equal(matchExpression('  '), null);
  t.equal(matchExpression('"); DROP TABLE x; --'), '"drop"* AND "table"* AND "x"*', 'FTS syntax and SQL are inert');
});
