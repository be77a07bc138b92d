import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { TDatabaseConfig } from '../../src/db/client';
import { createPGlite } from '../../src/db/pglite';
import { ACTIONS } from '../../src/slack/ids';
import type { FakeSlack } from './fakeSlack';
import { sleep, waitFor } from './wait';

// What the fault tests count: the messages that really are in the fake Slack's channel (posted,
// whether or not the app ever got the answer), and the rows in the app's database.

type TMessage = Record<string, unknown>;

function blocksOf(message: TMessage): string {
  return JSON.stringify(message.blocks ?? []);
}

function isSummary(message: TMessage): boolean {
  return blocksOf(message).includes("In the buyer's words");
}

export interface TRetroThread {
  parentTs: string;
  /** The parent message's blocks, as text (the deal name is in its header). */
  parentText: string;
  prompts: TMessage[];
  summaries: TMessage[];
}

/** Every retro thread in `channel`: its parent, debrief prompts and debrief summaries. */
export function retroThreads(slack: FakeSlack, channel: string): TRetroThread[] {
  const messages = slack.messagesIn(channel);
  const parents = messages.filter((message) => message.thread_ts === undefined);
  return parents.map((parent) => {
    const replies = messages.filter((message) => message.thread_ts === parent.ts);
    return {
      parentTs: String(parent.ts),
      parentText: blocksOf(parent),
      // The summary has an "Edit debrief" button too: a prompt is the reply with the button alone.
      prompts: replies.filter((reply) => blocksOf(reply).includes(ACTIONS.openDebrief) && !isSummary(reply)),
      summaries: replies.filter(isSummary),
    };
  });
}

/** The retro id behind a thread's debrief prompt (the value of its Open debrief button). */
export function promptRetroId(prompt: TMessage): string | undefined {
  const blocks = (prompt.blocks ?? []) as Array<{ type: string; elements?: Array<{ action_id?: string; value?: string }> }>;
  for (const block of blocks) {
    const button = block.elements?.find((element) => element.action_id === ACTIONS.openDebrief);
    if (button?.value) return button.value;
  }
  return undefined;
}

/** The threads whose parent message names `dealName` in its header ("Lost: <name>"). */
export function parentsNaming(threads: TRetroThread[], dealName: string): TRetroThread[] {
  // The header's whole text, quotes included: "Lost: Deal 1" must not match "Lost: Deal 10".
  const header = JSON.stringify(`Lost: ${dealName}`);
  return threads.filter((thread) => thread.parentText.includes(header));
}

/**
 * Runs read-only SQL against the app's database. PGlite allows one process at a time, so on
 * PGlite this only works while no app has the folder open (after the last instance stopped);
 * opening it is itself the check that a killed instance left a usable data folder.
 */
export async function queryDatabase<T extends Record<string, unknown>>(config: TDatabaseConfig, sql: string): Promise<T[]> {
  if (config.kind === 'postgres') {
    const client = new Client({ connectionString: config.url });
    await client.connect();
    try {
      return (await client.query<T>(sql)).rows;
    } finally {
      await client.end();
    }
  }
  const pglite = createPGlite(config.dataDir);
  try {
    return (await pglite.query<T>(sql)).rows;
  } finally {
    await pglite.close();
  }
}

/** Each retro with its deal's name, thread ts and debrief summary ts. */
export function retroRows(config: TDatabaseConfig): Promise<Array<{ retro_id: string; deal_name: string; message_ts: string | null; prompt_ts: string | null; debriefs: number; summary_ts: string | null }>> {
  return queryDatabase(
    config,
    `SELECT r.id::text AS retro_id, d.name AS deal_name, r.message_ts, r.prompt_ts,
            (SELECT count(*)::int FROM debriefs b WHERE b.retro_id = r.id) AS debriefs,
            (SELECT max(b.summary_ts) FROM debriefs b WHERE b.retro_id = r.id) AS summary_ts
       FROM retros r JOIN deals d ON d.id = r.deal_id ORDER BY d.name`,
  );
}

/** Outbox rows not delivered yet, described (none before the outbox exists). */
export async function pendingDeliveries(config: TDatabaseConfig): Promise<string[]> {
  const exists = await queryDatabase<{ present: boolean }>(config, `SELECT to_regclass('slack_deliveries') IS NOT NULL AS present`);
  if (!exists[0]?.present) return [];
  const rows = await queryDatabase<{ key: string; attempts: number; last_error: string | null; available_at: Date }>(
    config,
    `SELECT key, attempts, last_error, available_at FROM slack_deliveries WHERE state = 'pending' ORDER BY key`,
  );
  return rows.map((row) => `${row.key} (attempts ${row.attempts}, last error ${row.last_error ?? 'none'}, due ${new Date(row.available_at).toISOString()})`);
}

/** Waits until the outbox has nothing pending (PostgreSQL: read while the app runs). */
export async function waitForOutboxDrained(config: TDatabaseConfig, timeoutMs = 30_000): Promise<void> {
  let last: string[] = [];
  await waitFor(
    async () => {
      last = await pendingDeliveries(config);
      return last.length === 0;
    },
    { timeoutMs, intervalMs: 250 },
  ).catch(() => {
    throw new Error(`The outbox still has deliveries pending after ${timeoutMs} ms:\n${last.join('\n')}`);
  });
}

/**
 * Fast-forwards past the leases of a killed instance's outbox claims (a minute in production), so
 * the next instance takes them over at once instead of the test waiting the minute out. Only for
 * an instance that is dead: its claims are what a crash leaves behind. Nothing before the outbox.
 */
export async function expireDeadInstanceLeases(database: TDatabaseConfig): Promise<number> {
  const exists = await queryDatabase<{ present: boolean }>(database, `SELECT to_regclass('slack_deliveries') IS NOT NULL AS present`);
  if (!exists[0]?.present) return 0;
  const rows = await queryDatabase<{ id: string }>(
    database,
    `UPDATE slack_deliveries SET lease_expires_at = now() - interval '1 second' WHERE state = 'pending' AND lease_expires_at > now() RETURNING id::text`,
  );
  return rows.length;
}

/** Waits until the fake Slack has had no chat.* call for `ms` (the app has nothing left to post). */
export async function quiet(slack: FakeSlack, ms: number): Promise<void> {
  const writes = () => slack.calls().filter((call) => call.method.startsWith('chat.')).length;
  let seen = writes();
  for (;;) {
    await sleep(ms);
    const now = writes();
    if (now === seen) return;
    seen = now;
  }
}

/** One line per thread: the deal, its prompts and summaries (for failure messages). */
export function describeThreads(slack: FakeSlack, channel: string): string {
  return retroThreads(slack, channel)
    .map((thread) => `${/Lost: ([^"]+)/.exec(thread.parentText)?.[1] ?? thread.parentTs}: ${thread.prompts.length} prompt(s), ${thread.summaries.length} summary(ies)`)
    .join('\n');
}

/**
 * Waits until each of `dealNames` has a thread with a debrief prompt and each of `debriefedNames`
 * a summary, then until Slack has been quiet for two seconds; `explain` adds to a timeout's message.
 */
export async function waitForEveryThread(slack: FakeSlack, channel: string, expected: { dealNames: string[]; debriefedNames: string[] }, options: { timeoutMs: number; explain: () => string }): Promise<void> {
  await waitFor(
    () => {
      const threads = retroThreads(slack, channel);
      const missing = expected.dealNames.filter((name) => !parentsNaming(threads, name).some((thread) => thread.prompts.length > 0));
      const undebriefed = expected.debriefedNames.filter((name) => !parentsNaming(threads, name).some((thread) => thread.summaries.length > 0));
      return missing.length === 0 && undebriefed.length === 0;
    },
    { timeoutMs: options.timeoutMs, intervalMs: 200 },
  ).catch((error: unknown) => {
    const dump = dumpSlack(slack);
    throw new Error(`Not every loss got its thread and every debrief its summary (every Slack call: ${dump}). In Slack:\n${describeThreads(slack, channel)}\n${options.explain()}\n${String(error)}`);
  });
  await quiet(slack, 2000);
}

/**
 * Exactly once, in Slack and in the database: one thread per loss with one prompt, one summary per
 * debriefed loss and none elsewhere, no other thread; one retro row per loss pointing at that
 * thread, one debrief row pointing at that summary.
 */
export async function expectEachOnce(slack: FakeSlack, channel: string, database: TDatabaseConfig, expected: { dealNames: string[]; debriefedNames: string[] }): Promise<void> {
  const threads = retroThreads(slack, channel);
  const perDeal = Object.fromEntries(expected.dealNames.map((name) => [name, parentsNaming(threads, name).map((thread) => ({ prompts: thread.prompts.length, summaries: thread.summaries.length }))]));
  const wanted = Object.fromEntries(expected.dealNames.map((name) => [name, [{ prompts: 1, summaries: expected.debriefedNames.includes(name) ? 1 : 0 }]]));
  expect(perDeal).toEqual(wanted);
  expect(threads).toHaveLength(expected.dealNames.length);

  const rows = await retroRows(database);
  expect(rows.map((row) => row.deal_name).sort()).toEqual([...expected.dealNames].sort());
  for (const row of rows) {
    const thread = parentsNaming(threads, row.deal_name)[0]!;
    expect({ deal: row.deal_name, messageTs: row.message_ts, promptTs: row.prompt_ts }).toEqual({ deal: row.deal_name, messageTs: thread.parentTs, promptTs: String(thread.prompts[0]?.ts) });
    const debriefed = expected.debriefedNames.includes(row.deal_name);
    expect({ deal: row.deal_name, debriefs: row.debriefs, summaryTs: row.summary_ts }).toEqual({
      deal: row.deal_name,
      debriefs: debriefed ? 1 : 0,
      summaryTs: debriefed ? String(thread.summaries[0]?.ts) : null,
    });
  }
}

/** The retro ids behind the debrief prompts of `dealNames`' threads, once all are posted. */
export function waitForPromptedRetroIds(slack: FakeSlack, channel: string, dealNames: string[], timeoutMs = 20_000): Promise<string[]> {
  return waitFor(
    () => {
      const threads = retroThreads(slack, channel);
      const ids = dealNames.map((name) => {
        const prompt = parentsNaming(threads, name)[0]?.prompts[0];
        return prompt ? promptRetroId(prompt) : undefined;
      });
      const found = ids.filter((id): id is string => id !== undefined);
      return found.length === dealNames.length ? found : undefined;
    },
    { timeoutMs, message: `these retros never got their debrief prompts: ${dealNames.join(', ')}` },
  );
}

/** Writes every call the fake Slack recorded to a file and returns its path (evidence for a failure). */
export function dumpSlack(slack: FakeSlack): string {
  const file = path.join(tmpdir(), `debrief-fault-slack-${Date.now()}.json`);
  const calls = slack.calls().map((call) => ({ method: call.method, status: call.status, at: call.at, args: call.args, ts: call.response?.ts }));
  writeFileSync(file, JSON.stringify(calls, null, 1));
  return file;
}
