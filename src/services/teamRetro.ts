import type { WebClient } from '@slack/web-api';
import { NotReadyError } from '../outbox/retryPolicy';
import { postOnce, unlessPermanent } from '../outbox/slackWrites';
import type { TDeliveryHandler } from '../outbox/worker';
import { retroDelivery, ZRetroDeliveryPayload, type TDeliveryRequest } from '../repositories/slackDeliveries';
import type { TLossReason } from '../domain/debrief';
import type { TActionItemDraft, TLessonDraft, TRetroOutcomeAnswers } from '../domain/teamRetro';
import { AppError } from '../errors';
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

export type TStartTeamRetroResult = { outcome: 'started' } | { outcome: 'already_started'; state: TTeamRetroState };

export const TEAM_RETRO_AGENDA_KIND = 'team_retro.agenda';
export const OUTCOME_KIND = 'outcome.post';

function agendaDelivery(retro: Pick<TRetroRecord, 'id' | 'workspaceId'>): TDeliveryRequest {
  return retroDelivery(TEAM_RETRO_AGENDA_KIND, retro);
}

/** The outcome message of a retro, posted once and then updated in place by every save. */
export function outcomeDelivery(retro: Pick<TRetroRecord, 'id' | 'workspaceId'>): TDeliveryRequest {
  return retroDelivery(OUTCOME_KIND, retro);
}

/** Starts the team retro once, with the delivery that posts its agenda: a second press reports who started it instead. */
export async function startTeamRetro(
  deps: TTeamRetroDeps,
  input: { retro: TRetroRecord; slackUserId: string; now: Date },
): Promise<TStartTeamRetroResult> {
  const { retro } = input;
  if (!retro.messageTs) throw new AppError('retro_not_found', 'This retro has no thread yet, so there is nowhere to run it. Try again in a minute.');
  const claim = await deps.repos.retros.claimTeamRetroStart(retro.id, input.slackUserId, input.now, { deliveries: () => [agendaDelivery(retro)] });
  if (!claim.claimed) return { outcome: 'already_started', state: claim };
  return { outcome: 'started' };
}

/** Posts the agenda in the thread, as things stand when it goes out (debrief, perspectives so far). */
export const teamRetroAgendaHandler: TDeliveryHandler = {
  async deliver(context) {
    const { repos } = context;
    const { retroId } = ZRetroDeliveryPayload.parse(context.delivery.payload);
    const retro = await repos.retros.findById(retroId, { workspaceId: context.delivery.workspaceId });
    const state = retro ? await repos.retros.findTeamRetroState(retro.id) : null;
    if (!retro?.messageTs || !state?.startedBySlackUserId || state.agendaTs) return;
    const [debrief, perspectives, reasons] = await Promise.all([
      repReasonOf(context, retro),
      repos.perspectives.listForRetro(retro.id),
      loadReasonCatalog(context, { workspaceId: retro.workspaceId }),
    ]);
    const agenda = buildRetroAgenda({
      retroId: retro.id,
      dealName: retro.deal.name,
      startedBySlackUserId: state.startedBySlackUserId,
      debrief,
      perspectiveCount: perspectives.length,
      reasons,
    });
    const agendaTs = await postOnce(context, `${TEAM_RETRO_AGENDA_KIND}:${retro.id}`, { channel: retro.channelId, thread_ts: retro.messageTs, ...agenda });
    await repos.retros.setAgendaTs(retro.id, agendaTs);
  },

  /** Nothing was posted: the start is released so pressing the button again retries, and the starter is told. */
  async onGiveUp(context, error) {
    const { retroId } = ZRetroDeliveryPayload.parse(context.delivery.payload);
    const state = await context.repos.retros.findTeamRetroState(retroId);
    await context.repos.retros.releaseTeamRetroStart(retroId);
    if (!state?.startedBySlackUserId) return;
    await context.client.chat.postMessage({
      channel: state.startedBySlackUserId,
      text: `I couldn't post the team retro's agenda in the thread (${error}). Press *Run team retro* again once Debrief can post there.`,
    });
  },
};

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
  const { outcome, firstClose } = await deps.repos.retroOutcomes.save({
    retroId: retro.id,
    savedBySlackUserId: input.slackUserId,
    at: input.now,
    answers: input.answers,
    deliveries: () => [outcomeDelivery(retro)],
  });
  // The outcome message and the parent's "Reviewed" go out through the outbox.
  return { revision: outcome.revision, firstClose, messageTs: outcome.messageTs };
}

/**
 * Posts the outcome message, or updates it in place, from what is stored when it goes out (after
 * a save, and after a reply is marked as a lesson of a closed retro), then the parent's status.
 */
export const outcomeHandler: TDeliveryHandler = {
  async deliver(context) {
    const { repos, client, logger } = context;
    const { retroId } = ZRetroDeliveryPayload.parse(context.delivery.payload);
    const retro = await repos.retros.findById(retroId, { workspaceId: context.delivery.workspaceId });
    const outcome = retro ? await repos.retroOutcomes.findForRetro(retro.id) : null;
    if (!retro || !outcome) return; // a lesson marked before any outcome: nothing to show yet
    if (!retro.messageTs) throw new NotReadyError(`Retro ${retro.id} has no thread yet`);
    const [repReason, lessons, actionItems, reasons] = await Promise.all([
      repReasonOf(context, retro),
      repos.lessons.listForRetro(retro.id),
      repos.actionItems.listForRetro(retro.id),
      loadReasonCatalog(context, { workspaceId: retro.workspaceId }),
    ]);
    const message = buildOutcomeMessage({
      retroId: retro.id,
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
      await client.chat.update({ channel: retro.channelId, ts: outcome.messageTs, ...message });
    } else {
      const messageTs = await postOnce(context, `${OUTCOME_KIND}:${retro.id}`, { channel: retro.channelId, thread_ts: retro.messageTs, ...message });
      await repos.retroOutcomes.setMessageTs(outcome.id, messageTs);
    }
    // The outcome is stored and shown in the thread; a stale status line is not worth failing for.
    const messageTs = retro.messageTs;
    await unlessPermanent(logger, `update retro ${retro.id}'s parent message`, () =>
      client.chat.update({ channel: retro.channelId, ts: messageTs, ...buildRetroParentMessage(toRetroCard(retro)) }),
    );
  },
};

/** Keeps a thread reply as a lesson of its retro; a closed retro's outcome message shows it at once. */
export async function markReplyAsLesson(
  deps: Omit<TTeamRetroDeps, 'managers'>,
  input: { retroId: string; messageTs: string; authorSlackUserId: string | null; text: string; shareWithNewReps: boolean; markedBySlackUserId: string; scope: TWorkspaceScope },
): Promise<{ created: boolean; retro: TRetroRecord }> {
  const retro = await loadRetro(deps, input.retroId, input.scope);
  // A closed retro's outcome message lists its lessons: it is refreshed with the same transaction.
  const { created } = await deps.repos.lessons.upsertFromReply(
    {
      retroId: retro.id,
      sourceMessageTs: input.messageTs,
      text: input.text,
      shareWithNewReps: input.shareWithNewReps,
      authorSlackUserId: input.authorSlackUserId,
      createdBySlackUserId: input.markedBySlackUserId,
    },
    { deliveries: () => [outcomeDelivery(retro)] },
  );
  return { created, retro };
}
