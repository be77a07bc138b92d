import type { KnownBlock } from '@slack/types';
import { OUTCOMES, PRICE_TO_VALUE, labelOf, type TDebriefAnswers } from '../../domain/debrief';
import { DEFAULT_REASON_CATALOG, reasonLabel, type TReasonCatalog } from '../../domain/lossReasons';
import { formatLongDate } from '../../lib/dates';
import { escapeMrkdwn, mentionUser, quoteMrkdwn } from '../../lib/mrkdwn';
import { ACTIONS } from '../ids';
import { LIMITS, context, divider, plain, section } from './elements';
import type { TSlackMessage } from './retro';

/** Under a debrief or perspective marked anonymous: the thread names the author, digests will not. */
export function anonymityNote(): KnownBlock {
  return context(':see_no_evil: Shown without a name in digests; managers can still see who wrote it.');
}

export interface TDebriefSummaryInput {
  retroId: string;
  dealName: string;
  authorSlackUserId: string;
  answers: TDebriefAnswers;
  revision: number;
  /** The workspace's loss reasons, for their current labels; the built-in ones when left out. */
  reasons?: TReasonCatalog;
}

function describeOutcome(answers: TDebriefAnswers): string {
  if (answers.outcome === 'competitor' && answers.winnerName) {
    return `*${escapeMrkdwn(answers.winnerName)}* won`;
  }
  const label = labelOf(OUTCOMES, answers.outcome);
  return answers.winnerName ? `${label} (${escapeMrkdwn(answers.winnerName)} mentioned)` : label;
}

/**
 * The debrief as the thread shows it. The buyer's words and the rep's view are separate sections
 * on purpose: readers should never mistake the rep's interpretation for what the buyer said.
 */
export function buildDebriefSummary(input: TDebriefSummaryInput): TSlackMessage {
  const { answers } = input;
  // Labels are the workspace's own words: escaped like anything else a person typed.
  const labelOfReason = (value: string) => escapeMrkdwn(reasonLabel(input.reasons ?? DEFAULT_REASON_CATALOG, value));
  const reasons = [
    `*Main reason:* ${labelOfReason(answers.primaryReason)}`,
    answers.secondaryReasons.length
      ? `*Also played a part:* ${answers.secondaryReasons.map(labelOfReason).join(', ')}`
      : null,
    `*Where the buyer went:* ${describeOutcome(answers)}`,
    answers.priceToValue ? `*Price against value, next to the winner:* ${labelOf(PRICE_TO_VALUE, answers.priceToValue)}` : null,
  ].filter((line): line is string => line !== null);

  const blocks: KnownBlock[] = [
    section(
      `:memo: *Debrief from ${mentionUser(input.authorSlackUserId)}*${input.revision > 1 ? ' _(edited)_' : ''}\n${reasons.join('\n')}`,
    ),
  ];
  if (answers.whyWinnerWon) blocks.push(section(`*Why the winner won*\n${escapeMrkdwn(answers.whyWinnerWon)}`));
  blocks.push(divider);
  blocks.push(
    section(
      answers.buyerWords
        ? `*In the buyer's words*\n${quoteMrkdwn(answers.buyerWords)}`
        : "*In the buyer's words*\n_Nothing recorded from the buyer yet. If you hear from them, edit the debrief._",
    ),
  );
  if (answers.wentWell) blocks.push(section(`*The rep's view: what went well*\n${escapeMrkdwn(answers.wentWell)}`));
  if (answers.wentWrong) blocks.push(section(`*The rep's view: what to do differently*\n${escapeMrkdwn(answers.wentWrong)}`));
  if (answers.featureGaps) blocks.push(section(`*What the winner had that we lacked*\n${escapeMrkdwn(answers.featureGaps)}`));
  const footer = answers.revisitOn
    ? `:calendar: Back in touch on ${formatLongDate(answers.revisitOn)}: lost customers often return.`
    : 'No date set to get back in touch with this customer.';
  blocks.push(context(footer));
  // The thread shows the author either way; the note tells readers why digests will not.
  if (answers.anonymous) blocks.push(anonymityNote());
  blocks.push({
    type: 'actions',
    elements: [
      { type: 'button', action_id: ACTIONS.openDebrief, text: plain('Edit debrief', LIMITS.buttonText), value: input.retroId },
    ],
  });
  return {
    text: `Debrief for ${escapeMrkdwn(input.dealName)}: ${labelOfReason(answers.primaryReason)}`,
    blocks,
  };
}
