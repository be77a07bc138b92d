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

export type TSettledWithin<T> = { settled: true; value: T } | { settled: false };

/**
 * Runs work as a background task and waits for it up to `ms`: a sender that times out slow
 * answers gets a timely one, and the work carries on regardless. A failure inside the window is
 * thrown to the caller (so it can answer an error and be retried); one after it is logged.
 */
export function runWithin<T>(tasks: TBackgroundTasks, label: string, work: () => Promise<T>, ms: number): Promise<TSettledWithin<T>> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const timer = setTimeout(() => {
      answered = true;
      resolve({ settled: false });
    }, ms);
    tasks.run(label, async () => {
      try {
        const value = await work();
        if (!answered) {
          answered = true;
          clearTimeout(timer);
          resolve({ settled: true, value });
        }
      } catch (error) {
        if (answered) throw error;
        answered = true;
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}
