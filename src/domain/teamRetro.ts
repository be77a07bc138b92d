// The team's side of a retro: teammates' perspectives, and the outcome a manager records when the
// team retro closes (the agreed reason, lessons, action items). Plain types and rules, no Slack.

import type { TFieldErrors, TLossReason } from './debrief';

export const PERSPECTIVE_ROLES = [
  { value: 'sales_engineer', label: 'Sales engineer' },
  { value: 'manager', label: 'Manager' },
  { value: 'customer_success', label: 'Customer success' },
  { value: 'other', label: 'Other' },
] as const;
export type TPerspectiveRole = (typeof PERSPECTIVE_ROLES)[number]['value'];
export const PERSPECTIVE_ROLE_VALUES = PERSPECTIVE_ROLES.map((role) => role.value) as [TPerspectiveRole, ...TPerspectiveRole[]];

/** Long enough for a paragraph, short enough to read in a thread. */
export const PERSPECTIVE_ANSWER_MAX = 1500;

export interface TPerspectiveAnswers {
  role: TPerspectiveRole;
  saw: string;
  wouldChange: string;
  /** "Don't show my name in digests": managers still see who wrote it. */
  anonymous: boolean;
}

/** The questions the team talks through before the outcome is recorded. */
export const RETRO_AGENDA = [
  { title: 'What happened?', prompt: 'Walk through the deal from first call to the loss: the moments that mattered.' },
  { title: 'Why did the winner win?', prompt: 'What did the buyer value in the option they chose? Use the buyer\'s words where we have them.' },
  { title: 'What was in our control?', prompt: 'Separate what we could have changed from what we could not (budget, timing, a reorg).' },
  { title: 'What do we change?', prompt: 'One or two concrete changes, each with an owner and a date.' },
] as const;

/** A lesson is one short sentence a new rep can remember. */
export const LESSON_MAX = 280;
export const ACTION_ITEM_MAX = 200;
/** Rows in the "Record outcome" modal; 5 + 5 rows keep it well under Slack's 100 blocks. */
export const MAX_LESSONS = 5;
export const MAX_ACTION_ITEMS = 5;

export interface TLessonDraft {
  text: string;
  shareWithNewReps: boolean;
}

export interface TActionItemDraft {
  text: string;
  ownerSlackUserId: string;
  /** YYYY-MM-DD */
  dueOn: string;
}

export interface TRetroOutcomeAnswers {
  primaryReason: TLossReason;
  lessons: TLessonDraft[];
  actionItems: TActionItemDraft[];
}

/** One row of the outcome modal as typed, before it is known to be complete. */
export interface TLessonRow {
  text: string | null;
  shareWithNewReps: boolean;
}
export interface TActionItemRow {
  text: string | null;
  ownerSlackUserId: string | null;
  dueOn: string | null;
}

/** Field names of the outcome form: fixed fields, and per-row fields numbered from 0. */
export type TOutcomeField =
  | 'primaryReason'
  | `lesson${number}`
  | `lessonShare${number}`
  | `actionText${number}`
  | `actionOwner${number}`
  | `actionDue${number}`;

/**
 * Turns the rows of the outcome form into an outcome, or says which rows need fixing. Empty rows
 * are skipped; half-filled ones are errors, because a silently dropped action item is worse than
 * a question. `earliestDueOn` is the earliest acceptable due date for a new or moved item; an
 * item kept as it was (same row, same date) may stay overdue.
 */
export function validateOutcomeRows(
  input: {
    primaryReason: TLossReason;
    lessons: TLessonRow[];
    actionItems: TActionItemRow[];
  },
  rules: { earliestDueOn: string; existingDueDates?: ReadonlyArray<string | null> },
): { ok: true; value: TRetroOutcomeAnswers } | { ok: false; errors: TFieldErrors<TOutcomeField> } {
  const errors: TFieldErrors<TOutcomeField> = {};
  const lessons: TLessonDraft[] = [];
  input.lessons.forEach((row, index) => {
    if (row.text === null) {
      if (row.shareWithNewReps) errors[`lessonShare${index}`] = 'Write the lesson above, or untick this box.';
      return;
    }
    if (row.text.length > LESSON_MAX) errors[`lesson${index}`] = `Keep a lesson to one short sentence (at most ${LESSON_MAX} characters).`;
    lessons.push({ text: row.text, shareWithNewReps: row.shareWithNewReps });
  });
  if (lessons.length === 0 && !Object.keys(errors).some((field) => field.startsWith('lesson'))) {
    errors.lesson0 = 'Write at least one lesson: it is what the team keeps from this loss.';
  }

  const actionItems: TActionItemDraft[] = [];
  input.actionItems.forEach((row, index) => {
    const filled = [row.text, row.ownerSlackUserId, row.dueOn].filter((value) => value !== null).length;
    if (filled === 0) return;
    if (row.text === null) errors[`actionText${index}`] = 'Say what needs doing, or clear the owner and date of this row.';
    else if (row.text.length > ACTION_ITEM_MAX) errors[`actionText${index}`] = `Keep it under ${ACTION_ITEM_MAX} characters.`;
    if (row.ownerSlackUserId === null) errors[`actionOwner${index}`] = 'Choose who owns this action item.';
    if (row.dueOn === null) errors[`actionDue${index}`] = 'Pick a due date.';
    else if (row.dueOn < rules.earliestDueOn && rules.existingDueDates?.[index] !== row.dueOn) {
      errors[`actionDue${index}`] = 'Pick today or a later date.';
    }
    if (row.text !== null && row.ownerSlackUserId !== null && row.dueOn !== null) {
      actionItems.push({ text: row.text, ownerSlackUserId: row.ownerSlackUserId, dueOn: row.dueOn });
    }
  });

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { primaryReason: input.primaryReason, lessons, actionItems } };
}
