import { z } from 'zod';
import { ONE_WORKING_DAY, reminderDueAfter, type TDelay } from '../../lib/workingTime';
import type { TRepositories } from '../../repositories';
import type { TRetroRecord } from '../../repositories/retros';
import type { TWorkspace } from '../../repositories/workspaces';
import { buildDebriefNudge } from '../../slack/blocks/reminders';
import { sendDirectMessage, slackClientFor } from './directMessage';
import type { TJobHandler, TReminderDeps } from './jobs';

// Nobody should have to chase the rep: if the owner has not debriefed some time after the retro
// opened, they get a DM with the button, and once more later; never after the debrief is in.

export const DEBRIEF_NUDGE_KIND = 'debrief_nudge';
export const MAX_DEBRIEF_NUDGES = 2;

const ZDebriefNudgePayload = z.object({
  retroId: z.uuid(),
  /** Reminders already sent; the job reschedules itself until MAX_DEBRIEF_NUDGES. */
  remindersSent: z.number().int().min(0).max(MAX_DEBRIEF_NUDGES),
});
type TDebriefNudgePayload = z.infer<typeof ZDebriefNudgePayload>;

export function debriefNudgeKey(retroId: string): string {
  return `${DEBRIEF_NUDGE_KIND}:${retroId}`;
}

export interface TDebriefNudgeSettings {
  /** DEBRIEF_NUDGE_AFTER: from the retro opening to the first reminder, and from the first to the second. */
  debriefNudgeAfter: TDelay;
}

/**
 * Schedules the owner's debrief reminders when a retro opens. Once per retro: calling it again (a
 * retried delivery, the same loss from a second CRM) keeps the first schedule.
 */
export async function scheduleDebriefNudges(
  deps: { repos: TRepositories },
  input: { retro: TRetroRecord; workspace: TWorkspace; openedAt: Date; settings?: TDebriefNudgeSettings },
): Promise<void> {
  // Without a Slack user there is nobody to DM: the thread says who owns the deal in text.
  if (input.retro.status !== 'open' || !input.retro.deal.ownerSlackUserId) return;
  // The workspace's own timing (/losses settings), else DEBRIEF_NUDGE_AFTER.
  const delay = input.workspace.debriefNudgeAfter ?? input.settings?.debriefNudgeAfter ?? ONE_WORKING_DAY;
  const payload: TDebriefNudgePayload = { retroId: input.retro.id, remindersSent: 0 };
  await deps.repos.scheduledJobs.scheduleOnce({
    workspaceId: input.workspace.id,
    kind: DEBRIEF_NUDGE_KIND,
    key: debriefNudgeKey(input.retro.id),
    dueAt: reminderDueAfter(input.openedAt, delay, input.workspace.timeZone),
    payload,
  });
}

/** Why no reminder is needed any more, or null while the retro still waits for the owner's debrief. */
function reasonToStop(retro: TRetroRecord | null): string | null {
  if (!retro) return 'skipped: retro deleted';
  // debriefed and reviewed: the debrief is in or the team closed the retro; reopened: the deal is alive again.
  if (retro.status !== 'open') return `skipped: retro ${retro.status}`;
  if (!retro.deal.ownerSlackUserId) return 'skipped: owner not in Slack';
  return null;
}

export function createDebriefNudgeHandler(deps: TReminderDeps & { settings: TDebriefNudgeSettings }): TJobHandler<TDebriefNudgePayload> {
  return {
    kind: DEBRIEF_NUDGE_KIND,
    payloadSchema: ZDebriefNudgePayload,
    async run(job, now) {
      const retro = await deps.repos.retros.findById(job.payload.retroId, { workspaceId: job.workspaceId });
      const owner = retro?.deal.ownerSlackUserId;
      const stop = reasonToStop(retro);
      if (stop !== null || !retro || !owner) return { done: stop ?? 'skipped' };
      if (job.payload.remindersSent >= MAX_DEBRIEF_NUDGES) return { done: 'sent' };
      const workspace = await deps.repos.workspaces.findById(retro.workspaceId);
      if (!workspace) return { done: 'skipped: workspace deleted' };

      const reminderNumber = job.payload.remindersSent + 1;
      const isLastReminder = reminderNumber >= MAX_DEBRIEF_NUDGES;
      const client = await slackClientFor(deps, workspace);
      await sendDirectMessage(
        client,
        owner,
        buildDebriefNudge({
          retroId: retro.id,
          dealName: retro.deal.name,
          amount: retro.deal.amount,
          currency: retro.deal.currency,
          lostOn: retro.deal.lostOn,
          threadUrl: retro.permalink,
          reminderNumber,
          isLastReminder,
        }),
      );
      deps.logger.info(`Sent debrief reminder ${reminderNumber} of ${MAX_DEBRIEF_NUDGES} for retro ${retro.id}`);
      if (isLastReminder) return { done: 'sent' };
      const next: TDebriefNudgePayload = { retroId: retro.id, remindersSent: reminderNumber };
      return { rescheduleAt: reminderDueAfter(now, workspace.debriefNudgeAfter ?? deps.settings.debriefNudgeAfter, workspace.timeZone), payload: next };
    },
  };
}
