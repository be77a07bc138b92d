import {
  ANONYMOUS_OPTION_VALUE,
  MARK_LESSON_INPUTS,
  OUTCOME_INPUTS,
  PERSPECTIVE_INPUTS,
  SHARE_WITH_NEW_REPS_VALUE,
} from '../../../../src/slack/ids';
import {
  ZMarkLessonMetadata,
  ZRetroMetadata,
  outcomeFieldInput,
  parseMarkLessonSubmission,
  parseMetadata,
  parseOutcomeSubmission,
  parsePerspectiveSubmission,
} from '../../../../src/slack/parsers/teamRetro';
import { checkboxes, date, select, stateFor, text, user } from '../../../helpers/payloads';

const RETRO_ID = '2f6d2a4e-9b1c-4a57-8d0b-6c1e2f3a4b5c';
const rules = { earliestDueOn: '2026-11-23' };

describe('parseMetadata', () => {
  it('reads our own metadata and rejects anything else', () => {
    expect(parseMetadata(ZRetroMetadata, JSON.stringify({ retroId: RETRO_ID }))).toEqual({ retroId: RETRO_ID });
    expect(parseMetadata(ZRetroMetadata, JSON.stringify({ retroId: 'not-a-uuid' }))).toBeNull();
    expect(parseMetadata(ZRetroMetadata, '{"retroId":')).toBeNull();
    expect(parseMetadata(ZRetroMetadata, undefined)).toBeNull();
    expect(parseMetadata(ZMarkLessonMetadata, JSON.stringify({ retroId: RETRO_ID, messageTs: '1800000000.000100', authorSlackUserId: null }))).toEqual({
      retroId: RETRO_ID,
      messageTs: '1800000000.000100',
      authorSlackUserId: null,
    });
    expect(parseMetadata(ZMarkLessonMetadata, JSON.stringify({ retroId: RETRO_ID, messageTs: 'yesterday', authorSlackUserId: null }))).toBeNull();
  });
});

describe('parsePerspectiveSubmission', () => {
  const values = (overrides: { role?: string | null; saw?: string | null; change?: string | null; anonymous?: string[] } = {}) =>
    stateFor([
      [PERSPECTIVE_INPUTS.role, select(overrides.role === undefined ? 'customer_success' : overrides.role)],
      [PERSPECTIVE_INPUTS.saw, text(overrides.saw === undefined ? '  Onboarding worried them.  ' : overrides.saw)],
      [PERSPECTIVE_INPUTS.wouldChange, text(overrides.change === undefined ? 'Show the onboarding plan.' : overrides.change)],
      [PERSPECTIVE_INPUTS.anonymous, checkboxes(overrides.anonymous ?? [])],
    ]);

  it('reads the answers, trimmed, with the anonymity box', () => {
    expect(parsePerspectiveSubmission(values({ anonymous: [ANONYMOUS_OPTION_VALUE] }))).toEqual({
      ok: true,
      value: { role: 'customer_success', saw: 'Onboarding worried them.', wouldChange: 'Show the onboarding plan.', anonymous: true },
    });
    expect(parsePerspectiveSubmission(values())).toMatchObject({ ok: true, value: { anonymous: false } });
  });

  it('names every missing or unknown answer', () => {
    expect(parsePerspectiveSubmission(values({ role: 'ceo', saw: ' ', change: null }))).toEqual({
      ok: false,
      errors: { role: expect.any(String), saw: expect.any(String), wouldChange: expect.any(String) },
    });
  });
});

describe('parseOutcomeSubmission', () => {
  it('reads the reason, the lessons with their new-reps flags, and complete action items', () => {
    const values = stateFor([
      [OUTCOME_INPUTS.primaryReason, select('sales_execution')],
      [OUTCOME_INPUTS.lesson(0), text('Bring security in early.')],
      [OUTCOME_INPUTS.lessonShare(0), checkboxes([SHARE_WITH_NEW_REPS_VALUE])],
      [OUTCOME_INPUTS.lesson(2), text('Multi-thread.')],
      [OUTCOME_INPUTS.actionText(1), text('Write the one-pager')],
      [OUTCOME_INPUTS.actionOwner(1), user('U0SE00001')],
      [OUTCOME_INPUTS.actionDue(1), date('2026-12-04')],
    ]);
    expect(parseOutcomeSubmission(values, rules)).toEqual({
      ok: true,
      value: {
        primaryReason: 'sales_execution',
        lessons: [
          { text: 'Bring security in early.', shareWithNewReps: true },
          { text: 'Multi-thread.', shareWithNewReps: false },
        ],
        actionItems: [{ text: 'Write the one-pager', ownerSlackUserId: 'U0SE00001', dueOn: '2026-12-04' }],
      },
    });
  });

  it('answers errors keyed by the block of the row at fault', () => {
    const values = stateFor([
      [OUTCOME_INPUTS.primaryReason, select('made_up')],
      [OUTCOME_INPUTS.lesson(0), text('One.')],
      [OUTCOME_INPUTS.actionDue(3), date('04/12/2026')],
    ]);
    expect(parseOutcomeSubmission(values, rules)).toEqual({
      ok: false,
      errors: { [OUTCOME_INPUTS.primaryReason.block]: expect.any(String), [OUTCOME_INPUTS.actionDue(3).block]: expect.stringContaining('calendar') },
    });
    const incomplete = stateFor([
      [OUTCOME_INPUTS.primaryReason, select('other')],
      [OUTCOME_INPUTS.lesson(0), text('One.')],
      [OUTCOME_INPUTS.actionText(4), text('Call them')],
    ]);
    expect(parseOutcomeSubmission(incomplete, rules)).toEqual({
      ok: false,
      errors: { [OUTCOME_INPUTS.actionOwner(4).block]: expect.any(String), [OUTCOME_INPUTS.actionDue(4).block]: expect.any(String) },
    });
  });

  it('maps every field name to a block of the modal', () => {
    expect(outcomeFieldInput('primaryReason')).toBe(OUTCOME_INPUTS.primaryReason);
    expect(outcomeFieldInput('lessonShare3')).toEqual(OUTCOME_INPUTS.lessonShare(3));
    expect(outcomeFieldInput('actionDue0')).toEqual(OUTCOME_INPUTS.actionDue(0));
  });
});

describe('parseMarkLessonSubmission', () => {
  it('reads the lesson and its audience, and refuses an empty or long one', () => {
    expect(
      parseMarkLessonSubmission(stateFor([[MARK_LESSON_INPUTS.text, text(' Send redlines early. ')], [MARK_LESSON_INPUTS.share, checkboxes([SHARE_WITH_NEW_REPS_VALUE])]])),
    ).toEqual({ ok: true, value: { text: 'Send redlines early.', shareWithNewReps: true } });
    expect(parseMarkLessonSubmission(stateFor([[MARK_LESSON_INPUTS.text, text('')]]))).toEqual({ ok: false, errors: { text: expect.any(String) } });
    expect(parseMarkLessonSubmission(stateFor([[MARK_LESSON_INPUTS.text, text('x'.repeat(400))]]))).toEqual({ ok: false, errors: { text: expect.any(String) } });
  });
});
