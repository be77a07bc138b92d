import type { TLogger } from './logger';

// Work that continues after an HTTP answer has been sent (CRMs time out and retry slow
// endpoints). Every task is tracked so that stop() can wait for them before closing the
// database, and so that tests can wait for them instead of sleeping.

export interface TBackgroundTasks {
  /** Starts work now; a failure is logged with the label, never thrown at anyone. */
  run(label: string, work: () => Promise<unknown>): void;
  /** Resolves once no task is running, including tasks started while waiting. */
  idle(): Promise<void>;
  readonly pending: number;
}

export function createBackgroundTasks(logger: TLogger): TBackgroundTasks {
  const running = new Set<Promise<void>>();
  return {
    run(label, work) {
      const task = (async () => {
        try {
          await work();
        } catch (error) {
          logger.error(`${label} failed`, error);
        }
      })();
      running.add(task);
      void task.finally(() => running.delete(task));
    },
    async idle() {
      while (running.size > 0) {
        await Promise.all([...running]);
      }
    },
    get pending() {
      return running.size;
    },
  };
}
