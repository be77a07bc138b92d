import { z } from 'zod';
import { WORKDAY_START_HOUR, localDateOf, localHourOf } from '../../lib/workingTime';
import type { TRepositories } from '../../repositories';
import { buildActionItemsDue } from '../../slack/blocks/reminders';
import { sendDirectMessage, slackClientFor } from './directMessage';
import type { TJobHandler, TReminderDeps } from './jobs';

// Each morning (workspace time), every owner of action items due that day gets one DM listing
// them. A job per owner and day makes the DM exactly-once across instances and restarts; the
// items' dueReminderSentAt says which items it covered, so an item added or moved to today later
// in the day gets a DM of its own, and an item the retro's outcome re-dated is reminded again.

export const ACTION_ITEMS_DUE_KIND = 'action_items_due';

const ZActionItemsDuePayload = z.object({ ownerSlackUserId: z.string().min(1), dueOn: z.iso.date() });
type TActionItemsDuePayload = z.infer<typeof ZActionItemsDuePayload>;

export function actionItemsDueKey(workspaceId: string, dueOn: string, ownerSlackUserId: string): string {
  return `${ACTION_ITEMS_DUE_KIND}:${workspaceId}:${dueOn}:${ownerSlackUserId}`;
}

/**
 * Runs every tick: in each workspace where the working morning has begun, schedules the day's DM
 * for each owner with open, un-reminded items due today. Cheap when there is nothing to do (one
 * query per workspace), and safe to run on every instance at once (the job key decides).
 */
export async function planActionItemReminders(deps: { repos: TRepositories }, now: Date): Promise<void> {
  for (const workspace of await deps.repos.workspaces.listAll()) {
    if (localHourOf(now, workspace.timeZone) < WORKDAY_START_HOUR) continue;
    const today = localDateOf(now, workspace.timeZone);
    for (const ownerSlackUserId of await deps.repos.dueActionItems.ownersWithUnsentItems(workspace.id, today)) {
      const key = actionItemsDueKey(workspace.id, today, ownerSlackUserId);
      const job = { workspaceId: workspace.id, kind: ACTION_ITEMS_DUE_KIND, key, dueAt: now, payload: { ownerSlackUserId, dueOn: today } };
      const existing = await deps.repos.scheduledJobs.findByKey(key);
      if (!existing) await deps.repos.scheduledJobs.scheduleOnce(job);
      // The morning DM went out and items have become due since: send those too. Not after a
      // failure, which would retry a DM Slack keeps refusing every minute.
      else if (existing.doneAt !== null && existing.outcome === 'sent') await deps.repos.scheduledJobs.scheduleReplacing(job);
    }
  }
}

export function createActionItemsDueHandler(deps: TReminderDeps): TJobHandler<TActionItemsDuePayload> {
  return {
    kind: ACTION_ITEMS_DUE_KIND,
    payloadSchema: ZActionItemsDuePayload,
    async run(job, now) {
      const workspace = await deps.repos.workspaces.findById(job.workspaceId);
      if (!workspace) return { done: 'skipped: workspace deleted' };
      // Claimed after the day ended (the app was down): "due today" would be wrong by now.
      if (localDateOf(now, workspace.timeZone) !== job.payload.dueOn) return { done: 'skipped: day over' };
      const items = await deps.repos.dueActionItems.listUnsent(workspace.id, job.payload.ownerSlackUserId, job.payload.dueOn);
      if (items.length === 0) return { done: 'skipped: nothing due' };

      const client = await slackClientFor(deps, workspace);
      await sendDirectMessage(client, job.payload.ownerSlackUserId, buildActionItemsDue({ dueOn: job.payload.dueOn, items }));
      await deps.repos.dueActionItems.markReminded(
        items.map((item) => item.id),
        now,
      );
      deps.logger.info(`Reminded ${job.payload.ownerSlackUserId} of ${items.length} action item(s) due ${job.payload.dueOn}`);
      return { done: 'sent' };
    },
  };
}
