import type { WebClient } from '@slack/web-api';
import type { TLossReason } from '../domain/debrief';
import type { TActionItemDraft, TLessonDraft, TRetroOutcomeAnswers } from '../domain/teamRetro';
import { AppError, slackErrorCode } from '../errors';
import { toIsoDate } from '../lib/dates';
import type { TLogger } from '../lib/logger';
import type { TRepositories } from '../repositories';
import type { TRetroRecord, TTeamRetroState } from '../repositories/retros';
import { buildNotAllowedText } from '../slack/blocks/permissions';
import { buildRetroParentMessage } from '../slack/blocks/retro';
import { buildOutcomeMessage, buildRetroAgenda } from '../slack/blocks/teamRetro';
import { loadReasonCatalog } from './lossReasons';
import type { TManagerDirectory } from './managers';
import { toRetroCard } from './retroCard';
import type { TWorkspaceScope } from '../repositories/scope';

// The manager's part of a retro: running it in the thread, closing it with an outcome (and
// editing that outcome later), and keeping replies as lessons. Who may do what is decided here,
// not in the listeners, so every way in applies the same rule.

export interface TTeamRetroDeps {
  repos: TRepositories;
  client: WebClient;
  logger: TLogger;
  managers: TManagerDirectory;
}

function retroNotFound(): AppError {
  return new AppError('retro_not_found', 'This retro no longer exists.');
}

async function loadRetro(deps: { repos: TRepositories }, retroId: string, scope: TWorkspaceScope): Promise<TRetroRecord> {
  const retro = await deps.repos.retros.findById(retroId, scope);
  if (!retro) throw retroNotFound();
  return retro;
}

export type TPermission = { allowed: true; retro: TRetroRecord } | { allowed: false; retro: TRetroRecord; explanation: string };

const INSTEAD_FOR_TEAMMATES = 'You can still add your perspective or reply in the thread.';

/** Running the team retro and recording its outcome: managers, and the owner of the deal. */
export async function authorizeTeamRetro(
  deps: Pick<TTeamRetroDeps, 'repos' | 'client' | 'managers'>,
  input: { retroId: string; slackUserId: string; action: string; scope: TWorkspaceScope },
): Promise<TPermission> {
  const retro = await loadRetro(deps, input.retroId, input.scope);
  const owner = retro.deal.ownerSlackUserId;
  if (owner === input.slackUserId || (await deps.managers.isManager(deps.client, input.slackUserId))) return { allowed: true, retro };
  return {
    allowed: false,
    retro,
    explanation: buildNotAllowedText({ action: input.action, ownerMayToo: true, ownerSlackUserId: owner, managers: deps.managers.source, instead: INSTEAD_FOR_TEAMMATES }),
  };
}

/** Marking a reply as a lesson: managers only, since it decides what the whole team keeps. */
export async function authorizeLessonMarking(
  deps: Pick<TTeamRetroDeps, 'client' | 'managers'>,
  input: { slackUserId: string },
): Promise<{ allowed: true } | { allowed: false; explanation: string }> {
  if (await deps.managers.isManager(deps.client, input.slackUserId)) return { allowed: true };
  return {
    allowed: false,
    explanation: buildNotAllowedText({
      action: 'mark a reply as a lesson',
      ownerMayToo: false,
      ownerSlackUserId: null,
      managers: deps.managers.source,
      instead: 'If this reply holds a lesson, say so in the thread and a manager can keep it.',
    }),
  };
}

/** The reason the rep gave: the owner's debrief, or the first debrief when the owner is unknown. */
async function repReasonOf(deps: { repos: TRepositories }, retro: TRetroRecord): Promise<{ authorSlackUserId: string; primaryReason: TLossReason } | null> {
  const debriefs = await deps.repos.debriefs.listForRetro(retro.id);
  const debrief = debriefs.find((candidate) => candidate.authorSlackUserId === retro.deal.ownerSlackUserId) ?? debriefs[0];
  return debrief ? { authorSlackUserId: debrief.authorSlackUserId, primaryReason: debrief.answers.primaryReason } : null;
}

export type TStartTeamRetroResult = { outcome: 'started'; agendaTs: string } | { outcome: 'already_started'; state: TTeamRetroState };

/** Posts the agenda in the thread, once: a second press reports who started it instead. */
export async function startTeamRetro(
  deps: TTeamRetroDeps,
  input: { retro: TRetroRecord; slackUserId: string; now: Date },
): Promise<TStartTeamRetroResult> {
  const { retro } = input;
  if (!retro.messageTs) throw new AppError('retro_not_found', 'This retro has no thread yet, so there is nowhere to run it. Try again in a minute.');
  const claim = await deps.repos.retros.claimTeamRetroStart(retro.id, input.slackUserId, input.now);
  if (!claim.claimed) return { outcome: 'already_started', state: claim };
  try {
    const [debrief, perspectives, reasons] = await Promise.all([
      repReasonOf(deps, retro),
      deps.repos.perspectives.listForRetro(retro.id),
      loadReasonCatalog(deps, { workspaceId: retro.workspaceId }),
    ]);
    const agenda = buildRetroAgenda({
      retroId: retro.id,
      dealName: retro.deal.name,
      startedBySlackUserId: input.slackUserId,
      debrief,
      perspectiveCount: perspectives.length,
      reasons,
    });
    const posted = await deps.client.chat.postMessage({ channel: retro.channelId, thread_ts: retro.messageTs, ...agenda });
    if (!posted.ts) throw new Error('chat.postMessage answered without a ts');
    await deps.repos.retros.setAgendaTs(retro.id, posted.ts);
    return { outcome: 'started', agendaTs: posted.ts };
  } catch (error) {
    // Nothing was posted: let the next press try again instead of claiming a retro that never ran.
    await deps.repos.retros.releaseTeamRetroStart(retro.id);
    throw error;
  }
}

export interface TOutcomeForm {
  retro: TRetroRecord;
  repReason: TLossReason | null;
  existing: { primaryReason: TLossReason; lessons: TLessonDraft[]; actionItems: TActionItemDraft[] } | null;
}

/** What the outcome modal shows: the saved outcome when editing, the rep's reason for comparison. */
export async function loadOutcomeForm(deps: { repos: TRepositories }, input: { retro: TRetroRecord }): Promise<TOutcomeForm> {
  const { retro } = input;
  const [repReason, outcome, lessons, actionItems] = await Promise.all([
    repReasonOf(deps, retro),
    deps.repos.retroOutcomes.findForRetro(retro.id),
    deps.repos.lessons.listForRetro(retro.id),
    deps.repos.actionItems.listForRetro(retro.id),
  ]);
  return {
    retro,
    repReason: repReason?.primaryReason ?? null,
    existing: outcome
      ? {
          primaryReason: outcome.primaryReason,
          lessons: lessons.filter((lesson) => lesson.source === 'outcome').map(({ text, shareWithNewReps }) => ({ text, shareWithNewReps })),
          actionItems: actionItems.map(({ text, ownerSlackUserId, dueOn }) => ({ text, ownerSlackUserId, dueOn })),
        }
      : null,
  };
}

/** The saved action items' due dates by row, so an edit may keep an overdue item as it is. */
export async function existingDueDates(deps: { repos: TRepositories }, retroId: string): Promise<string[]> {
  return (await deps.repos.actionItems.listForRetro(retroId)).map((item) => item.dueOn);
}

/**
 * Closes the retro with the team's outcome, or saves an edit of it. The outcome message in the
 * thread is posted once and then updated in place; the parent message shows "Reviewed". Nothing
 * earlier is touched: debriefs, perspectives and replies stay, and each save is a new revision.
 */
export async function recordRetroOutcome(
  deps: Omit<TTeamRetroDeps, 'managers'>,
  input: { retroId: string; slackUserId: string; answers: TRetroOutcomeAnswers; now: Date; scope: TWorkspaceScope },
): Promise<{ revision: number; firstClose: boolean; messageTs: string | null }> {
  const retro = await loadRetro(deps, input.retroId, input.scope);
  const ownWorkspace = { workspaceId: retro.workspaceId };
  const { outcome, firstClose } = await deps.repos.retroOutcomes.save({
    retroId: retro.id,
    savedBySlackUserId: input.slackUserId,
    at: input.now,
    answers: input.answers,
  });
  const messageTs = await publishOutcome(deps, retro.id, ownWorkspace);

  const updated = await loadRetro(deps, retro.id, ownWorkspace);
  if (updated.messageTs) {
    try {
      await deps.client.chat.update({ channel: updated.channelId, ts: updated.messageTs, ...buildRetroParentMessage(toRetroCard(updated)) });
    } catch (error) {
      // The outcome is stored and shown in the thread; a stale status line is not worth failing for.
      deps.logger.warn(`Could not update retro ${retro.id}'s parent message: ${slackErrorCode(error) ?? String(error)}`);
    }
  }
  return { revision: outcome.revision, firstClose, messageTs };
}

/**
 * Posts the outcome message, or updates it in place, from what is stored: after a save, and
 * after a reply is marked as a lesson of a closed retro. Returns its ts (null before any outcome).
 */
export async function publishOutcome(deps: Omit<TTeamRetroDeps, 'managers'>, retroId: string, scope: TWorkspaceScope): Promise<string | null> {
  const retro = await loadRetro(deps, retroId, scope);
  const outcome = await deps.repos.retroOutcomes.findForRetro(retroId);
  if (!outcome) return null;
  const [repReason, lessons, actionItems, reasons] = await Promise.all([
    repReasonOf(deps, retro),
    deps.repos.lessons.listForRetro(retroId),
    deps.repos.actionItems.listForRetro(retroId),
    loadReasonCatalog(deps, { workspaceId: retro.workspaceId }),
  ]);
  const message = buildOutcomeMessage({
    retroId,
    dealName: retro.deal.name,
    primaryReason: outcome.primaryReason,
    repReason: repReason?.primaryReason ?? null,
    closedBySlackUserId: outcome.closedBySlackUserId,
    revision: outcome.revision,
    lastSavedBySlackUserId: outcome.lastSavedBySlackUserId,
    lastSavedOn: toIsoDate(outcome.lastSavedAt),
    lessons,
    actionItems: actionItems.map((item) => ({ ...item, done: item.doneAt !== null })),
    reasons,
  });
  if (outcome.messageTs) {
    await deps.client.chat.update({ channel: retro.channelId, ts: outcome.messageTs, ...message });
    return outcome.messageTs;
  }
  if (!retro.messageTs) return null;
  const posted = await deps.client.chat.postMessage({ channel: retro.channelId, thread_ts: retro.messageTs, ...message });
  if (posted.ts) await deps.repos.retroOutcomes.setMessageTs(outcome.id, posted.ts);
  return posted.ts ?? null;
}

/** Keeps a thread reply as a lesson of its retro; a closed retro's outcome message shows it at once. */
export async function markReplyAsLesson(
  deps: Omit<TTeamRetroDeps, 'managers'>,
  input: { retroId: string; messageTs: string; authorSlackUserId: string | null; text: string; shareWithNewReps: boolean; markedBySlackUserId: string; scope: TWorkspaceScope },
): Promise<{ created: boolean; retro: TRetroRecord }> {
  const retro = await loadRetro(deps, input.retroId, input.scope);
  const { created } = await deps.repos.lessons.upsertFromReply({
    retroId: retro.id,
    sourceMessageTs: input.messageTs,
    text: input.text,
    shareWithNewReps: input.shareWithNewReps,
    authorSlackUserId: input.authorSlackUserId,
    createdBySlackUserId: input.markedBySlackUserId,
  });
  try {
    await publishOutcome(deps, retro.id, { workspaceId: retro.workspaceId });
  } catch (error) {
    // The lesson is stored; the outcome message catches up on the next save.
    deps.logger.warn(`Could not refresh retro ${retro.id}'s outcome message: ${slackErrorCode(error) ?? String(error)}`);
  }
  return { created, retro };
}
