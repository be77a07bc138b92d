import type { KnownBlock } from '@slack/types';
import type { TDealSource } from '../../domain/lostDeal';
import { escapeMrkdwn, linkMrkdwn, mentionUser, truncate } from '../../lib/mrkdwn';
import { formatMoney } from '../../lib/money';
import { ACTIONS } from '../ids';
import { LIMITS, context, fields, header, plain, section } from './elements';

export type TRetroStatus = 'open' | 'debriefed' | 'reviewed' | 'reopened';

export interface TRetroCard {
  retroId: string;
  dealName: string;
  amount: string | null;
  currency: string | null;
  owner: { slackUserId?: string | null; name?: string | null; email?: string | null };
  competitor: string | null;
  crmLossReason: string | null;
  crmUrl: string | null;
  source: TDealSource;
  status: TRetroStatus;
  lostOn: string;
  loggedBySlackUserId?: string | null;
  /** The deal's previous loss, when it was reopened and lost again. */
  previousLoss?: { lossNumber: number; threadUrl: string | null } | null;
}

export interface TSlackMessage {
  text: string;
  blocks: KnownBlock[];
}

const STATUS_LABELS: Record<TRetroStatus, string> = {
  open: ':hourglass_flowing_sand: Waiting for the debrief',
  debriefed: ':memo: Debriefed',
  reviewed: ':white_check_mark: Reviewed by the team',
  reopened: ':leftwards_arrow_with_hook: Deal reopened',
};

const SOURCE_LABELS: Record<TDealSource, string> = {
  manual: 'Logged in Slack',
  hubspot: 'HubSpot',
  salesforce: 'Salesforce',
  pipedrive: 'Pipedrive',
  generic: 'Webhook',
};

export function describeOwner(owner: TRetroCard['owner']): string {
  if (owner.slackUserId) return mentionUser(owner.slackUserId);
  if (owner.name && owner.email) return `${escapeMrkdwn(owner.name)} (${escapeMrkdwn(owner.email)})`;
  return escapeMrkdwn(owner.name ?? owner.email ?? 'Unknown owner');
}

export function describeWinner(competitor: string | null): string {
  return competitor ? escapeMrkdwn(competitor) : '_Not known yet_';
}

/** The parent message of a retro thread: what was lost, to whom, and where the retro stands. */
export function buildRetroParentMessage(card: TRetroCard): TSlackMessage {
  const amount = formatMoney(card.amount, card.currency);
  const blocks: KnownBlock[] = [
    header(`Lost: ${card.dealName}`),
    fields([
      ['Amount', escapeMrkdwn(amount)],
      ['Owner', describeOwner(card.owner)],
      ['Who won', describeWinner(card.competitor)],
      ['Status', STATUS_LABELS[card.status]],
    ]),
  ];
  if (card.crmLossReason) {
    blocks.push(section(`*Loss reason in the CRM:* ${escapeMrkdwn(truncate(card.crmLossReason, 500))}`));
  }
  const contextParts = [`${SOURCE_LABELS[card.source]} · lost ${card.lostOn}`];
  if (card.crmUrl) contextParts.push(linkMrkdwn(card.crmUrl, 'Open in CRM'));
  if (card.loggedBySlackUserId) contextParts.push(`logged by ${mentionUser(card.loggedBySlackUserId)}`);
  if (card.previousLoss) {
    // Without a stored permalink (Slack did not give one) the loss number still says it happened before.
    const previous = card.previousLoss.threadUrl ? linkMrkdwn(card.previousLoss.threadUrl, 'the earlier retro') : `loss #${card.previousLoss.lossNumber}`;
    contextParts.push(`Lost before: ${previous}`);
  }
  blocks.push(context(contextParts.join(' · ')));
  return {
    text: truncate(`Lost: ${escapeMrkdwn(card.dealName)} (${amount}) · ${STATUS_LABELS[card.status].replace(/^:[a-z_]+: /, '')}`, LIMITS.fallbackText),
    blocks,
  };
}

/** The first reply in the thread: asks the owner for the debrief, with the button that opens it. */
export function buildRetroPrompt(card: TRetroCard): TSlackMessage {
  const who = card.owner.slackUserId ? mentionUser(card.owner.slackUserId) : describeOwner(card.owner);
  return {
    text: `Debrief for ${escapeMrkdwn(card.dealName)}: what happened?`,
    blocks: [
      section(
        `${who}, while it is fresh: how did this one go? Ten minutes now saves the next rep from the same loss.\n` +
          'Tell it as it happened: what the buyer said in their own words, why the winner won, and what you would do differently.',
      ),
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: ACTIONS.openDebrief,
            text: plain('Add my debrief', LIMITS.buttonText),
            style: 'primary',
            value: card.retroId,
          },
          { type: 'button', action_id: ACTIONS.openPerspective, text: plain('Add my perspective', LIMITS.buttonText), value: card.retroId },
          { type: 'button', action_id: ACTIONS.runTeamRetro, text: plain('Run team retro', LIMITS.buttonText), value: card.retroId },
        ],
      },
      context(
        'Teammates: add your perspective or reply in this thread with what you saw. ' +
          'Managers and the deal owner run the team retro here when the debrief is in.',
      ),
    ],
  };
}

/** The direct message that tells the owner a retro is waiting for them. */
export function buildOwnerNotice(card: TRetroCard, threadPermalink: string | null): TSlackMessage {
  const where = threadPermalink ? linkMrkdwn(threadPermalink, 'the retro thread') : 'the retro thread';
  const text = `A retro opened for *${escapeMrkdwn(card.dealName)}* (${escapeMrkdwn(formatMoney(card.amount, card.currency))}). When you have ten minutes, add your debrief in ${where}.`;
  const blocks: KnownBlock[] = [
    section(text),
    {
      type: 'actions',
      elements: [
        { type: 'button', action_id: ACTIONS.openDebrief, text: plain('Add my debrief', LIMITS.buttonText), style: 'primary', value: card.retroId },
      ],
    },
  ];
  return { text: truncate(`A retro opened for ${escapeMrkdwn(card.dealName)}: add your debrief`, LIMITS.fallbackText), blocks };
}
