import { createBackgroundTasks, runWithin } from '../../../src/lib/backgroundTasks';

function recordingLogger() {
  const errors: string[] = [];
  const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (...args: unknown[]) => void errors.push(args.map(String).join(' ')) };
  return { logger, errors };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createBackgroundTasks', () => {
  it('logs a failure with its label and waits for tasks started while waiting', async () => {
    const { logger, errors } = recordingLogger();
    const tasks = createBackgroundTasks(logger);
    const later = deferred<void>();
    tasks.run('first', async () => {
      tasks.run('second', () => later.promise);
      throw new Error('boom');
    });
    const idle = tasks.idle();
    expect(tasks.pending).toBeGreaterThan(0);
    later.resolve();
    await idle;
    expect(tasks.pending).toBe(0);
    expect(errors).toEqual(['first failed Error: boom']);
  });
});

describe('runWithin', () => {
  it('answers with the value when the work finishes in time', async () => {
    const tasks = createBackgroundTasks(recordingLogger().logger);
    await expect(runWithin(tasks, 'quick', async () => 42, 1000)).resolves.toEqual({ settled: true, value: 42 });
  });

  it('throws a failure inside the window to the caller, without logging it twice', async () => {
    const { logger, errors } = recordingLogger();
    const tasks = createBackgroundTasks(logger);
    await expect(runWithin(tasks, 'failing', () => Promise.reject(new Error('nope')), 1000)).rejects.toThrow('nope');
    await tasks.idle();
    expect(errors).toEqual([]);
  });

  it('answers unsettled at the deadline, lets the work finish, and logs a later failure', async () => {
    const { logger, errors } = recordingLogger();
    const tasks = createBackgroundTasks(logger);
    const slow = deferred<string>();
    await expect(runWithin(tasks, 'slow', () => slow.promise, 10)).resolves.toEqual({ settled: false });
    expect(tasks.pending).toBe(1);
    slow.reject(new Error('too late'));
    await tasks.idle();
    expect(errors).toEqual(['slow failed Error: too late']);
  });
});
