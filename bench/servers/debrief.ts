import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseConfig } from '../../src/config/env';
import { startDebrief } from '../../src/server';
import { CALLBACKS } from '../../src/slack/ids';
import { BENCH_SIGNING_SECRET, BENCH_WEBHOOK_SECRET, logLostDealBody, signedHeaders } from '../lib/slackLoad';

// Debrief as it runs in production (the real startDebrief, JSON logs at error level, the
// scheduler off so that only requests are measured) against the fake Slack. BENCH_DATABASE_URL
// (a database of its own, made by the parent) selects PostgreSQL; otherwise PGlite in a fresh
// folder, as a single-instance install uses it.

async function main(): Promise<void> {
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  const dataDir = databaseUrl ? undefined : await mkdtemp(path.join(tmpdir(), 'debrief-bench-'));
  const config = parseConfig({
    SLACK_BOT_TOKEN: 'xoxb-bench-token',
    SLACK_SIGNING_SECRET: BENCH_SIGNING_SECRET,
    RETRO_CHANNEL: 'C0RETROS01',
    SLACK_API_URL: process.env.BENCH_SLACK_URL,
    LOG_LEVEL: 'error',
    LOG_FORMAT: 'json',
    // The generic CRM webhook, for bench/webhooks.ts.
    WEBHOOK_SIGNING_SECRET: BENCH_WEBHOOK_SECRET,
    // on (the default with PostgreSQL) or off; bench/ack.ts measures both.
    WORK_THREAD: process.env.WORK_THREAD,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: dataDir }),
  });
  const started = process.hrtime.bigint();
  const debrief = await startDebrief(config, { port: 0, startScheduler: false });
  const startMs = Number(process.hrtime.bigint() - started) / 1e6;
  const port = (debrief.server?.address() as { port: number }).port;

  // One retro for the button scenario: logged through the modal, as a person would.
  // The very first request loads code and opens connections; on a busy machine it can miss
  // Slack's 3 seconds (answered 404), so it is tried a few times.
  let status = 0;
  for (let attempt = 0; attempt < 3 && status !== 200; attempt += 1) {
    const body = logLostDealBody(attempt);
    status = (await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', headers: signedHeaders(body), body })).status;
  }
  if (status !== 200) throw new Error(`seeding the ${CALLBACKS.logLostDealModal} submission answered ${status}`);
  let retroId: string | undefined;
  for (let attempt = 0; attempt < 100 && !retroId; attempt += 1) {
    retroId = (await debrief.database.prisma.retro.findFirst({ select: { id: true } }))?.id;
    if (!retroId) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!retroId) throw new Error('the seeded retro never appeared');

  // The soak test collects garbage before it reads the heap (node --expose-gc), so that what it
  // compares is what is still referenced, not what the collector has yet to reach.
  process.on('SIGUSR2', () => (globalThis as { gc?: () => void }).gc?.());
  console.log(`READY ${JSON.stringify({ port, startMs, retroId })}`);
  process.once('SIGTERM', () => {
    void debrief
      .stop()
      .then(() => (dataDir ? rm(dataDir, { recursive: true, force: true }) : undefined))
      .then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
