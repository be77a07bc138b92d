import { createHmac } from 'node:crypto';
import os from 'node:os';
import { closedLoad } from './lib/closedLoad';
import { openLoad } from './lib/openLoad';
import { BENCH_WEBHOOK_SECRET } from './lib/slackLoad';
import { cpuMs, createBenchDatabase, residentMiB, sampleMemory, startServer, type TServer } from './lib/processes';

// `npm run bench:webhooks`: CRM webhook intake. Each request is a signed "deal lost" from the
// generic webhook (docs/crm/generic.md) for a deal never seen before, so each one stores a deal
// and its retro and queues the retro's opening in the Slack outbox; the owner is looked up by
// e-mail in the fake Slack. Debrief answers once the loss is stored (or after 5 s, finishing in
// the background). Per database:
//   - latency at a steady WEBHOOK_RATE deliveries/s (default 50) for WEBHOOK_SECONDS (10): one
//     delivery every 1/rate s whether or not the last was answered, each timed from when it was
//     due (lib/openLoad.ts, as bench:ack; CRMs send deliveries as deals are lost, not in turns),
//   - the most deliveries/s WEBHOOK_CONNECTIONS (10) senders get for WEBHOOK_MAX_SECONDS (10),
//     with autocannon,
//   - how long the outbox then takes to post every retro opened (end-to-end throughput),
//   - CPU per delivery, resident memory at rest and at its peak.
// PGlite, and PostgreSQL when BENCH_DATABASE_URL is set (BENCH_TARGETS=pglite,postgres picks).

const RATE = Number(process.env.WEBHOOK_RATE ?? 50);
const SECONDS = Number(process.env.WEBHOOK_SECONDS ?? 10);
const MAX_SECONDS = Number(process.env.WEBHOOK_MAX_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.WEBHOOK_CONNECTIONS ?? 10);
const DRAIN_TIMEOUT_SECONDS = Number(process.env.WEBHOOK_DRAIN_TIMEOUT_SECONDS ?? 300);

let sequence = 0;

/** A signed generic-webhook delivery for a new deal. */
function lostDealRequest(): { body: string; headers: Record<string, string> } {
  sequence += 1;
  const dealId = `BENCH-${process.pid}-${sequence}`;
  const body = JSON.stringify({
    dealId,
    name: `Bench deal ${sequence}`,
    amount: '48000.00',
    currency: 'eur',
    ownerEmail: 'dana.reyes@northwind.example',
    ownerName: 'Dana Reyes',
    competitor: 'Globex',
    reason: 'Chose a cheaper vendor after the pilot',
    crmUrl: `https://crm.northwind.example/deals/${dealId}`,
    lostAt: new Date().toISOString(),
    status: 'lost',
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', BENCH_WEBHOOK_SECRET).update(`${timestamp}.${body}`, 'utf8').digest('hex');
  return { body, headers: { 'content-type': 'application/json', 'x-debrief-timestamp': timestamp, 'x-debrief-signature': `v1=${signature}` } };
}

/** WEBHOOK_RATE deliveries a second, steadily (see lib/openLoad.ts). */
function steadyLoad(server: TServer, seconds: number) {
  return openLoad({ port: Number(server.ready.port), rate: RATE, seconds, next: () => ({ path: '/webhooks/generic', ...lostDealRequest() }) });
}

/** As many deliveries as `connections` senders make, each sending the next once answered. */
function flatOutLoad(server: TServer, options: { seconds: number; connections: number }) {
  return closedLoad({ port: Number(server.ready.port), ...options, next: () => ({ path: '/webhooks/generic', ...lostDealRequest() }) });
}

/** Sum of a metric's samples whose labels contain `labels`, from the app's /metrics. */
async function metric(server: TServer, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${server.ready.port}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) && line.includes(labels)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

type TResult = { name: string; p50: number; p99: number; max: number; rate: number; maxRate: number; failures: number; cpuMsPerDelivery: number; drainSeconds: number; opened: number; restMiB: number; peakMiB: number };

async function measure(name: string, server: TServer): Promise<TResult> {
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const restMiB = await residentMiB(server.child.pid!);
  await steadyLoad(server, 3); // warm-up, not measured
  const memory = sampleMemory(server.child.pid!);
  const cpuBefore = await cpuMs(server.child.pid!);
  const steady = await steadyLoad(server, SECONDS);
  const postedBefore = await metric(server, 'debrief_outbox_deliveries_total', 'outcome="delivered"');
  const flatStarted = Date.now();
  const flat = await flatOutLoad(server, { seconds: MAX_SECONDS, connections: CONNECTIONS });
  // Every retro accepted is posted by the outbox; wait until it has caught up.
  const expected = flat.requests.total - flat.non2xx - flat.errors - flat.timeouts;
  let posted = 0;
  while (Date.now() - flatStarted < DRAIN_TIMEOUT_SECONDS * 1000) {
    posted = (await metric(server, 'debrief_outbox_deliveries_total', 'outcome="delivered"')) - postedBefore;
    const pending = await metric(server, 'debrief_outbox_depth', 'state="pending"');
    if (posted >= expected && pending === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const drainSeconds = (Date.now() - flatStarted) / 1000;
  const cpuMsPerDelivery = ((await cpuMs(server.child.pid!)) - cpuBefore) / Math.max(steady.total + flat.requests.total, 1);
  const result: TResult = {
    name,
    p50: steady.p50,
    p99: steady.p99,
    max: steady.max,
    rate: steady.achievedRate,
    maxRate: flat.requests.average,
    failures: steady.errors + steady.timeouts + steady.non2xx + flat.errors + flat.timeouts + flat.non2xx,
    cpuMsPerDelivery,
    drainSeconds,
    opened: posted,
    restMiB,
    peakMiB: memory.stop(),
  };
  console.error(`  ${name}: ${JSON.stringify(result)}`);
  return result;
}

async function main(): Promise<void> {
  const slack = await startServer('fake Slack', 'fakeSlack.ts', {});
  const env = { BENCH_SLACK_URL: String(slack.ready.url) };
  const wanted = (process.env.BENCH_TARGETS ?? 'pglite,postgres').split(',').map((word) => word.trim());
  const adminUrl = process.env.BENCH_DATABASE_URL;
  const results: TResult[] = [];
  try {
    if (wanted.includes('pglite')) {
      const server = await startServer('Debrief', 'debrief.ts', { ...env, BENCH_DATABASE_URL: undefined });
      try {
        results.push(await measure('Debrief (PGlite)', server));
      } finally {
        await server.stop();
      }
    }
    if (wanted.includes('postgres') && adminUrl) {
      const database = await createBenchDatabase(adminUrl);
      const server = await startServer('Debrief', 'debrief.ts', { ...env, BENCH_DATABASE_URL: database.url });
      try {
        results.push(await measure('Debrief (PostgreSQL)', server));
      } finally {
        await server.stop();
        await database.drop();
      }
    }
  } finally {
    await slack.stop();
  }
  const [load1] = os.loadavg();
  console.log(
    `Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), load average ${load1?.toFixed(1)} at the end; ` +
      `${RATE} deliveries/s for ${SECONDS} s, then ${CONNECTIONS} senders flat out for ${MAX_SECONDS} s.\n`,
  );
  console.log('| Database | p50 ms | p99 ms | max ms | at deliveries/s | max deliveries/s | CPU ms / delivery | all retros posted after | failures | Memory at rest → peak |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of results) {
    console.log(
      `| ${r.name.replace('Debrief ', '').replace(/[()]/g, '')} | ${r.p50} | ${r.p99} | ${r.max} | ${Math.round(r.rate)} | ${Math.round(r.maxRate)} | ${r.cpuMsPerDelivery.toFixed(1)} | ${r.drainSeconds.toFixed(0)} s (${r.opened} retros) | ${r.failures} | ${r.restMiB.toFixed(0)} → ${r.peakMiB.toFixed(0)} MiB |`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
