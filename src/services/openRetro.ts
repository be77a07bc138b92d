import type { WebClient } from '@slack/web-api';
import { withCrmIdentity } from '../crm/recordUrl';
import type { TLostDeal } from '../domain/lostDeal';
import { canonicalCompetitor } from '../domain/workspaceSettings';
import { AppError, slackErrorCode } from '../errors';
import type { TLogger } from '../lib/logger';
import type { TRepositories } from '../repositories';
import type { TRetroRecord } from '../repositories/retros';
import { buildOwnerNotice, buildRetroParentMessage, buildRetroPrompt } from '../slack/blocks/retro';
import { scheduleDebriefNudges, type TDebriefNudgeSettings } from './reminders/debriefNudges';
import { toRetroCard } from './retroCard';

export interface TOpenRetroDeps {
  repos: TRepositories;
  client: WebClient;
  logger: TLogger;
  /** When the owner is reminded to debrief (DEBRIEF_NUDGE_AFTER); one working day when not given. */
  reminders?: TDebriefNudgeSettings;
  /** The clock the reminders count from; tests fix it. */
  now?: () => Date;
}

export interface TOpenRetroResult {
  retro: TRetroRecord;
  /** False when this loss already had a retro (a retry or duplicate delivery). */
  created: boolean;
  permalink: string | null;
}

const UNREACHABLE_CHANNEL_ERRORS = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action']);

/**
 * The one way a retro opens, whatever reported the loss: store it, post the parent message and
 * the debrief prompt in its thread, and tell the owner. Safe to call again for the same loss:
 * it finishes whatever an interrupted earlier call left undone and never posts twice.
 */
export async function openRetro(
  deps: TOpenRetroDeps,
  input: { slackTeamId: string; channelId: string | undefined; deal: TLostDeal },
): Promise<TOpenRetroResult> {
  const workspace = await deps.repos.workspaces.ensure(input.slackTeamId);
  // The workspace's own choice (/losses settings), else RETRO_CHANNEL.
  const channelId = workspace.retroChannelId ?? input.channelId;
  if (!channelId) {
    throw new AppError(
      'retro_channel_not_set',
      `Debrief does not know where to open retros yet: a workspace admin chooses the channel with \`/losses settings\`. Nothing was saved; log the deal again once the channel is set.`,
    );
  }
  // A hand-logged deal with a link to its CRM record, and the CRM's own webhook for it, are one deal.
  // A competitor the team listed in /losses settings keeps the team's spelling.
  const identified = withCrmIdentity(input.deal);
  const deal = identified.competitor ? { ...identified, competitor: canonicalCompetitor(identified.competitor, workspace.competitors) } : identified;
  const { retro, created } = await deps.repos.retros.recordLoss(workspace.id, deal, channelId);
  // Before anything is posted, so that a retry finishing an interrupted opening still finds it scheduled.
  await scheduleDebriefNudges(deps, { retro, workspace, openedAt: deps.now?.() ?? new Date(), settings: deps.reminders });
  if (!created && retro.messageTs && retro.promptTs) {
    deps.logger.info(`Retro ${retro.id} already open for ${deal.source}:${deal.externalId}; not posting again.`);
    return { retro, created, permalink: retro.permalink ?? (await rememberPermalink(deps, retro.id, retro.channelId, retro.messageTs)) };
  }

  const card = toRetroCard(retro);
  let messageTs = retro.messageTs;
  if (!messageTs) {
    try {
      const parent = await deps.client.chat.postMessage({ channel: retro.channelId, ...buildRetroParentMessage(card), unfurl_links: false });
      messageTs = parent.ts ?? null;
    } catch (error) {
      const code = slackErrorCode(error);
      if (code && UNREACHABLE_CHANNEL_ERRORS.has(code)) {
        throw new AppError(
          'retro_channel_unreachable',
          `I couldn't post in <#${retro.channelId}> (${code}). Invite me there with \`/invite @Debrief\`, then log the deal again: nothing was lost, the deal is saved.`,
          { cause: error },
        );
      }
      throw error;
    }
    if (!messageTs) throw new Error('chat.postMessage answered without a ts');
    await deps.repos.retros.setMessages(retro.id, { messageTs });
  }

  if (!retro.promptTs) {
    const prompt = await deps.client.chat.postMessage({ channel: retro.channelId, thread_ts: messageTs, ...buildRetroPrompt(card) });
    if (prompt.ts) await deps.repos.retros.setMessages(retro.id, { promptTs: prompt.ts });
  }

  const permalink = await rememberPermalink(deps, retro.id, retro.channelId, messageTs);
  if (card.owner.slackUserId) {
    try {
      await deps.client.chat.postMessage({ channel: card.owner.slackUserId, ...buildOwnerNotice(card, permalink) });
    } catch (error) {
      // The retro is open; a DM the owner cannot receive must not undo that.
      deps.logger.warn(`Could not DM owner ${card.owner.slackUserId} about retro ${retro.id}: ${slackErrorCode(error) ?? String(error)}`);
    }
  }
  return { retro: { ...retro, messageTs }, created: true, permalink };
}

/** Stored so that a later loss of the same deal can link back to this thread without asking Slack. */
async function rememberPermalink(deps: TOpenRetroDeps, retroId: string, channel: string, messageTs: string): Promise<string | null> {
  const permalink = await permalinkOf(deps, channel, messageTs);
  if (permalink) await deps.repos.retros.setMessages(retroId, { permalink });
  return permalink;
}

async function permalinkOf(deps: TOpenRetroDeps, channel: string, messageTs: string): Promise<string | null> {
  try {
    const result = await deps.client.chat.getPermalink({ channel, message_ts: messageTs });
    return result.permalink ?? null;
  } catch (error) {
    deps.logger.warn(`chat.getPermalink failed for ${channel}/${messageTs}: ${slackErrorCode(error) ?? String(error)}`);
    return null;
  }
}
