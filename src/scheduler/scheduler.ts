import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '@slack/bolt';
import { metrics } from '../lib/metrics';

/**
 * A piece of periodic work. Everything a task needs to remember lives in the database, and each
 * task claims its own work there (a unique row, a conditional update), so that a restart loses
 * nothing and several instances sharing one database still act exactly once.
 */
export interface TScheduledTask {
  name: string;
  runDue(now: Date): Promise<void>;
}

export interface TScheduler {
  /** Registers a task; tasks run in registration order on every tick. */
  add(task: TScheduledTask): void;
  start(): void;
  /** Stops the cron job and waits for a pass in progress to finish. */
  stop(): Promise<void>;
  /** One pass over every task, as the cron job runs it; tests call it with a fake clock. */
  tick(): Promise<void>;
}

export function createScheduler(options: { now: () => Date; logger: Logger; cronExpression?: string }): TScheduler {
  const tasks: TScheduledTask[] = [];
  let cronJob: ScheduledTask | undefined;
  let running: Promise<void> | undefined;

  async function runAll(): Promise<void> {
    for (const task of tasks) {
      const endTimer = metrics.schedulerTaskSeconds.startTimer({ task: task.name });
      try {
        await task.runDue(options.now());
        metrics.schedulerTaskRuns.inc({ task: task.name, outcome: 'ok' });
      } catch (error) {
        // One failing task must not starve the others; it is retried on the next tick.
        metrics.schedulerTaskRuns.inc({ task: task.name, outcome: 'failed' });
        options.logger.error(`Scheduled task ${task.name} failed`, error);
      } finally {
        endTimer();
      }
    }
  }

  const tick = (): Promise<void> => {
    // A slow pass (Slack rate limits, a long catch-up) must not overlap the next minute's pass.
    running ??= runAll().finally(() => {
      running = undefined;
    });
    return running;
  };

  return {
    add: (task) => {
      tasks.push(task);
    },
    start: () => {
      cronJob ??= cron.schedule(options.cronExpression ?? '* * * * *', () => void tick(), { noOverlap: true });
      // Catch up at once with whatever fell due while the app was down.
      void tick();
    },
    stop: async () => {
      await cronJob?.stop();
      cronJob = undefined;
      await running;
    },
    tick,
  };
}
