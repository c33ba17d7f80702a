import t from 'tap';
import { todayIn, isOverdue, isCompletedLate, displayStatus, onTimeRate } from '../../src/pledges/status.ts';

t.test('today is the calendar day in the campaign time zone, around midnight', async (t) => {
  // 2026-03-01 15:59:59Z is 23:59:59 in Shanghai; one second later it is the 2nd there.
  t.equal(todayIn('Asia/Shanghai', new Date('2026-03-01T15:59:59Z')), '2026-03-01');
  t.equal(todayIn('Asia/Shanghai', new Date('2026-03-01T16:00:00Z')), '2026-03-02');
  t.equal(todayIn('UTC', new Date('2026-03-01T16:00:00Z')), '2026-03-01');
  t.equal(todayIn('America/Los_Angeles', new Date('2026-03-02T07:59:00Z')), '2026-03-01');
});

t.test('a pledge becomes overdue the day after its due date, not on it', async (t) => {
  const p = { status: 'in_progress' as const, dueOn: '2026-03-01' };
  t.equal(isOverdue(p, todayIn('Asia/Shanghai', new Date('2026-03-01T15:59:59Z'))), false, 'last second of the due day');
  t.equal(isOverdue(p, todayIn('Asia/Shanghai', new Date('2026-03-01T16:00:00Z'))), true, 'first second after');
  t.equal(isOverdue(p, todayIn('UTC', new Date('2026-03-01T16:00:00Z'))), false, 'same instant, a zone still on the due day');
});

t.test('delayed counts as overdue past its date; completed, cancelled and drafts never do', async (t) => {
  const today = '2026-05-01';
  t.equal(isOverdue({ status: 'delayed', dueOn: '2026-04-30' }, today), true);
  t.equal(isOverdue({ status: 'pledged', dueOn: '2026-04-30' }, today), true);
  t.equal(isOverdue({ status: 'completed', dueOn: '2026-04-30', completedOn: '2026-05-01' }, today), false);
  t.equal(isOverdue({ status: 'cancelled', dueOn: '2026-04-30' }, today), false);
  t.equal(isOverdue({ status: 'draft', dueOn: '2026-04-30' }, today), false);
});

t.test('completed on time and completed late are told apart', async (t) => {
  t.equal(isCompletedLate({ status: 'completed', dueOn: '2026-04-30', completedOn: '2026-04-30' }), false);
  t.equal(isCompletedLate({ status: 'completed', dueOn: '2026-04-30', completedOn: '2026-05-01' }), true);
  t.same(displayStatus({ status: 'completed', dueOn: '2026-04-30', completedOn: '2026-05-02' }, '2026-06-01'), {
    status: 'completed',
    overdue: false,
    completedLate: true,
  });
  t.equal(onTimeRate(3, 4), 0.75);
  t.equal(onTimeRate(0, 0), null, 'nothing due yet: no rate');
});
