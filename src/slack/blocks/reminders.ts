import type { KnownBlock } from '@slack/types';
import { formatLongDate } from '../../lib/dates';
import { escapeMrkdwn, linkMrkdwn, quoteMrkdwn, truncate } from '../../lib/mrkdwn';
import { formatMoney } from '../../lib/money';
import { ACTIONS } from '../ids';
import { LIMITS, context, header, plain, section } from './elements';
import type { TSlackMessage } from './retro';

// The direct messages the scheduler sends: debrief nudges, revisit follow-ups, action items due.
// Each says which deal it is about in its first line, because a DM arrives without the thread.

export interface TDealLine {
  dealName: string;
  amount: string | null;
  currency: string | null;
  /** YYYY-MM-DD */
  lostOn: string;
  threadUrl: string | null;
}

function dealContext(deal: TDealLine): KnownBlock {
  const parts = [`Lost ${formatLongDate(deal.lostOn)}`, escapeMrkdwn(formatMoney(deal.amount, deal.currency))];
  if (deal.threadUrl) parts.push(linkMrkdwn(deal.threadUrl, 'Open the retro thread'));
  return context(parts.join(' · '));
}

export interface TDebriefNudgeInput extends TDealLine {
  retroId: string;
  /** 1 for the first reminder. */
  reminderNumber: number;
  isLastReminder: boolean;
}

/** Reminds the owner that the retro is waiting for their debrief, with the button that opens it. */
export function buildDebriefNudge(input: TDebriefNudgeInput): TSlackMessage {
  const deal = `*${escapeMrkdwn(input.dealName)}*`;
  const opening =
    input.reminderNumber === 1
      ? `:wave: The retro for ${deal} is still waiting for your debrief.`
      : `:wave: A last nudge: the retro for ${deal} still has no debrief.`;
  const why = 'Ten minutes while you remember the details: what the buyer said, why the winner won, what you would change. It saves the next rep from the same loss.';
  const blocks: KnownBlock[] = [
    section(`${opening}\n${why}`),
    {
      type: 'actions',
      elements: [
        { type: 'button', action_id: ACTIONS.openDebrief, text: plain('Write debrief', LIMITS.buttonText), style: 'primary', value: input.retroId },
      ],
    },
    dealContext(input),
  ];
  if (input.isLastReminder) blocks.push(context("This is the last reminder: I won't ask again."));
  return { text: truncate(`Reminder: your debrief for ${escapeMrkdwn(input.dealName)} is still open`, LIMITS.fallbackText), blocks };
}

export type TFollowUpAnswer = { kind: 'snoozed'; until: string } | { kind: 'done' };

export interface TRevisitFollowUpInput extends TDealLine {
  debriefId: string;
  winnerName: string | null;
  whyWinnerWon: string | null;
  buyerWords: string | null;
}

/**
 * On the revisit date from the debrief: what the owner needs before getting back in touch (what the
 * buyer said, why the winner won) and the buttons to snooze or close the reminder. Once answered,
 * the same message is shown with the answer in place of the buttons.
 */
export function buildRevisitFollowUp(input: TRevisitFollowUpInput, answer?: TFollowUpAnswer): TSlackMessage {
  const blocks: KnownBlock[] = [
    header(`Time to get back in touch: ${input.dealName}`),
    section(
      `You asked to be reminded today about *${escapeMrkdwn(input.dealName)}*. Lost customers often come back at renewal time, ` +
        'or when the option they chose disappoints: a short, friendly note keeps the door open.',
    ),
    section(input.buyerWords ? `*What the buyer said*\n${quoteMrkdwn(input.buyerWords)}` : '*What the buyer said*\n_Nothing was recorded from the buyer._'),
  ];
  const winner = input.winnerName ? escapeMrkdwn(input.winnerName) : 'the winner';
  if (input.whyWinnerWon) blocks.push(section(`*Why ${winner} won*\n${escapeMrkdwn(input.whyWinnerWon)}`));
  else if (input.winnerName) blocks.push(section(`*Who won:* ${winner}`));
  blocks.push(dealContext(input));

  if (!answer) {
    blocks.push({
      type: 'actions',
      elements: [
        { type: 'button', action_id: ACTIONS.followUpSnoozeTwoWeeks, text: plain('Snooze 2 weeks', LIMITS.buttonText), value: input.debriefId },
        { type: 'button', action_id: ACTIONS.followUpSnoozeOneMonth, text: plain('Snooze 1 month', LIMITS.buttonText), value: input.debriefId },
        { type: 'button', action_id: ACTIONS.followUpDone, text: plain('Done', LIMITS.buttonText), style: 'primary', value: input.debriefId },
      ],
    });
  } else if (answer.kind === 'snoozed') {
    blocks.push(context(`:zzz: Snoozed: I'll remind you again on ${formatLongDate(answer.until)}.`));
  } else {
    blocks.push(context(':white_check_mark: Marked done. No more reminders about this deal.'));
  }
  return { text: truncate(`Time to get back in touch: ${escapeMrkdwn(input.dealName)}`, LIMITS.fallbackText), blocks };
}

export interface TActionItemsDueInput {
  /** YYYY-MM-DD, the owner's today. */
  dueOn: string;
  items: Array<{ text: string; dealName: string; threadUrl: string | null }>;
}

/** Items per message: the rest are counted, so a long list never breaks Slack's 50-block limit. */
const MAX_LISTED_ACTION_ITEMS = 20;

/** The morning DM listing the action items from team retros that are due today. */
export function buildActionItemsDue(input: TActionItemsDueInput): TSlackMessage {
  const count = input.items.length;
  const listed = input.items.slice(0, MAX_LISTED_ACTION_ITEMS);
  const intro = count === 1 ? 'One action item from a team retro is due today:' : `${count} action items from team retros are due today:`;
  const blocks: KnownBlock[] = [
    section(`:spiral_calendar_pad: ${intro}`),
    ...listed.map((item) => {
      const retro = item.threadUrl ? linkMrkdwn(item.threadUrl, `retro of ${item.dealName}`) : `retro of *${escapeMrkdwn(item.dealName)}*`;
      return section(`• ${escapeMrkdwn(item.text)}\n_From the ${retro}_`);
    }),
  ];
  if (count > listed.length) blocks.push(context(`…and ${count - listed.length} more. The retro threads have them all.`));
  blocks.push(context(`Due ${formatLongDate(input.dueOn)}, as agreed when the team retro closed.`));
  const first = input.items[0]?.text ?? '';
  return {
    text: truncate(count === 1 ? `Due today: ${escapeMrkdwn(first)}` : `${count} action items are due today`, LIMITS.fallbackText),
    blocks,
  };
}
