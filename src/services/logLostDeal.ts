import { z } from 'zod';
import { ZLostDeal, type TLostDeal } from '../domain/lostDeal';
import { AppError } from '../errors';
import { escapeMrkdwn, linkMrkdwn } from '../lib/mrkdwn';
import type { TDeliveryHandler } from '../outbox/worker';
import type { TDeliveryRequest } from '../repositories/slackDeliveries';
import type { TDebriefNudgeSettings } from './reminders/debriefNudges';
import { openRetro } from './openRetro';

// A deal logged by hand is accepted in one database write (this queued row) before its modal
// closes; the outbox then stores the deal and its retro and queues the thread. The form's answers
// are safe the moment Slack is told they were, and the request that accepts them stays cheap.

export const LOSS_LOG_KIND = 'loss.log';

const ZLoggedLoss = z.object({
  slackTeamId: z.string(),
  deal: ZLostDeal.extend({ lostAt: z.coerce.date() }),
});

/** The queued row of a deal logged through the modal `viewId`: a form submitted twice is one row. */
export function lossLogged(input: {
  viewId: string;
  slackTeamId: string;
  deal: TLostDeal;
}): Omit<TDeliveryRequest, 'workspaceId'> {
  return {
    kind: LOSS_LOG_KIND,
    key: `${LOSS_LOG_KIND}:${input.viewId}`,
    payload: { slackTeamId: input.slackTeamId, deal: { ...input.deal, lostAt: input.deal.lostAt.toISOString() } },
  };
}

export interface TLossLogDeps {
  /** RETRO_CHANNEL, for workspaces that chose none in /losses settings. */
  retroChannelId: string | undefined;
  reminders?: TDebriefNudgeSettings;
  now?: () => Date;
}

/**
 * Stores a hand-logged deal and its retro (openRetro, which queues the thread), then tells whoever
 * logged it when the deal turned out to have a retro already. Safe to run again: openRetro finds
 * the retro an earlier attempt stored, and then says nothing.
 */
export function createLossLogHandler(deps: TLossLogDeps): TDeliveryHandler {
  return {
    async deliver(context) {
      const { slackTeamId, deal } = ZLoggedLoss.parse(context.delivery.payload);
      const loggedBy = deal.loggedBySlackUserId;
      let result: Awaited<ReturnType<typeof openRetro>>;
      try {
        result = await openRetro(
          { repos: context.repos, client: context.client, logger: context.logger, reminders: deps.reminders, now: deps.now },
          { slackTeamId, channelId: deps.retroChannelId, deal },
        );
      } catch (error) {
        // No retro channel chosen (since the form was accepted): nothing to retry; the person is told what to do.
        if (!(error instanceof AppError) || !loggedBy) throw error;
        await context.once('notSavedDm', async () => {
          await context.client.chat.postMessage({ channel: loggedBy, text: error.userMessage });
        });
        return;
      }
      // On a retry, a retro this person logged is the one an earlier attempt stored, not news.
      const earlierAttemptStoredIt = context.mayHavePosted && result.retro.deal.loggedBySlackUserId === loggedBy;
      if (result.created || !loggedBy || earlierAttemptStoredIt) return;
      const where = result.permalink ? linkMrkdwn(result.permalink, 'the retro thread') : 'the retro channel';
      // The CRM (or a colleague) got there first: a link to the record is how they were matched.
      await context.once('alreadyDm', async () => {
        await context.client.chat.postMessage({
          channel: loggedBy,
          text: `*${escapeMrkdwn(result.retro.deal.name)}* already has a retro, so I did not open another: it is in ${where}.`,
        });
      });
    },

    async onGiveUp(context, error) {
      const parsed = ZLoggedLoss.safeParse(context.delivery.payload);
      const loggedBy = parsed.success ? parsed.data.deal.loggedBySlackUserId : undefined;
      if (!parsed.success || !loggedBy) return;
      await context.client.chat.postMessage({
        channel: loggedBy,
        text: `I could not open the retro of *${escapeMrkdwn(parsed.data.deal.name)}* (${error}). Log it again with \`/losses log\`; sorry for the trouble.`,
      });
    },
  };
}
