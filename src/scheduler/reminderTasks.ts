import { createActionItemsDueHandler, planActionItemReminders } from '../services/reminders/actionItemsDue';
import { createDebriefNudgeHandler, type TDebriefNudgeSettings } from '../services/reminders/debriefNudges';
import type { TReminderDeps } from '../services/reminders/jobs';
import { createRevisitFollowUpHandler } from '../services/reminders/revisitFollowUps';
import { createJobTask, type TJobTaskOptions } from './jobTask';
import type { TScheduledTask } from './scheduler';

/**
 * The scheduler tasks behind the DMs Debrief sends on its own: debrief nudges, revisit follow-ups
 * and action items due today. Order matters within a tick: the planner schedules the day's
 * action-item DMs, and the runner after it sends them in the same pass.
 */
export function createReminderTasks(
  deps: TReminderDeps & { settings: TDebriefNudgeSettings },
  options: Partial<Omit<TJobTaskOptions, 'jobs' | 'logger'>> = {},
): TScheduledTask[] {
  const taskOptions: TJobTaskOptions = { jobs: deps.repos.scheduledJobs, logger: deps.logger, ...options };
  return [
    createJobTask(createDebriefNudgeHandler(deps), taskOptions),
    createJobTask(createRevisitFollowUpHandler(deps), taskOptions),
    { name: 'plan:action_items_due', runDue: (now) => planActionItemReminders(deps, now) },
    createJobTask(createActionItemsDueHandler(deps), taskOptions),
  ];
}
