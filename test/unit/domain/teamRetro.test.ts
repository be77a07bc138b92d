import { LESSON_MAX, validateOutcomeRows, type TActionItemRow, type TLessonRow } from '../../../src/domain/teamRetro';

const lesson = (text: string | null, shareWithNewReps = false): TLessonRow => ({ text, shareWithNewReps });
const item = (text: string | null, ownerSlackUserId: string | null, dueOn: string | null): TActionItemRow => ({ text, ownerSlackUserId, dueOn });
const rules = { earliestDueOn: '2026-11-23' };

describe('validateOutcomeRows', () => {
  it('keeps filled rows in order and skips empty ones', () => {
    const result = validateOutcomeRows(
      {
        primaryReason: 'product_gap',
        lessons: [lesson(null), lesson('Bring security in early.', true), lesson(null), lesson('Multi-thread.')],
        actionItems: [item(null, null, null), item('Write the one-pager', 'U0SE00001', '2026-12-04')],
      },
      rules,
    );
    expect(result).toEqual({
      ok: true,
      value: {
        primaryReason: 'product_gap',
        lessons: [
          { text: 'Bring security in early.', shareWithNewReps: true },
          { text: 'Multi-thread.', shareWithNewReps: false },
        ],
        actionItems: [{ text: 'Write the one-pager', ownerSlackUserId: 'U0SE00001', dueOn: '2026-12-04' }],
      },
    });
  });

  it('asks for at least one lesson', () => {
    expect(validateOutcomeRows({ primaryReason: 'other', lessons: [lesson(null)], actionItems: [] }, rules)).toEqual({
      ok: false,
      errors: { lesson0: expect.stringContaining('at least one lesson') },
    });
  });

  it('flags a ticked "share with new reps" without a lesson, on that row', () => {
    const result = validateOutcomeRows({ primaryReason: 'other', lessons: [lesson('One.'), lesson(null, true)], actionItems: [] }, rules);
    expect(result).toEqual({ ok: false, errors: { lessonShare1: expect.any(String) } });
  });

  it('refuses a lesson longer than one short sentence', () => {
    const result = validateOutcomeRows({ primaryReason: 'other', lessons: [lesson('x'.repeat(LESSON_MAX + 1))], actionItems: [] }, rules);
    expect(result).toEqual({ ok: false, errors: { lesson0: expect.stringContaining(String(LESSON_MAX)) } });
  });

  it('names each missing part of a half-filled action item instead of dropping it', () => {
    const result = validateOutcomeRows(
      { primaryReason: 'other', lessons: [lesson('One.')], actionItems: [item('Call the CISO', null, null), item(null, 'U1', '2026-12-01')] },
      rules,
    );
    expect(result).toEqual({
      ok: false,
      errors: { actionOwner0: expect.any(String), actionDue0: expect.any(String), actionText1: expect.any(String) },
    });
  });

  it('refuses a due date in the past, unless the item is kept with the date it already had', () => {
    const input = { primaryReason: 'other' as const, lessons: [lesson('One.')], actionItems: [item('Old item', 'U1', '2026-11-01')] };
    expect(validateOutcomeRows(input, rules)).toEqual({ ok: false, errors: { actionDue0: expect.stringContaining('today or a later date') } });
    expect(validateOutcomeRows(input, { ...rules, existingDueDates: ['2026-11-01'] }).ok).toBe(true);
    // The same date on another row is a new item and must be in the future.
    expect(validateOutcomeRows(input, { ...rules, existingDueDates: [null, '2026-11-01'] }).ok).toBe(false);
    // Today itself is fine.
    expect(validateOutcomeRows({ ...input, actionItems: [item('Today', 'U1', '2026-11-23')] }, rules).ok).toBe(true);
  });
});
