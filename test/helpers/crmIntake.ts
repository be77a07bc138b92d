import { TEST_RETRO_CHANNEL, type THarness } from './debriefHarness';
import type { FakeSlack, RecordedCall } from './fakeSlack';

// What the CRM integration tests look at: the retro threads on the fake Slack, the rows in the
// database, and what the app logged.

export function blocksText(call: RecordedCall): string {
  return JSON.stringify(call.args.blocks ?? []);
}

/** Parent messages of retro threads (top-level posts in the retro channel). */
export function retroParents(slack: FakeSlack): RecordedCall[] {
  return slack.calls('chat.postMessage').filter((call) => call.args.channel === TEST_RETRO_CHANNEL && call.args.thread_ts === undefined && call.status === 200);
}

export function threadMessages(slack: FakeSlack, threadTs: string): RecordedCall[] {
  return slack.calls('chat.postMessage').filter((call) => call.args.thread_ts === threadTs);
}

export function directMessages(slack: FakeSlack, userId: string): RecordedCall[] {
  return slack.calls('chat.postMessage').filter((call) => call.args.channel === userId);
}

export async function countRows(harness: THarness): Promise<{ deals: number; retros: number }> {
  const { prisma } = harness.debrief.database;
  return { deals: await prisma.deal.count(), retros: await prisma.retro.count() };
}

/** Waits for every delivery answered so far to finish its work in the background, Slack posts included. */
export async function settle(harness: THarness): Promise<void> {
  await harness.debrief.backgroundTasks.idle();
  await harness.debrief.outbox.drain();
}

/** Records what the app logs at warn and error (the logger is shared by the webhook routes). */
export function captureLogs(harness: THarness): { lines: () => string[]; restore: () => void } {
  const logger = harness.debrief.app.logger;
  const lines: string[] = [];
  const record = (...args: unknown[]) => {
    lines.push(args.map((arg) => (arg instanceof Error ? arg.message : String(arg))).join(' '));
  };
  // Kept apart from the spies, whose calls are forgotten when they are restored.
  const spies = [jest.spyOn(logger, 'warn').mockImplementation(record), jest.spyOn(logger, 'error').mockImplementation(record)];
  return {
    lines: () => [...lines],
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}
