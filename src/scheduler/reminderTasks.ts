import { createDebriefNudgeHandler, type TDebriefNudgeSettings } from '../services/reminders/debriefNudges';
import type { TReminderDeps } from '../services/reminders/jobs';
import { createRevisitFollowUpHandler } from '../services/reminders/revisitFollowUps';
import { createJobTask, type TJobTaskOptions } from './jobTask';
import type { TScheduledTask } from './scheduler';

/** The scheduler tasks behind the DMs Debrief sends on its own: debrief nudges and revisit follow-ups. */
export function createReminderTasks(
  deps: TReminderDeps & { settings: TDebriefNudgeSettings },
  options: Partial<Omit<TJobTaskOptions, 'jobs' | 'logger'>> = {},
): TScheduledTask[] {
  const taskOptions: TJobTaskOptions = { jobs: deps.repos.scheduledJobs, logger: deps.logger, ...options };
  return [createJobTask(createDebriefNudgeHandler(deps), taskOptions), createJobTask(createRevisitFollowUpHandler(deps), taskOptions)];
}
