import type { WebClient } from '@slack/web-api';
import type { TDebriefAnswers } from '../domain/debrief';
import { canonicalCompetitor } from '../domain/workspaceSettings';
import { AppError, slackErrorCode } from '../errors';
import type { TLogger } from '../lib/logger';
import type { TRepositories } from '../repositories';
import type { TRetroRecord } from '../repositories/retros';
import type { TWorkspaceScope } from '../repositories/scope';
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

/** What the debrief modal needs: the retro, and the person's earlier answers when editing. */
export async function loadDebriefForm(
  deps: TDebriefDeps,
  input: { retroId: string; slackUserId: string; scope: TWorkspaceScope },
): Promise<{ retro: TRetroRecord; existing: TDebriefAnswers | null }> {
  // The retro first: its id came from a button, and only a retro of this workspace may be read on.
  const retro = await deps.repos.retros.findById(input.retroId, input.scope);
  if (!retro) throw retroNotFound();
  const existing = await deps.repos.debriefs.find(retro.id, input.slackUserId);
  return { retro, existing: existing?.answers ?? null };
}

/**
 * Stores a debrief and shows it in the thread. A second submission by the same person edits the
 * stored answers and the summary message in place rather than adding another.
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
  const debrief = await deps.repos.debriefs.upsert(retro.id, input.slackUserId, answers);
  const updated = await deps.repos.retros.markDebriefed(retro.id, input.now ?? new Date());
  await syncRevisitFollowUp(deps, { debrief, retro, now: input.now ?? new Date() });

  const summary = buildDebriefSummary({
    retroId: retro.id,
    dealName: retro.deal.name,
    authorSlackUserId: input.slackUserId,
    answers: debrief.answers,
    revision: debrief.revision,
    reasons: await loadReasonCatalog(deps, { workspaceId: retro.workspaceId }),
  });
  let summaryTs = debrief.summaryTs;
  if (summaryTs) {
    await deps.client.chat.update({ channel: retro.channelId, ts: summaryTs, ...summary });
  } else if (retro.messageTs) {
    const posted = await deps.client.chat.postMessage({ channel: retro.channelId, thread_ts: retro.messageTs, ...summary });
    summaryTs = posted.ts ?? null;
    if (summaryTs) await deps.repos.debriefs.setSummaryTs(debrief.id, summaryTs);
  }

  if (retro.messageTs) {
    try {
      await deps.client.chat.update({ channel: retro.channelId, ts: retro.messageTs, ...buildRetroParentMessage(toRetroCard(updated)) });
    } catch (error) {
      // The debrief is stored and shown; a stale status line on the parent is not worth failing for.
      deps.logger.warn(`Could not update retro ${retro.id}'s parent message: ${slackErrorCode(error) ?? String(error)}`);
    }
  }
  return { revision: debrief.revision, summaryTs };
}
