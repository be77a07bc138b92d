import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { TDebriefAnswers } from '../domain/debrief';
import { canonicalCompetitor } from '../domain/workspaceSettings';
import { AppError } from '../errors';
import type { TLogger } from '../lib/logger';
import type { TRepositories } from '../repositories';
import type { TRetroDealSummary, TRetroRecord } from '../repositories/retros';
import type { TWorkspaceScope } from '../repositories/scope';
import type { TDeliveryRequest } from '../repositories/slackDeliveries';
import { NotReadyError } from '../outbox/retryPolicy';
import { postOnce, unlessPermanent } from '../outbox/slackWrites';
import type { TDeliveryHandler } from '../outbox/worker';
import { buildDebriefSummary } from '../slack/blocks/debriefSummary';
import { buildRetroParentMessage } from '../slack/blocks/retro';
import { loadReasonCatalog } from './lossReasons';
import { syncRevisitFollowUp } from './reminders/revisitFollowUps';
import { toRetroCard } from './retroCard';

export interface TDebriefDeps {
  repos: TRepositories;
  client: WebClient;
  logger: TLogger;
}

function retroNotFound(): AppError {
  return new AppError('retro_not_found', 'This retro no longer exists, so there is nothing to debrief.');
}

/** What the debrief modal needs: the retro's deal, and the person's earlier answers when editing. */
export async function loadDebriefForm(
  deps: TDebriefDeps,
  input: { retroId: string; slackUserId: string; scope: TWorkspaceScope },
): Promise<{ deal: TRetroDealSummary; existing: TDebriefAnswers | null }> {
  // The retro first: its id came from a button, and only a retro of this workspace may be read on.
  const deal = await deps.repos.retros.findDealOfRetro(input.retroId, input.scope);
  if (!deal) throw retroNotFound();
  const existing = await deps.repos.debriefs.find(input.retroId, input.slackUserId);
  return { deal, existing: existing?.answers ?? null };
}

/**
 * Stores a debrief, with the delivery that shows it in the thread. A second submission by the
 * same person edits the stored answers and the summary message in place rather than adding another.
 */
export async function recordDebrief(
  deps: TDebriefDeps,
  input: { retroId: string; slackUserId: string; answers: TDebriefAnswers; now?: Date; scope: TWorkspaceScope },
): Promise<{ revision: number; summaryTs: string | null }> {
  const retro = await deps.repos.retros.findById(input.retroId, input.scope);
  if (!retro) throw retroNotFound();
  // A winner the team listed in /losses settings keeps the team's spelling, as on the deal.
  const workspace = input.answers.winnerName ? await deps.repos.workspaces.findById(retro.workspaceId) : null;
  const answers = workspace && input.answers.winnerName ? { ...input.answers, winnerName: canonicalCompetitor(input.answers.winnerName, workspace.competitors) } : input.answers;
  const now = input.now ?? new Date();
  const debrief = await deps.repos.debriefs.upsert(retro.id, input.slackUserId, answers, {
    debriefedAt: now,
    deliveries: (stored) => [debriefSummaryDelivery(retro, stored.id)],
  });
  await syncRevisitFollowUp(deps, { debrief, retro, now });
  // The summary in the thread and the parent's status line go out through the outbox.
  return { revision: debrief.revision, summaryTs: debrief.summaryTs };
}

export const DEBRIEF_SUMMARY_KIND = 'debrief.summary';

/** Shows a debrief in its retro's thread: one delivery per debrief, armed again by every edit. */
export function debriefSummaryDelivery(retro: Pick<TRetroRecord, 'id' | 'workspaceId'>, debriefId: string): TDeliveryRequest {
  return { workspaceId: retro.workspaceId, kind: DEBRIEF_SUMMARY_KIND, key: `${DEBRIEF_SUMMARY_KIND}:${debriefId}`, payload: { retroId: retro.id, debriefId } };
}

const ZDebriefPayload = z.object({ retroId: z.string(), debriefId: z.string() });

/**
 * Posts the debrief's summary in the thread, or updates it in place, from the answers stored now
 * (an edit saved before delivery shows as the latest version), then the parent's status line.
 */
export const debriefSummaryHandler: TDeliveryHandler = {
  async deliver(context) {
    const { repos, client, logger } = context;
    const { retroId, debriefId } = ZDebriefPayload.parse(context.delivery.payload);
    const scope = { workspaceId: context.delivery.workspaceId };
    const [retro, debrief] = await Promise.all([repos.retros.findById(retroId, scope), repos.debriefs.findById(debriefId, scope)]);
    if (!retro || !debrief) return; // deleted since: nothing left to show
    // The thread is opened by its own delivery; until then, this one waits its turn (retried).
    if (!retro.messageTs) throw new NotReadyError(`Retro ${retro.id} has no thread yet`);
    const summary = buildDebriefSummary({
      retroId: retro.id,
      dealName: retro.deal.name,
      authorSlackUserId: debrief.authorSlackUserId,
      answers: debrief.answers,
      revision: debrief.revision,
      reasons: await loadReasonCatalog(context, { workspaceId: retro.workspaceId }),
    });
    if (debrief.summaryTs) {
      await client.chat.update({ channel: retro.channelId, ts: debrief.summaryTs, ...summary });
    } else {
      const summaryTs = await postOnce(context, `${DEBRIEF_SUMMARY_KIND}:${debrief.id}`, { channel: retro.channelId, thread_ts: retro.messageTs, ...summary });
      await repos.debriefs.setSummaryTs(debrief.id, summaryTs);
    }
    // The debrief is stored and shown; a stale status line on the parent is not worth failing for.
    const messageTs = retro.messageTs;
    await unlessPermanent(logger, `update retro ${retro.id}'s parent message`, () =>
      client.chat.update({ channel: retro.channelId, ts: messageTs, ...buildRetroParentMessage(toRetroCard(retro)) }),
    );
  },
};
