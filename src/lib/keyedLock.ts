// Runs work for the same key one at a time. Two deliveries of one loss (a CRM retry racing the
// first attempt) would otherwise both find the retro without a parent message and both post it.
// This only covers one process; the database's unique keys still keep the rows single.

export interface TKeyedLock {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}

export function createKeyedLock(): TKeyedLock {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, work: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      // Whatever the previous holder did, success or failure, the next one runs after it.
      const result = previous.then(work, work);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
  };
}
