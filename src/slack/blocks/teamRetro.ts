import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { TLossReason } from '../../domain/debrief';
import { DEFAULT_REASON_CATALOG, reasonLabel, selectableReasons, type TReasonCatalog } from '../../domain/lossReasons';
import {
  ACTION_ITEM_MAX,
  LESSON_MAX,
  MAX_ACTION_ITEMS,
  MAX_LESSONS,
  RETRO_AGENDA,
  type TActionItemDraft,
  type TLessonDraft,
} from '../../domain/teamRetro';
import { formatLongDate } from '../../lib/dates';
import { escapeMrkdwn, mentionUser, truncate } from '../../lib/mrkdwn';
import { ACTIONS, CALLBACKS, MARK_LESSON_INPUTS, OUTCOME_INPUTS, SHARE_WITH_NEW_REPS_VALUE } from '../ids';
import { LIMITS, context, divider, header, option, plain, section } from './elements';
import type { TSlackMessage } from './retro';

const shareOption: PlainTextOption = {
  text: plain('Share with new reps', LIMITS.optionText),
  description: plain('Part of what new reps read when they start.', LIMITS.optionText),
  value: SHARE_WITH_NEW_REPS_VALUE,
};

// --- The agenda ---------------------------------------------------------------------------------

export interface TRetroAgendaInput {
  retroId: string;
  dealName: string;
  startedBySlackUserId: string;
  /** The rep's debrief, when there is one: the agreed reason is set against it. */
  debrief: { authorSlackUserId: string; primaryReason: TLossReason } | null;
  perspectiveCount: number;
  /** The workspace's loss reasons, for their current labels; the built-in ones when left out. */
  reasons?: TReasonCatalog;
}

/** A reason's current label in the workspace, escaped for mrkdwn: labels are the team's own words. */
function reasonText(reasons: TReasonCatalog | undefined, value: string): string {
  return escapeMrkdwn(reasonLabel(reasons ?? DEFAULT_REASON_CATALOG, value));
}

/** Posted in the thread by "Run team retro": the four questions, then the way to close the retro. */
export function buildRetroAgenda(input: TRetroAgendaInput): TSlackMessage {
  const sofar = [
    input.debrief
      ? `the debrief from ${mentionUser(input.debrief.authorSlackUserId)} (main reason: ${reasonText(input.reasons, input.debrief.primaryReason)})`
      : 'no debrief yet',
    input.perspectiveCount === 1 ? '1 perspective' : `${input.perspectiveCount} perspectives`,
  ];
  const agenda = RETRO_AGENDA.map((item, index) => `*${index + 1}. ${item.title}*\n${item.prompt}`).join('\n');
  return {
    text: truncate(`Team retro for ${escapeMrkdwn(input.dealName)}`, LIMITS.fallbackText),
    blocks: [
      section(
        `:spiral_note_pad: *Team retro for ${escapeMrkdwn(truncate(input.dealName, 200))}*, run by ${mentionUser(input.startedBySlackUserId)}\n` +
          `So far in this thread: ${sofar.join(' and ')}. Talk it through here, replying in the thread:`,
      ),
      section(agenda),
      context(
        'To close the retro, press *Record outcome*: the lessons, the action items and the loss reason the team agrees on. ' +
          'Managers can keep any reply as a lesson: hover it, then *More actions* > *Mark as lesson*.',
      ),
      {
        type: 'actions',
        elements: [
          { type: 'button', action_id: ACTIONS.recordOutcome, text: plain('Record outcome', LIMITS.buttonText), style: 'primary', value: input.retroId },
          { type: 'button', action_id: ACTIONS.openPerspective, text: plain('Add my perspective', LIMITS.buttonText), value: input.retroId },
        ],
      },
    ],
  };
}

// --- The "Record outcome" modal -----------------------------------------------------------------

export interface TOutcomeModalOptions {
  retroId: string;
  dealName: string;
  /** The reason the rep gave; preselected on a first close, shown for comparison on edits. */
  repReason: TLossReason | null;
  /** The saved outcome, when editing. */
  existing: { primaryReason: TLossReason; lessons: TLessonDraft[]; actionItems: TActionItemDraft[] } | null;
  /** The workspace's loss reasons: active ones are offered (plus the saved one, even if retired since). */
  reasons?: TReasonCatalog;
}

function lessonRow(row: number, lesson: TLessonDraft | undefined): KnownBlock[] {
  const text = OUTCOME_INPUTS.lesson(row);
  const share = OUTCOME_INPUTS.lessonShare(row);
  return [
    {
      type: 'input',
      block_id: text.block,
      optional: true,
      label: plain(`Lesson ${row + 1}`),
      element: {
        type: 'plain_text_input',
        action_id: text.action,
        max_length: LESSON_MAX,
        placeholder: plain(row === 0 ? 'One short sentence, e.g. "Bring security in before the pilot."' : 'Another lesson (optional)', 150),
        ...(lesson ? { initial_value: truncate(lesson.text, LESSON_MAX) } : {}),
      },
    },
    {
      type: 'input',
      block_id: share.block,
      optional: true,
      label: plain(`Lesson ${row + 1}: who should see it?`),
      element: {
        type: 'checkboxes',
        action_id: share.action,
        options: [shareOption],
        ...(lesson?.shareWithNewReps ? { initial_options: [shareOption] } : {}),
      },
    },
  ];
}

function actionItemRow(row: number, item: TActionItemDraft | undefined): KnownBlock[] {
  const text = OUTCOME_INPUTS.actionText(row);
  const owner = OUTCOME_INPUTS.actionOwner(row);
  const due = OUTCOME_INPUTS.actionDue(row);
  return [
    {
      type: 'input',
      block_id: text.block,
      optional: true,
      label: plain(`Action item ${row + 1}`),
      element: {
        type: 'plain_text_input',
        action_id: text.action,
        max_length: ACTION_ITEM_MAX,
        placeholder: plain(row === 0 ? 'e.g. "Add a security one-pager to the pilot kit"' : 'Another action item (optional)', 150),
        ...(item ? { initial_value: truncate(item.text, ACTION_ITEM_MAX) } : {}),
      },
    },
    {
      type: 'input',
      block_id: owner.block,
      optional: true,
      label: plain(`Action item ${row + 1}: owner`),
      element: { type: 'users_select', action_id: owner.action, placeholder: plain('Who does it'), ...(item ? { initial_user: item.ownerSlackUserId } : {}) },
    },
    {
      type: 'input',
      block_id: due.block,
      optional: true,
      label: plain(`Action item ${row + 1}: due`),
      element: { type: 'datepicker', action_id: due.action, placeholder: plain('Due date'), ...(item ? { initial_date: item.dueOn } : {}) },
    },
  ];
}

/**
 * "Record outcome": the agreed reason, up to five lessons (each with its own "share with new reps"
 * box) and up to five action items (text, owner, due date). Rows left empty are ignored, so one
 * static modal serves both a short and a long retro without views.update round trips.
 */
export function buildOutcomeModal(options: TOutcomeModalOptions): ModalView {
  const { existing } = options;
  const keptReason = existing?.primaryReason ?? null;
  const reasonOptions = selectableReasons(options.reasons ?? DEFAULT_REASON_CATALOG, keptReason ? [keptReason] : []).map((candidate) => option(candidate.value, candidate.label));
  const reason = reasonOptions.find((candidate) => candidate.value === (existing?.primaryReason ?? options.repReason));
  const repSaid = options.repReason ? `The rep's debrief says: *${reasonText(options.reasons, options.repReason)}*.` : 'There is no debrief from the rep yet.';
  const blocks: KnownBlock[] = [
    context(`*${escapeMrkdwn(truncate(options.dealName, 200))}*\n${repSaid} The team may agree on a different reason.`),
    {
      type: 'input',
      block_id: OUTCOME_INPUTS.primaryReason.block,
      label: plain('The main reason we lost, as the team sees it'),
      element: {
        type: 'static_select',
        action_id: OUTCOME_INPUTS.primaryReason.action,
        options: reasonOptions,
        placeholder: plain('Choose one'),
        ...(reason ? { initial_option: reason } : {}),
      },
    },
    header('Lessons'),
    context('Short sentences the next rep can act on. At least one; leave the rest empty.'),
  ];
  for (let row = 0; row < MAX_LESSONS; row += 1) blocks.push(...lessonRow(row, existing?.lessons[row]));
  blocks.push(divider, header('Action items'));
  blocks.push(context('Optional. Each needs an owner and a due date; the owner is reminded on the day.'));
  for (let row = 0; row < MAX_ACTION_ITEMS; row += 1) blocks.push(...actionItemRow(row, existing?.actionItems[row]));
  return {
    type: 'modal',
    callback_id: CALLBACKS.retroOutcomeModal,
    title: plain(existing ? 'Edit retro outcome' : 'Record outcome', LIMITS.modalTitle),
    submit: plain(existing ? 'Save changes' : 'Close the retro', LIMITS.modalButton),
    close: plain('Cancel', LIMITS.modalButton),
    private_metadata: JSON.stringify({ retroId: options.retroId, ...(keptReason ? { keptReason } : {}) }),
    blocks,
  };
}

// --- The outcome message ------------------------------------------------------------------------

export interface TOutcomeMessageInput {
  retroId: string;
  dealName: string;
  primaryReason: TLossReason;
  repReason: TLossReason | null;
  closedBySlackUserId: string;
  revision: number;
  lastSavedBySlackUserId: string;
  /** YYYY-MM-DD of the last save, for "edited on". */
  lastSavedOn: string;
  lessons: Array<{ text: string; shareWithNewReps: boolean; source: 'outcome' | 'reply'; authorSlackUserId: string | null }>;
  actionItems: Array<{ text: string; ownerSlackUserId: string; dueOn: string; done: boolean }>;
  /** The workspace's loss reasons, for their current labels; the built-in ones when left out. */
  reasons?: TReasonCatalog;
}

/** Lessons marked from replies can keep arriving; past this many the message points to search. */
const MAX_LISTED_REPLY_LESSONS = 8;

function lessonLine(lesson: TOutcomeMessageInput['lessons'][number]): string {
  const forNewReps = lesson.shareWithNewReps ? ' :mortar_board: _for new reps_' : '';
  const from = lesson.source === 'reply' && lesson.authorSlackUserId ? ` (from ${mentionUser(lesson.authorSlackUserId)}'s reply)` : '';
  return `• ${escapeMrkdwn(lesson.text)}${from}${forNewReps}`;
}

/** The closed retro, as the thread shows it; edits update this message in place. */
export function buildOutcomeMessage(input: TOutcomeMessageInput): TSlackMessage {
  const reason = reasonText(input.reasons, input.primaryReason);
  const differs = input.repReason && input.repReason !== input.primaryReason ? ` (the debrief said: ${reasonText(input.reasons, input.repReason)})` : '';
  const blocks: KnownBlock[] = [
    section(
      `:white_check_mark: *Team retro closed by ${mentionUser(input.closedBySlackUserId)}*${input.revision > 1 ? ' _(edited)_' : ''}\n` +
        `*Main reason, agreed by the team:* ${reason}${differs}`,
    ),
  ];
  const fromOutcome = input.lessons.filter((lesson) => lesson.source === 'outcome');
  const fromReplies = input.lessons.filter((lesson) => lesson.source === 'reply');
  if (fromOutcome.length) blocks.push(section(`*Lessons*\n${fromOutcome.map(lessonLine).join('\n')}`));
  if (fromReplies.length) {
    const listed = fromReplies.slice(0, MAX_LISTED_REPLY_LESSONS).map(lessonLine);
    const more = fromReplies.length - listed.length;
    if (more > 0) listed.push(`_…and ${more} more, all kept with the retro._`);
    blocks.push(section(`*Lessons from the discussion*\n${listed.join('\n')}`));
  }
  blocks.push(
    section(
      input.actionItems.length
        ? `*Action items*\n${input.actionItems
            .map((item) => {
              const line = `${escapeMrkdwn(item.text)}: ${mentionUser(item.ownerSlackUserId)}, due ${formatLongDate(item.dueOn)}`;
              return item.done ? `• ~${line}~ :heavy_check_mark:` : `• ${line}`;
            })
            .join('\n')}`
        : '*Action items*\n_None agreed._',
    ),
  );
  const edited =
    input.revision > 1 ? `Revision ${input.revision}, last edited by ${mentionUser(input.lastSavedBySlackUserId)} on ${formatLongDate(input.lastSavedOn)}; earlier versions are kept.` : null;
  blocks.push(context([edited, 'Everything said in this thread stays with the retro.'].filter(Boolean).join(' ')));
  blocks.push({
    type: 'actions',
    elements: [{ type: 'button', action_id: ACTIONS.recordOutcome, text: plain('Edit outcome', LIMITS.buttonText), value: input.retroId }],
  });
  return {
    text: truncate(`Team retro closed for ${escapeMrkdwn(input.dealName)}: ${reason}`, LIMITS.fallbackText),
    blocks,
  };
}

// --- "Mark as lesson" ---------------------------------------------------------------------------

export interface TMarkLessonModalOptions {
  retroId: string;
  messageTs: string;
  authorSlackUserId: string | null;
  /** The reply's text, or the lesson's when the reply was marked before. */
  text: string;
  shareWithNewReps: boolean;
  alreadyMarked: boolean;
}

/** Lets the manager trim a reply to one sentence before it becomes a lesson. */
export function buildMarkLessonModal(options: TMarkLessonModalOptions): ModalView {
  const from = options.authorSlackUserId ? `${mentionUser(options.authorSlackUserId)}'s reply` : 'this reply';
  const blocks: KnownBlock[] = [
    context(
      options.alreadyMarked
        ? `${from} is already a lesson of this retro. Change its wording or audience here.`
        : `Keep ${from} as a lesson of this retro. Shorten it to the sentence worth remembering.`,
    ),
    {
      type: 'input',
      block_id: MARK_LESSON_INPUTS.text.block,
      label: plain('Lesson'),
      element: {
        type: 'plain_text_input',
        action_id: MARK_LESSON_INPUTS.text.action,
        multiline: true,
        max_length: LESSON_MAX,
        ...(options.text.trim() ? { initial_value: truncate(options.text.trim(), LESSON_MAX) } : {}),
      },
    },
    {
      type: 'input',
      block_id: MARK_LESSON_INPUTS.share.block,
      optional: true,
      label: plain('Who should see it?'),
      element: {
        type: 'checkboxes',
        action_id: MARK_LESSON_INPUTS.share.action,
        options: [shareOption],
        ...(options.shareWithNewReps ? { initial_options: [shareOption] } : {}),
      },
    },
  ];
  return {
    type: 'modal',
    callback_id: CALLBACKS.markLessonModal,
    title: plain('Mark as lesson', LIMITS.modalTitle),
    submit: plain(options.alreadyMarked ? 'Save changes' : 'Keep as lesson', LIMITS.modalButton),
    close: plain('Cancel', LIMITS.modalButton),
    private_metadata: JSON.stringify({ retroId: options.retroId, messageTs: options.messageTs, authorSlackUserId: options.authorSlackUserId }),
    blocks,
  };
}
