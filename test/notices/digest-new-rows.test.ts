// A pledge the older notice did not carry is "completed" or "newly overdue" in the digest only
// when that happened after the older notice; otherwise it is just new to the outlet's readers.
import t from 'tap';
import { digest } from '../../src/notices/digest.ts';
import { doc, row } from '../press/doc-fixture.ts';

t.test('rows new to a notice are judged by the older notice date', async (t) => {
  const older = doc([row({ pledgeId: 1 })], { publishedOn: '2026-06-01' });
  const newer = doc(
    [
      row({ pledgeId: 1 }),
      row({ pledgeId: 2, status: 'completed', completedOn: '2026-03-01' }),
      row({ pledgeId: 3, status: 'completed', completedOn: '2026-07-01' }),
      row({ pledgeId: 4, overdue: true, dueOn: '2026-02-01' }),
      row({ pledgeId: 5, overdue: true, dueOn: '2026-08-01' }),
    ],
    { publishedOn: '2026-09-01' },
  );
  const d = digest(older, newer);
  t.same(d.added.map((e) => e.pledgeId), [2, 3, 4, 5]);
  t.same(d.completed.map((e) => e.pledgeId), [3], 'completed long before the older notice is not news');
  t.same(d.newlyOverdue.map((e) => e.pledgeId), [5], 'overdue long before the older notice is not news');
});
