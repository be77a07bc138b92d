import path from 'node:path';
import type { TConfig } from '../../../src/config/env';
import type { TLogger } from '../../../src/lib/logger';
import { startWorkThread, type TWorkThread } from '../../../src/workThread/mainSide';
import { waitFor } from '../../helpers/wait';

// The main thread's side of WORK_THREAD against a stand-in thread (test/fixtures/workThread): how
// many requests it hands over, what happens when the thread dies, and stopping.

const STAND_IN = path.join(__dirname, '../../fixtures/workThread/standIn.mjs');
const config = { shutdown: { drainSeconds: 5, timeoutSeconds: 15 } } as TConfig;

function request(body: Record<string, unknown>) {
  return { body, retryNum: undefined, retryReason: undefined, context: { requestId: 'r1' } };
}

describe('the work thread, from the main thread', () => {
  const errors: string[] = [];
  const logger: TLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (message: string) => void errors.push(message) };
  let thread: TWorkThread | undefined;

  beforeEach(() => {
    errors.length = 0;
  });
  afterEach(async () => {
    await thread?.stop();
    thread = undefined;
  });

  const start = (options: { maxInFlight?: number } = {}) =>
    startWorkThread({ config, logger, startScheduler: false, peerGroup: 'test', outbox: undefined, clientOptions: undefined, entry: STAND_IN, restartDelayMs: 50, ...options });

  it('hands over at most maxInFlight requests at once, and more as the thread finishes them', async () => {
    thread = await start({ maxInFlight: 2 });
    expect(thread.handOff(request({ holdMs: 300 }))).toBe(true);
    expect(thread.handOff(request({ holdMs: 300 }))).toBe(true);
    // Full: the caller does this one itself.
    expect(thread.handOff(request({}))).toBe(false);
    // Once the thread has finished them, there is room again.
    const current = thread;
    await waitFor(() => current.handOff(request({})), { timeoutMs: 3000, message: 'never had room again' });
    expect(errors).toEqual([]);
  });

  it('is not handed anything while it is dead, and is started again', async () => {
    thread = await start();
    expect(thread.handOff(request({ exit: 3 }))).toBe(true);
    const current = thread;
    await waitFor(() => (current.handOff(request({})) ? undefined : true), { timeoutMs: 2000, message: 'the dead thread was still handed requests' });
    await waitFor(() => current.handOff(request({})) || undefined, { timeoutMs: 5000, message: 'the thread was not started again' });
    expect(errors.join('\n')).toMatch(/The work thread exited \(code 3\); starting another/);
  });

  it('adds the thread metrics when asked, and takes nothing once stopped', async () => {
    thread = await start();
    expect(await thread.metrics()).toEqual([expect.objectContaining({ name: 'stand_in_total' })]);
    await thread.stop();
    expect(thread.handOff(request({}))).toBe(false);
    expect(await thread.metrics()).toEqual([]);
    thread = undefined;
  });
});
