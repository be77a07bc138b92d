import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import {
  LONG_ANSWER_MAX,
  WINNER_NAME_MAX,
  OUTCOMES,
  PRICE_TO_VALUE,
  type TDebriefAnswers,
} from '../../domain/debrief';
import { DEFAULT_REASON_CATALOG, selectableReasons, type TReasonCatalog } from '../../domain/lossReasons';
import { truncate } from '../../lib/mrkdwn';
import { ANONYMOUS_OPTION_VALUE, CALLBACKS, DEBRIEF_INPUTS } from '../ids';
import { LIMITS, context, option, plain } from './elements';

export interface TDebriefModalOptions {
  retroId: string;
  dealName: string;
  /** What the CRM or the log said about who won; pre-fills the winner on a first debrief. */
  knownCompetitor: string | null;
  existing: TDebriefAnswers | null;
  /** The competitors the workspace listed in /losses settings, suggested under the winner. */
  knownCompetitors?: readonly string[];
  /** The workspace's loss reasons (/losses settings); the built-in ones when left out. */
  reasons?: TReasonCatalog;
}

const outcomeOptions = OUTCOMES.map((outcome) => option(outcome.value, outcome.label));
const priceOptions = PRICE_TO_VALUE.map((choice) => option(choice.value, choice.label));
// The same words as on a perspective, so "anonymous" means one thing everywhere.
const anonymousOption = {
  text: plain("Don't show my name in digests", LIMITS.optionText),
  description: plain('Managers still see who wrote it.', LIMITS.optionText),
  value: ANONYMOUS_OPTION_VALUE,
};

function pick(options: PlainTextOption[], value: string | null | undefined): PlainTextOption | undefined {
  return options.find((candidate) => candidate.value === value);
}

function longAnswer(
  input: { block: string; action: string },
  label: string,
  hint: string,
  placeholder: string,
  initialValue: string | null | undefined,
): KnownBlock {
  return {
    type: 'input',
    block_id: input.block,
    optional: true,
    label: plain(label, 2000),
    hint: plain(hint, 2000),
    element: {
      type: 'plain_text_input',
      action_id: input.action,
      multiline: true,
      max_length: LONG_ANSWER_MAX,
      placeholder: plain(placeholder, 150),
      ...(initialValue ? { initial_value: initialValue } : {}),
    },
  };
}

export function buildDebriefModal(options: TDebriefModalOptions): ModalView {
  const existing = options.existing;
  // Active reasons, plus those this debrief already chose: editing keeps a reason retired since.
  const keptReasons = existing ? [...new Set([existing.primaryReason, ...existing.secondaryReasons])] : [];
  const reasonOptions = selectableReasons(options.reasons ?? DEFAULT_REASON_CATALOG, keptReasons).map((reason) => option(reason.value, reason.label));
  const primary = pick(reasonOptions, existing?.primaryReason);
  const secondary = reasonOptions.filter((candidate) =>
    existing?.secondaryReasons.some((reason) => reason === candidate.value),
  );
  const outcome = pick(outcomeOptions, existing?.outcome ?? (options.knownCompetitor ? 'competitor' : undefined));
  const priceToValue = pick(priceOptions, existing?.priceToValue);
  const winnerName = existing ? existing.winnerName : options.knownCompetitor;

  const blocks: KnownBlock[] = [
    context(
      `*${truncate(options.dealName, 200).replace(/[*<>&]/g, '')}*\n` +
        'Answer as the buyer would tell it, not as you hoped it went. There are no wrong answers: the point is what the next rep can learn.',
    ),
    {
      type: 'input',
      block_id: DEBRIEF_INPUTS.primaryReason.block,
      label: plain('What decided it, above all?'),
      hint: plain('The main reason the deal was lost, as far as you can tell.'),
      element: {
        type: 'static_select',
        action_id: DEBRIEF_INPUTS.primaryReason.action,
        options: reasonOptions,
        placeholder: plain('Choose one'),
        ...(primary ? { initial_option: primary } : {}),
      },
    },
    {
      type: 'input',
      block_id: DEBRIEF_INPUTS.secondaryReasons.block,
      optional: true,
      label: plain('What else played a part?'),
      element: {
        type: 'multi_static_select',
        action_id: DEBRIEF_INPUTS.secondaryReasons.action,
        options: reasonOptions,
        placeholder: plain('Any others'),
        ...(secondary.length ? { initial_options: secondary } : {}),
      },
    },
    {
      type: 'input',
      block_id: DEBRIEF_INPUTS.outcome.block,
      label: plain('Where did the buyer go?'),
      element: {
        type: 'static_select',
        action_id: DEBRIEF_INPUTS.outcome.action,
        options: outcomeOptions,
        placeholder: plain('Choose one'),
        ...(outcome ? { initial_option: outcome } : {}),
      },
    },
    {
      type: 'input',
      block_id: DEBRIEF_INPUTS.winnerName.block,
      optional: true,
      label: plain('Which vendor won?'),
      ...(options.knownCompetitors && options.knownCompetitors.length > 0 ? { hint: plain(`Known competitors: ${options.knownCompetitors.join(', ')}.`, 2000) } : {}),
      element: {
        type: 'plain_text_input',
        action_id: DEBRIEF_INPUTS.winnerName.action,
        max_length: WINNER_NAME_MAX,
        ...(winnerName ? { initial_value: winnerName } : {}),
      },
    },
    longAnswer(
      DEBRIEF_INPUTS.whyWinnerWon,
      'Why did the winner win?',
      'What did they offer or do that the buyer valued? Features we lacked go further down.',
      'What the buyer valued in the option they chose',
      existing?.whyWinnerWon,
    ),
    {
      type: 'input',
      block_id: DEBRIEF_INPUTS.priceToValue.block,
      optional: true,
      label: plain('How did the buyer see our price against the value, next to the winner?'),
      element: {
        type: 'static_select',
        action_id: DEBRIEF_INPUTS.priceToValue.action,
        options: priceOptions,
        placeholder: plain('Choose one'),
        ...(priceToValue ? { initial_option: priceToValue } : {}),
      },
    },
    { type: 'divider' },
    longAnswer(
      DEBRIEF_INPUTS.buyerWords,
      'What did the buyer say, in their own words?',
      "Quote the buyer as closely as you can: emails, calls, the rejection note. Keep your own reading for the next questions.",
      '"We went with them because…"',
      existing?.buyerWords,
    ),
    longAnswer(
      DEBRIEF_INPUTS.wentWell,
      'What went well?',
      'What would you do again on the next deal like this one?',
      'Moments where the buyer leaned in',
      existing?.wentWell,
    ),
    longAnswer(
      DEBRIEF_INPUTS.wentWrong,
      'What would you do differently?',
      'Your own view, looking back: what happened and what you would change.',
      'Looking back, I would…',
      existing?.wentWrong,
    ),
    longAnswer(
      DEBRIEF_INPUTS.featureGaps,
      'What did the winner have that we lacked?',
      'Capabilities, integrations, terms or services the buyer wanted.',
      'One per line',
      existing?.featureGaps,
    ),
    {
      type: 'input',
      block_id: DEBRIEF_INPUTS.revisitOn.block,
      optional: true,
      label: plain('When should we get back in touch?'),
      hint: plain('Lost customers often come back at renewal time. You get a reminder on this date.'),
      element: {
        type: 'datepicker',
        action_id: DEBRIEF_INPUTS.revisitOn.action,
        ...(existing?.revisitOn ? { initial_date: existing.revisitOn } : {}),
      },
    },
    {
      type: 'input',
      block_id: DEBRIEF_INPUTS.anonymous.block,
      optional: true,
      label: plain('Digests'),
      hint: plain('The thread still shows your name: candour is easier when the wider digest does not.', 2000),
      element: {
        type: 'checkboxes',
        action_id: DEBRIEF_INPUTS.anonymous.action,
        options: [anonymousOption],
        ...(existing?.anonymous ? { initial_options: [anonymousOption] } : {}),
      },
    },
  ];

  return {
    type: 'modal',
    callback_id: CALLBACKS.debriefModal,
    title: plain(existing ? 'Edit your debrief' : 'Loss debrief', 24),
    submit: plain(existing ? 'Save changes' : 'Share debrief', 24),
    close: plain('Cancel', 24),
    private_metadata: JSON.stringify({ retroId: options.retroId, ...(keptReasons.length > 0 ? { keptReasons } : {}) }),
    blocks,
  };
}
