import type { WebClient } from '@slack/web-api';
import { withCrmIdentity } from '../crm/recordUrl';
import type { TLostDeal } from '../domain/lostDeal';
import { canonicalCompetitor } from '../domain/workspaceSettings';
import { AppError, slackErrorCode } from '../errors';
import type { TLogger } from '../lib/logger';
import { escapeMrkdwn, linkMrkdwn } from '../lib/mrkdwn';
import { postOnce, unlessPermanent } from '../outbox/slackWrites';
import type { TDeliveryHandler } from '../outbox/worker';
import type { TRepositories } from '../repositories';
import type { TRetroRecord } from '../repositories/retros';
import { retroDelivery, ZRetroDeliveryPayload, type TDeliveryRequest } from '../repositories/slackDeliveries';
import { buildLostAgainNote } from '../slack/blocks/crmIntake';
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
  /** The thread's link when it is already known (an earlier opening); the outbox posts a new one. */
  permalink: string | null;
}

export const retroChannelNotSet = (): AppError =>
  new AppError(
    'retro_channel_not_set',
    `Debrief does not know where to open retros yet: a workspace admin chooses the channel with \`/losses settings\`. Nothing was saved; log the deal again once the channel is set.`,
  );

const UNREACHABLE_CHANNEL_ERRORS = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action']);

/**
 * The one way a retro opens, whatever reported the loss: store it, with the delivery that posts
 * the parent message and the debrief prompt in its thread and tells the owner (the outbox worker
 * does that within a moment, with retries). Safe to call again for the same loss: a thread not
 * fully open yet is queued again, and nothing is ever posted twice.
 */
export async function openRetro(
  deps: TOpenRetroDeps,
  input: { slackTeamId: string; channelId: string | undefined; deal: TLostDeal },
): Promise<TOpenRetroResult> {
  const workspace = await deps.repos.workspaces.ensure(input.slackTeamId);
  // The workspace's own choice (/losses settings), else RETRO_CHANNEL.
  const channelId = workspace.retroChannelId ?? input.channelId;
  if (!channelId) {
    throw retroChannelNotSet();
  }
  // A hand-logged deal with a link to its CRM record, and the CRM's own webhook for it, are one deal.
  // A competitor the team listed in /losses settings keeps the team's spelling.
  const identified = withCrmIdentity(input.deal);
  const deal = identified.competitor ? { ...identified, competitor: canonicalCompetitor(identified.competitor, workspace.competitors) } : identified;
  const { retro, created } = await deps.repos.retros.recordLoss(workspace.id, deal, channelId, { deliveries: (stored) => [retroOpening(stored)] });
  await scheduleDebriefNudges(deps, { retro, workspace, openedAt: deps.now?.() ?? new Date(), settings: deps.reminders });
  if (!created && retro.messageTs && retro.promptTs) {
    deps.logger.info(`Retro ${retro.id} already open for ${deal.source}:${deal.externalId}; not posting again.`);
    return { retro, created, permalink: retro.permalink };
  }

  // Posting is the outbox's job: the delivery was queued with the retro (or is queued again here
  // when an earlier opening was interrupted or given up), and its worker posts within a moment.
  if (!created) await deps.repos.slackDeliveries.enqueue([retroOpening(retro)]);
  return { retro, created, permalink: retro.permalink };
}

/** The delivery that opens a retro's thread: parent message, debrief prompt, DMs, lost-again note. */
export function retroOpening(retro: Pick<TRetroRecord, 'id' | 'workspaceId'>): TDeliveryRequest {
  return retroDelivery(RETRO_OPENING_KIND, retro);
}

export const RETRO_OPENING_KIND = 'retro.open';

/**
 * Opens the thread of a stored retro, finishing whatever an interrupted attempt left undone: the
 * parent message, the debrief prompt in its thread, the permalink, the owner's DM, the DM to
 * whoever logged it for the owner, and a note in the previous loss's thread. Run by the outbox.
 */
export const retroOpeningHandler: TDeliveryHandler = {
  async deliver(context) {
    const { repos, logger, client } = context;
    const { retroId } = ZRetroDeliveryPayload.parse(context.delivery.payload);
    const retro = await repos.retros.findById(retroId, { workspaceId: context.delivery.workspaceId });
    if (!retro) return; // deleted since (retention, uninstall): nothing left to show
    const card = toRetroCard(retro);
    let messageTs = retro.messageTs;
    if (!messageTs) {
      messageTs = await postOnce(context, `retro.parent:${retro.id}`, { channel: retro.channelId, ...buildRetroParentMessage(card), unfurl_links: false });
      await repos.retros.setMessages(retro.id, { messageTs });
    }
    if (!retro.promptTs) {
      const promptTs = await postOnce(context, `retro.prompt:${retro.id}`, { channel: retro.channelId, thread_ts: messageTs, ...buildRetroPrompt(card) });
      await repos.retros.setMessages(retro.id, { promptTs });
    }
    const permalink = retro.permalink ?? (await rememberPermalink({ repos, logger, client }, retro.id, retro.channelId, messageTs));

    const owner = card.owner.slackUserId;
    if (owner) {
      // The retro is open; a DM the owner cannot receive must not undo that.
      await context.once('ownerDm', () => unlessPermanent(logger, `DM owner ${owner} about retro ${retro.id}`, () => client.chat.postMessage({ channel: owner, ...buildOwnerNotice(card, permalink) })));
    }
    const loggedBy = retro.deal.loggedBySlackUserId;
    if (loggedBy && loggedBy !== owner) {
      const where = permalink ? linkMrkdwn(permalink, 'the retro thread') : 'the retro channel';
      await context.once('loggerDm', () =>
        unlessPermanent(logger, `DM ${loggedBy} about retro ${retro.id}`, () =>
          client.chat.postMessage({ channel: loggedBy, text: `Logged *${escapeMrkdwn(retro.deal.name)}*. The owner has been asked for a debrief in ${where}.` }),
        ),
      );
    }
    const previous = retro.previousRetro;
    if (previous?.messageTs) {
      const previousTs = previous.messageTs;
      await unlessPermanent(logger, `lost-again note in retro ${previous.id}`, () =>
        postOnce(context, `retro.lost_again:${retro.id}`, {
          channel: previous.channelId,
          thread_ts: previousTs,
          ...buildLostAgainNote({ lostOn: retro.deal.lostOn, newThreadUrl: permalink }),
          unfurl_links: false,
        }),
      );
    }
  },

  /** The thread could not be opened (the bot is not in the channel, ...): whoever logged the deal, or its owner, is told. */
  async onGiveUp(context, error) {
    const { retroId } = ZRetroDeliveryPayload.parse(context.delivery.payload);
    const retro = await context.repos.retros.findById(retroId, { workspaceId: context.delivery.workspaceId });
    const person = retro?.deal.loggedBySlackUserId ?? retro?.deal.ownerSlackUserId;
    if (!retro || !person) return;
    const text = UNREACHABLE_CHANNEL_ERRORS.has(error)
      ? `I couldn't post in <#${retro.channelId}> (${error}) to open the retro of *${escapeMrkdwn(retro.deal.name)}*. Invite me there with \`/invite @Debrief\`, then log the deal again: nothing was lost, the deal is saved.`
      : `I couldn't open the retro thread of *${escapeMrkdwn(retro.deal.name)}* in <#${retro.channelId}> (${error}). The deal is saved; log it again once Debrief can post there.`;
    await context.client.chat.postMessage({ channel: person, text });
  },
};

/** Stored so that a later loss of the same deal can link back to this thread without asking Slack. */
async function rememberPermalink(deps: Pick<TOpenRetroDeps, 'repos' | 'client' | 'logger'>, retroId: string, channel: string, messageTs: string): Promise<string | null> {
  const permalink = await permalinkOf(deps, channel, messageTs);
  if (permalink) await deps.repos.retros.setMessages(retroId, { permalink });
  return permalink;
}

async function permalinkOf(deps: Pick<TOpenRetroDeps, 'repos' | 'client' | 'logger'>, channel: string, messageTs: string): Promise<string | null> {
  try {
    const result = await deps.client.chat.getPermalink({ channel, message_ts: messageTs });
    return result.permalink ?? null;
  } catch (error) {
    deps.logger.warn(`chat.getPermalink failed for ${channel}/${messageTs}: ${slackErrorCode(error) ?? String(error)}`);
    return null;
  }
}
