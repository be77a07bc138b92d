import os from 'node:os';
import autocannon from 'autocannon';
import { SCENARIOS, requestFor, type TScenario } from './lib/slackLoad';
import { createBenchDatabase, residentMiB, sampleMemory, startServer, type TServer } from './lib/processes';

// `npm run bench:ack`: how fast Debrief acknowledges Slack, next to a bare Bolt app answering the
// same signed requests, in one run on one machine. Each app runs in its own process against a
// fake Slack in a third; the load generator (autocannon) runs here. Per app and scenario:
//   - latency at a steady BENCH_RATE requests/s (default 200) for BENCH_SECONDS (default 10),
//   - the most requests/s it sustains with BENCH_CONNECTIONS (default 10) for BENCH_MAX_SECONDS (5),
//   - resident memory at rest and its peak under that load, and start-up time.
// Debrief runs on PGlite, and on PostgreSQL too when BENCH_DATABASE_URL is set (a throw-away
// database is created there and dropped).

const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

type TMeasure = { p50: number; p99: number; max: number; achievedRate: number; maxRate: number; failures: number };
type TTargetResult = { name: string; startup: string; restMiB: number; peakMiB: number; scenarios: Record<TScenario, TMeasure> };

async function load(server: TServer, scenario: TScenario, options: { seconds: number; rate?: number; connections: number }) {
  const retroId = String(server.ready.retroId);
  return autocannon({
    url: `http://127.0.0.1:${server.ready.port}`,
    connections: options.connections,
    duration: options.seconds,
    ...(options.rate ? { overallRate: options.rate } : {}),
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: '/slack/events',
        setupRequest: (request) => ({ ...request, ...requestFor(scenario, retroId) }),
      },
    ],
  });
}

async function measure(name: string, server: TServer): Promise<TTargetResult> {
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const restMiB = await residentMiB(server.child.pid!);
  // Warm-up: JIT, connection pools, caches; not measured.
  for (const scenario of SCENARIOS) await load(server, scenario, { seconds: 1, connections: 2 });
  const memory = sampleMemory(server.child.pid!);
  const scenarios = {} as Record<TScenario, TMeasure>;
  for (const scenario of SCENARIOS) {
    const steady = await load(server, scenario, { seconds: SECONDS, rate: RATE, connections: 20 });
    const flat = await load(server, scenario, { seconds: MAX_SECONDS, connections: CONNECTIONS });
    scenarios[scenario] = {
      p50: steady.latency.p50,
      p99: steady.latency.p99,
      max: steady.latency.max,
      achievedRate: steady.requests.average,
      maxRate: flat.requests.average,
      failures: steady.errors + steady.timeouts + steady.non2xx + flat.errors + flat.timeouts + flat.non2xx,
    };
    console.error(`  ${name} / ${scenario}: p50 ${steady.latency.p50} ms, p99 ${steady.latency.p99} ms at ${steady.requests.average}/s; max ${flat.requests.average}/s; failures ${scenarios[scenario].failures}`);
  }
  const peakMiB = memory.stop();
  const startMs = Number(server.ready.startMs);
  return { name, startup: `${Math.round(startMs)} ms in-process, ${Math.round(server.spawnToReadyMs)} ms from spawn`, restMiB, peakMiB, scenarios };
}

function table(results: TTargetResult[]): string {
  const rows = ['| App | Scenario | p50 ms | p99 ms | max ms | at req/s | max req/s | failures |', '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |'];
  for (const result of results) {
    for (const scenario of SCENARIOS) {
      const m = result.scenarios[scenario];
      rows.push(`| ${result.name} | ${scenario} | ${m.p50} | ${m.p99} | ${m.max} | ${Math.round(m.achievedRate)} | ${Math.round(m.maxRate)} | ${m.failures} |`);
    }
  }
  rows.push('', '| App | Start-up | Memory at rest | Peak under load |', '| --- | --- | ---: | ---: |');
  for (const result of results) rows.push(`| ${result.name} | ${result.startup} | ${result.restMiB.toFixed(0)} MiB | ${result.peakMiB.toFixed(0)} MiB |`);
  const bare = results.find((result) => result.name === 'bare Bolt');
  if (bare) {
    rows.push('', '| App | Scenario | p99 / bare Bolt p99 |', '| --- | --- | ---: |');
    for (const result of results.filter((candidate) => candidate !== bare)) {
      for (const scenario of SCENARIOS) rows.push(`| ${result.name} | ${scenario} | ${(result.scenarios[scenario].p99 / Math.max(bare.scenarios[scenario].p99, 1)).toFixed(2)}x |`);
    }
  }
  return rows.join('\n');
}

async function main(): Promise<void> {
  const slack = await startServer('fake Slack', 'fakeSlack.ts', {});
  const env = { BENCH_SLACK_URL: String(slack.ready.url) };
  const results: TTargetResult[] = [];
  try {
    const targets: Array<{ name: string; start: () => Promise<{ server: TServer; cleanUp?: () => Promise<void> }> }> = [
      { name: 'bare Bolt', start: async () => ({ server: await startServer('bare Bolt', 'bareBolt.ts', env) }) },
      { name: 'Debrief (PGlite)', start: async () => ({ server: await startServer('Debrief', 'debrief.ts', { ...env, BENCH_DATABASE_URL: undefined }) }) },
    ];
    const adminUrl = process.env.BENCH_DATABASE_URL;
    if (adminUrl) {
      targets.push({
        name: 'Debrief (PostgreSQL)',
        start: async () => {
          const database = await createBenchDatabase(adminUrl);
          return { server: await startServer('Debrief', 'debrief.ts', { ...env, BENCH_DATABASE_URL: database.url }), cleanUp: () => database.drop() };
        },
      });
    }
    for (const target of targets) {
      console.error(`Benchmarking ${target.name}...`);
      const { server, cleanUp } = await target.start();
      try {
        results.push(await measure(target.name, server));
      } finally {
        await server.stop();
        await cleanUp?.();
      }
    }
  } finally {
    await slack.stop();
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`Node ${process.version}, ${os.cpus().length} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; steady load ${RATE} req/s for ${SECONDS} s, then as fast as ${CONNECTIONS} connections go for ${MAX_SECONDS} s, per scenario.\n`);
  console.log(table(results));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
