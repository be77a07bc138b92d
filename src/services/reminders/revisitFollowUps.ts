import { z } from 'zod';
import { AppError } from '../../errors';
import { addCalendarDays, addCalendarMonths, localDateOf, workingMorningOf } from '../../lib/workingTime';
import type { TRepositories } from '../../repositories';
import type { TStoredDebrief } from '../../repositories/debriefs';
import type { TRetroRecord } from '../../repositories/retros';
import { buildRevisitFollowUp, type TFollowUpAnswer, type TRevisitFollowUpInput } from '../../slack/blocks/reminders';
import type { TSlackMessage } from '../../slack/blocks/retro';
import { sendDirectMessage, slackClientFor } from './directMessage';
import type { TJobHandler, TReminderDeps } from './jobs';
import type { TWorkspaceScope } from '../../repositories/scope';

// Lost customers come back: at renewal, or when the winner disappoints. The debrief asks when to
// get back in touch; on that day the author gets what they need for the call (what the buyer
// said, why the winner won) and can snooze the reminder or close it.

export const REVISIT_FOLLOW_UP_KIND = 'revisit_follow_up';

const ZRevisitFollowUpPayload = z.object({
  debriefId: z.uuid(),
  /** The debrief's revisit date this was scheduled for: an edit that keeps the date keeps a snooze. */
  revisitOn: z.iso.date().nullable(),
});
type TRevisitFollowUpPayload = z.infer<typeof ZRevisitFollowUpPayload>;

export function revisitFollowUpKey(debriefId: string): string {
  return `${REVISIT_FOLLOW_UP_KIND}:${debriefId}`;
}

export type TFollowUpChoice = 'snooze_two_weeks' | 'snooze_one_month' | 'done';

/**
 * Keeps the follow-up in step with the debrief's revisit date, after every save of the debrief:
 * a new date (re)schedules it for that date's working morning, a removed date cancels it, and an
 * unchanged date leaves it as it is (snoozed, done or pending).
 */
export async function syncRevisitFollowUp(
  deps: { repos: TRepositories },
  input: { debrief: TStoredDebrief; retro: TRetroRecord; now: Date },
): Promise<void> {
  const key = revisitFollowUpKey(input.debrief.id);
  const revisitOn = input.debrief.answers.revisitOn;
  const existing = await deps.repos.scheduledJobs.findByKey(key);
  if (revisitOn === null) {
    if (existing) await deps.repos.scheduledJobs.close(key, { at: input.now, outcome: 'cancelled: revisit date removed', onlyIfPending: true });
    return;
  }
  const scheduledFor = existing ? ZRevisitFollowUpPayload.safeParse(existing.payload) : null;
  if (scheduledFor?.success && scheduledFor.data.revisitOn === revisitOn) return;

  const workspace = await deps.repos.workspaces.findById(input.retro.workspaceId);
  if (!workspace) return;
  const payload: TRevisitFollowUpPayload = { debriefId: input.debrief.id, revisitOn };
  await deps.repos.scheduledJobs.scheduleReplacing({
    workspaceId: workspace.id,
    kind: REVISIT_FOLLOW_UP_KIND,
    key,
    dueAt: workingMorningOf(revisitOn, workspace.timeZone),
    payload,
  });
}

function followUpInput(debrief: TStoredDebrief, retro: TRetroRecord): TRevisitFollowUpInput {
  return {
    debriefId: debrief.id,
    dealName: retro.deal.name,
    amount: retro.deal.amount,
    currency: retro.deal.currency,
    lostOn: retro.deal.lostOn,
    threadUrl: retro.permalink,
    winnerName: debrief.answers.winnerName ?? retro.deal.competitor,
    whyWinnerWon: debrief.answers.whyWinnerWon,
    buyerWords: debrief.answers.buyerWords,
  };
}

export function createRevisitFollowUpHandler(deps: TReminderDeps): TJobHandler<TRevisitFollowUpPayload> {
  return {
    kind: REVISIT_FOLLOW_UP_KIND,
    payloadSchema: ZRevisitFollowUpPayload,
    async run(job) {
      // The job's own workspace: a payload can only name that workspace's debriefs.
      const scope = { workspaceId: job.workspaceId };
      const debrief = await deps.repos.debriefs.findById(job.payload.debriefId, scope);
      if (!debrief) return { done: 'skipped: debrief deleted' };
      const retro = await deps.repos.retros.findById(debrief.retroId, scope);
      if (!retro) return { done: 'skipped: retro deleted' };
      // The deal came back to life in the CRM: the team is already talking to the customer.
      if (retro.status === 'reopened') return { done: 'skipped: deal reopened' };
      const workspace = await deps.repos.workspaces.findById(retro.workspaceId);
      if (!workspace) return { done: 'skipped: workspace deleted' };

      const client = await slackClientFor(deps, workspace);
      // The author chose the date; it is their customer relationship to pick up again.
      await sendDirectMessage(client, debrief.authorSlackUserId, buildRevisitFollowUp(followUpInput(debrief, retro)));
      deps.logger.info(`Sent the revisit follow-up of debrief ${debrief.id}`);
      return { done: 'sent' };
    },
  };
}

/**
 * The author's answer to the follow-up DM. A snooze counts from today in the workspace's zone and
 * lands on that day's working morning; "Done" closes the reminder for good (until the debrief
 * gets a new revisit date). Returns the DM as it should now read.
 */
export async function answerRevisitFollowUp(
  deps: { repos: TRepositories },
  input: { debriefId: string; slackUserId: string; choice: TFollowUpChoice; now: Date; scope: TWorkspaceScope },
): Promise<{ message: TSlackMessage; answer: TFollowUpAnswer }> {
  const debrief = await deps.repos.debriefs.findById(input.debriefId, input.scope);
  const retro = debrief ? await deps.repos.retros.findById(debrief.retroId, input.scope) : null;
  const workspace = retro ? await deps.repos.workspaces.findById(retro.workspaceId) : null;
  if (!debrief || !retro || !workspace) {
    throw new AppError('follow_up_not_found', 'This reminder belongs to a debrief that no longer exists, so there is nothing to snooze.');
  }
  if (debrief.authorSlackUserId !== input.slackUserId) {
    throw new AppError('not_your_follow_up', "This reminder is for the person who wrote the debrief; only they can snooze or close it.");
  }

  const key = revisitFollowUpKey(debrief.id);
  let answer: TFollowUpAnswer;
  if (input.choice === 'done') {
    await deps.repos.scheduledJobs.close(key, { at: input.now, outcome: 'done' });
    answer = { kind: 'done' };
  } else {
    const today = localDateOf(input.now, workspace.timeZone);
    const snoozedTo = input.choice === 'snooze_two_weeks' ? addCalendarDays(today, 14) : addCalendarMonths(today, 1);
    const dueAt = workingMorningOf(snoozedTo, workspace.timeZone);
    const payload: TRevisitFollowUpPayload = { debriefId: debrief.id, revisitOn: debrief.answers.revisitOn };
    await deps.repos.scheduledJobs.scheduleReplacing({ workspaceId: workspace.id, kind: REVISIT_FOLLOW_UP_KIND, key, dueAt, payload });
    // A snooze ending on a weekend lands on Monday: say the day it will really come.
    answer = { kind: 'snoozed', until: localDateOf(dueAt, workspace.timeZone) };
  }
  return { message: buildRevisitFollowUp(followUpInput(debrief, retro), answer), answer };
}
