import { z } from 'zod';
import type { TFieldErrors } from '../../domain/debrief';
import { DEFAULT_REASON_CATALOG, isSelectableReason, REASON_VALUE_PATTERN, type TReasonCatalog } from '../../domain/lossReasons';
import {
  LESSON_MAX,
  MAX_ACTION_ITEMS,
  MAX_LESSONS,
  PERSPECTIVE_ANSWER_MAX,
  PERSPECTIVE_ROLE_VALUES,
  validateOutcomeRows,
  type TActionItemRow,
  type TLessonRow,
  type TOutcomeField,
  type TPerspectiveAnswers,
  type TRetroOutcomeAnswers,
} from '../../domain/teamRetro';
import {
  ANONYMOUS_OPTION_VALUE,
  MARK_LESSON_INPUTS,
  OUTCOME_INPUTS,
  PERSPECTIVE_INPUTS,
  SHARE_WITH_NEW_REPS_VALUE,
} from '../ids';
import type { TParseResult } from './logLostDeal';
import { inputState, selectedValue, selectedValues, textValue, type TInputId, type TViewStateValues } from './viewState';

// --- private_metadata ---------------------------------------------------------------------------

export const ZRetroMetadata = z.object({
  retroId: z.uuid(),
  /** The outcome modal's saved reason, which stays selectable even if retired since. */
  keptReason: z.string().regex(REASON_VALUE_PATTERN).optional(),
});
export const ZMarkLessonMetadata = z.object({
  retroId: z.uuid(),
  messageTs: z.string().regex(/^\d+\.\d+$/),
  authorSlackUserId: z.string().nullable(),
});

/** private_metadata is ours, but it crosses Slack, so it is parsed like any other input. */
export function parseMetadata<T>(schema: z.ZodType<T>, raw: string | undefined): T | null {
  if (!raw) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

// --- "Add my perspective" -----------------------------------------------------------------------

type TPerspectiveField = keyof typeof PERSPECTIVE_INPUTS;

export function parsePerspectiveSubmission(values: TViewStateValues): TParseResult<TPerspectiveAnswers, TPerspectiveField> {
  const role = z.enum(PERSPECTIVE_ROLE_VALUES).safeParse(selectedValue(values, PERSPECTIVE_INPUTS.role));
  const saw = textValue(values, PERSPECTIVE_INPUTS.saw);
  const wouldChange = textValue(values, PERSPECTIVE_INPUTS.wouldChange);
  const errors: Partial<Record<TPerspectiveField, string>> = {};
  if (!role.success) errors.role = 'Choose the role closest to yours on this deal.';
  if (!saw) errors.saw = 'Say what you saw: a sentence is enough.';
  else if (saw.length > PERSPECTIVE_ANSWER_MAX) errors.saw = `Keep it under ${PERSPECTIVE_ANSWER_MAX} characters.`;
  if (!wouldChange) errors.wouldChange = 'Say what you would change, even if it is small.';
  else if (wouldChange.length > PERSPECTIVE_ANSWER_MAX) errors.wouldChange = `Keep it under ${PERSPECTIVE_ANSWER_MAX} characters.`;
  if (!role.success || !saw || !wouldChange || Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      role: role.data,
      saw,
      wouldChange,
      anonymous: selectedValues(values, PERSPECTIVE_INPUTS.anonymous).includes(ANONYMOUS_OPTION_VALUE),
    },
  };
}

// --- "Record outcome" ---------------------------------------------------------------------------

/** The block of each outcome field, for response_action errors. */
export function outcomeFieldInput(field: TOutcomeField): TInputId {
  if (field === 'primaryReason') return OUTCOME_INPUTS.primaryReason;
  const match = /^(lessonShare|lesson|actionText|actionOwner|actionDue)(\d+)$/.exec(field);
  if (!match) throw new Error(`Unknown outcome field ${field}`);
  const row = Number(match[2]);
  const kind = match[1] as 'lessonShare' | 'lesson' | 'actionText' | 'actionOwner' | 'actionDue';
  return OUTCOME_INPUTS[kind](row);
}

export function toOutcomeBlockErrors(errors: TFieldErrors<TOutcomeField>): Record<string, string> {
  const byBlock: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors) as Array<[TOutcomeField, string | undefined]>) {
    if (message) byBlock[outcomeFieldInput(field).block] = message;
  }
  return byBlock;
}

/**
 * Reads the outcome modal. Errors come back keyed by block_id, ready for response_action.
 * `existingDueDates` are the saved action items' dates by row, so an overdue item kept as it was
 * does not block an edit.
 */
export function parseOutcomeSubmission(
  values: TViewStateValues,
  rules: { earliestDueOn: string; existingDueDates?: ReadonlyArray<string | null>; reasons?: TReasonCatalog; keptReason?: string | null },
): { ok: true; value: TRetroOutcomeAnswers } | { ok: false; errors: Record<string, string> } {
  // An active reason of the workspace, or the one the saved outcome already had (even if retired since).
  const catalog = rules.reasons ?? DEFAULT_REASON_CATALOG;
  const reason = z
    .string()
    .regex(REASON_VALUE_PATTERN)
    .refine((value) => isSelectableReason(catalog, value, rules.keptReason ? [rules.keptReason] : []))
    .safeParse(selectedValue(values, OUTCOME_INPUTS.primaryReason));
  const lessons: TLessonRow[] = [];
  for (let row = 0; row < MAX_LESSONS; row += 1) {
    lessons.push({
      text: textValue(values, OUTCOME_INPUTS.lesson(row)),
      shareWithNewReps: selectedValues(values, OUTCOME_INPUTS.lessonShare(row)).includes(SHARE_WITH_NEW_REPS_VALUE),
    });
  }
  const actionItems: TActionItemRow[] = [];
  const badDates: number[] = [];
  for (let row = 0; row < MAX_ACTION_ITEMS; row += 1) {
    const rawDate = inputState(values, OUTCOME_INPUTS.actionDue(row))?.selected_date ?? null;
    const date = rawDate === null ? null : z.iso.date().safeParse(rawDate);
    if (date && !date.success) badDates.push(row);
    actionItems.push({
      text: textValue(values, OUTCOME_INPUTS.actionText(row)),
      ownerSlackUserId: inputState(values, OUTCOME_INPUTS.actionOwner(row))?.selected_user ?? null,
      dueOn: date?.success ? date.data : null,
    });
  }
  if (!reason.success || badDates.length) {
    const errors: TFieldErrors<TOutcomeField> = {};
    if (!reason.success) errors.primaryReason = 'Choose the reason the team agrees on.';
    for (const row of badDates) errors[`actionDue${row}`] = 'Pick a date from the calendar.';
    return { ok: false, errors: toOutcomeBlockErrors(errors) };
  }
  const result = validateOutcomeRows({ primaryReason: reason.data, lessons, actionItems }, rules);
  return result.ok ? result : { ok: false, errors: toOutcomeBlockErrors(result.errors) };
}

// --- "Mark as lesson" ---------------------------------------------------------------------------

type TMarkLessonField = keyof typeof MARK_LESSON_INPUTS;

export function parseMarkLessonSubmission(values: TViewStateValues): TParseResult<{ text: string; shareWithNewReps: boolean }, TMarkLessonField> {
  const text = textValue(values, MARK_LESSON_INPUTS.text);
  if (!text) return { ok: false, errors: { text: 'Write the lesson in one short sentence.' } };
  if (text.length > LESSON_MAX) return { ok: false, errors: { text: `Keep it to one short sentence (at most ${LESSON_MAX} characters).` } };
  return { ok: true, value: { text, shareWithNewReps: selectedValues(values, MARK_LESSON_INPUTS.share).includes(SHARE_WITH_NEW_REPS_VALUE) } };
}
