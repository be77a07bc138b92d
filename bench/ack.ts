import os from 'node:os';
import { closedLoad } from './lib/closedLoad';
import { openLoad, roundToTenth } from './lib/openLoad';
import { combineRuns, type TMeasure, type TTargetKey, type TTargetResult } from './lib/runs';
import { SCENARIOS, requestFor, type TScenario } from './lib/slackLoad';
import { cpuMs, createBenchDatabase, residentMiB, sampleMemory, settle, startServer, type TServer } from './lib/processes';

// `npm run bench:ack`: how fast Debrief acknowledges Slack, next to bare Bolt apps answering the
// same signed requests, in one run on one machine. Each app runs in its own process against a
// fake Slack in a third; the load generator (autocannon) runs here. Per app and scenario:
//   - latency at a steady BENCH_RATE requests/s (default 200) for BENCH_SECONDS (default 10): one
//     request every 5 ms whether or not the last was answered, each timed from when it was due
//     (lib/openLoad.ts, which says why autocannon's own rate limiting is not used for this),
//   - the most requests/s it sustains with BENCH_CONNECTIONS (default 10) for BENCH_MAX_SECONDS (5),
//     with autocannon,
//   - the app's CPU time per request at the steady rate (ack and all the work after it): the
//     figure least disturbed by other load on the machine,
//   - resident memory at rest and its peak under that load, and start-up time.
// The apps (BENCH_TARGETS, comma-separated, all by default):
//   bolt        bare Bolt, listeners that only ack();
//   bolt-slack  bare Bolt making the same Slack calls as Debrief after its ack (bench/servers/bareBolt.ts);
//   bolt-store  bare Bolt writing each submitted form to PostgreSQL before its ack (BENCH_DATABASE_URL);
//   pglite      Debrief on PGlite;
//   postgres    Debrief on PostgreSQL, when BENCH_DATABASE_URL is set (a throw-away database
//               is created there and dropped).
// BENCH_SCENARIOS=slash,button,view picks scenarios (e.g. to profile one with BENCH_NODE_ARGS).
// BENCH_RUNS=N (default 1) measures every app N times, in rounds (each round every app once, so a
// slow spell of the machine falls on all of them), and reports each figure's median over the runs
// with the range of the p99s: one run's p99 is its 20th slowest answer of 2,000 and moves with any
// pause of the machine, so one run of each app says little about a ratio of p99s.
// It ends with tables ready to paste into the README and whether Debrief's p99 is within
// BENCH_TARGET_RATIO (1.2) times bare Bolt's.

const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const WARM_UP_SECONDS = Number(process.env.BENCH_WARM_UP_SECONDS ?? 3);
const TARGET_RATIO = Number(process.env.BENCH_TARGET_RATIO ?? 1.2);
const RUNS = Math.max(1, Math.round(Number(process.env.BENCH_RUNS ?? 1)));
/** Slack gives up on an answer after 3 seconds. */
const SLACK_LIMIT_MS = 3_000;

const WANTED_SCENARIOS = SCENARIOS.filter((scenario) =>
  (process.env.BENCH_SCENARIOS ?? 'slash,button,view').split(',').some((word) => word.trim() !== '' && scenario.startsWith(word.trim())),
);

/** A steady BENCH_RATE of one scenario's requests (see lib/openLoad.ts). */
function steadyLoad(server: TServer, scenario: TScenario, seconds: number) {
  const retroId = String(server.ready.retroId);
  return openLoad({ port: Number(server.ready.port), rate: RATE, seconds, next: () => ({ path: '/slack/events', ...requestFor(scenario, retroId) }) });
}

/** As many requests as `connections` connections make, each sending the next once answered. */
function flatOutLoad(server: TServer, scenario: TScenario, options: { seconds: number; connections: number }) {
  const retroId = String(server.ready.retroId);
  return closedLoad({ port: Number(server.ready.port), ...options, next: () => ({ path: '/slack/events', ...requestFor(scenario, retroId) }) });
}

async function measure(key: TTargetKey, name: string, server: TServer): Promise<TTargetResult> {
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const restMiB = await residentMiB(server.child.pid!);
  // Warm-up at the steady rate: JIT, code loaded on first use, connection pools, caches. Not measured.
  for (const scenario of WANTED_SCENARIOS) await steadyLoad(server, scenario, WARM_UP_SECONDS);
  const pid = server.child.pid!;
  await settle(pid);
  const memory = sampleMemory(pid);
  const scenarios: TTargetResult['scenarios'] = {};
  for (const scenario of WANTED_SCENARIOS) {
    const cpuBefore = await cpuMs(pid);
    const steady = await steadyLoad(server, scenario, SECONDS);
    // The work after the answers (Slack calls, the outbox) goes on a while; it is part of each
    // request's cost, and the next measurement starts once it is done.
    const workAfterMs = await settle(pid);
    const cpuMsPerRequest = ((await cpuMs(pid)) - cpuBefore) / Math.max(steady.total, 1);
    const flat = await flatOutLoad(server, scenario, { seconds: MAX_SECONDS, connections: CONNECTIONS });
    await settle(pid);
    const measured: TMeasure = {
      p50: steady.p50,
      p99: steady.p99,
      max: steady.max,
      achievedRate: steady.achievedRate,
      maxRate: flat.requests.average,
      failures: steady.errors + steady.timeouts + steady.non2xx + flat.errors + flat.timeouts + flat.non2xx,
      cpuMsPerRequest,
      workAfterMs,
      p99Range: [steady.p99, steady.p99],
    };
    scenarios[scenario] = measured;
    console.error(`  ${name} / ${scenario}: p50 ${measured.p50} ms, p99 ${measured.p99} ms at ${measured.achievedRate}/s; max ${measured.maxRate}/s; ${measured.cpuMsPerRequest.toFixed(2)} CPU ms per request; work done ${(measured.workAfterMs / 1000).toFixed(1)} s after the last answer; failures ${measured.failures}`);
  }
  const peakMiB = memory.stop();
  return { key, name, startMs: Number(server.ready.startMs), spawnToReadyMs: server.spawnToReadyMs, restMiB, peakMiB, scenarios };
}

function ratio(result: TTargetResult, baseline: TTargetResult, scenario: TScenario): number | undefined {
  const ours = result.scenarios[scenario]?.p99;
  const theirs = baseline.scenarios[scenario]?.p99;
  return ours === undefined || theirs === undefined ? undefined : ours / Math.max(theirs, 1);
}

/** The README's tables, and the verdict on the target. */
function report(results: TTargetResult[]): string {
  const rows = [
    `| App | Scenario | p50 ms | p99 ms |${RUNS > 1 ? ' p99 range ms |' : ''} max ms | at req/s | max req/s | CPU ms / request | failures |`,
    `| --- | --- | ---: | ---: |${RUNS > 1 ? ' ---: |' : ''} ---: | ---: | ---: | ---: | ---: |`,
  ];
  for (const result of results) {
    for (const scenario of WANTED_SCENARIOS) {
      const m = result.scenarios[scenario];
      const range = RUNS > 1 && m ? ` ${roundToTenth(m.p99Range[0])} to ${roundToTenth(m.p99Range[1])} |` : '';
      if (m) rows.push(`| ${result.name} | ${scenario} | ${roundToTenth(m.p50)} | ${roundToTenth(m.p99)} |${range} ${roundToTenth(m.max)} | ${Math.round(m.achievedRate)} | ${Math.round(m.maxRate)} | ${m.cpuMsPerRequest.toFixed(2)} | ${m.failures} |`);
    }
  }
  rows.push('', '| App | Start-up (in process / from spawning Node) | Memory at rest | Peak under load |', '| --- | --- | ---: | ---: |');
  for (const result of results) {
    rows.push(`| ${result.name} | ${formatMs(result.startMs)} / ${formatMs(result.spawnToReadyMs)} | ${result.restMiB.toFixed(0)} MiB | ${result.peakMiB.toFixed(0)} MiB |`);
  }

  const baselines = results.filter((result) => result.key.startsWith('bolt'));
  const debriefs = results.filter((result) => result.key === 'pglite' || result.key.startsWith('postgres'));
  const verdicts: string[] = [];
  if (baselines.length > 0 && debriefs.length > 0) {
    rows.push('', `| App | Scenario | ${baselines.map((baseline) => `p99 / ${baseline.name} p99`).join(' | ')} |`, `| --- | --- | ${baselines.map(() => '---:').join(' | ')} |`);
    for (const result of debriefs) {
      for (const scenario of WANTED_SCENARIOS) {
        rows.push(`| ${result.name} | ${scenario} | ${baselines.map((baseline) => `${ratio(result, baseline, scenario)?.toFixed(2) ?? '?'}x`).join(' | ')} |`);
      }
    }
    for (const result of debriefs) {
      for (const baseline of baselines) {
        const ratios = WANTED_SCENARIOS.map((scenario) => ratio(result, baseline, scenario)).filter((value): value is number => value !== undefined);
        const worst = Math.max(...ratios);
        verdicts.push(`${result.name}: p99 within ${TARGET_RATIO}x of ${baseline.name} in every scenario: ${worst <= TARGET_RATIO ? 'MET' : 'NOT MET'} (worst ${worst.toFixed(2)}x).`);
      }
    }
  }
  for (const result of debriefs) {
    const worstP99 = Math.max(...WANTED_SCENARIOS.map((scenario) => result.scenarios[scenario]?.p99 ?? 0));
    const failures = WANTED_SCENARIOS.reduce((sum, scenario) => sum + (result.scenarios[scenario]?.failures ?? 0), 0);
    verdicts.push(`${result.name}: worst p99 ${worstP99} ms at ${RATE} req/s, ${worstP99 < SLACK_LIMIT_MS / 2 ? 'far under' : worstP99 < SLACK_LIMIT_MS ? 'under' : 'OVER'} Slack's ${SLACK_LIMIT_MS / 1000}-second limit; ${failures} failures.`);
  }
  return [rows.join('\n'), '', ...verdicts].join('\n');
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

async function main(): Promise<void> {
  const slack = await startServer('fake Slack', 'fakeSlack.ts', {});
  const env = { BENCH_SLACK_URL: String(slack.ready.url) };
  const results: TTargetResult[] = [];
  const adminUrl = process.env.BENCH_DATABASE_URL;
  const wanted = (process.env.BENCH_TARGETS ?? 'bolt,bolt-slack,bolt-store,pglite,postgres,postgres-one-thread').split(',').map((word) => word.trim());
  try {
    const targets: Array<{ key: TTargetKey; name: string; start: () => Promise<{ server: TServer; cleanUp?: () => Promise<void> }> }> = [
      { key: 'bolt', name: 'bare Bolt', start: async () => ({ server: await startServer('bare Bolt', 'bareBolt.ts', { ...env, BENCH_BOLT_MODE: 'ack' }) }) },
      { key: 'bolt-slack', name: 'Bolt + Slack calls', start: async () => ({ server: await startServer('Bolt + Slack calls', 'bareBolt.ts', { ...env, BENCH_BOLT_MODE: 'slack' }) }) },
      { key: 'pglite', name: 'Debrief (PGlite)', start: async () => ({ server: await startServer('Debrief', 'debrief.ts', { ...env, BENCH_DATABASE_URL: undefined }) }) },
    ];
    if (adminUrl) {
      targets.push({
        key: 'bolt-store',
        name: 'Bolt + form stored',
        start: async () => {
          const database = await createBenchDatabase(adminUrl);
          return { server: await startServer('Bolt + form stored', 'bareBolt.ts', { ...env, BENCH_BOLT_MODE: 'store', BENCH_DATABASE_URL: database.url }), cleanUp: () => database.drop() };
        },
      });
      // Debrief's default on PostgreSQL answers on one thread and works on another (WORK_THREAD);
      // `postgres-one-thread` is the same app with WORK_THREAD=off, for comparison.
      for (const [key, name, workThread] of [
        ['postgres', 'Debrief (PostgreSQL)', 'on'],
        ['postgres-one-thread', 'Debrief (PostgreSQL, WORK_THREAD=off)', 'off'],
      ] as const) {
        targets.push({
          key,
          name,
          start: async () => {
            const database = await createBenchDatabase(adminUrl);
            return { server: await startServer('Debrief', 'debrief.ts', { ...env, BENCH_DATABASE_URL: database.url, WORK_THREAD: workThread }), cleanUp: () => database.drop() };
          },
        });
      }
    } else if (wanted.includes('postgres')) {
      console.error('BENCH_DATABASE_URL is not set: Debrief on PostgreSQL is left out.');
    }
    const chosen = targets.filter((candidate) => wanted.includes(candidate.key));
    const runsByTarget = new Map<TTargetKey, TTargetResult[]>(chosen.map((target) => [target.key, []]));
    for (let run = 1; run <= RUNS; run += 1) {
      for (const target of chosen) {
        console.error(`Benchmarking ${target.name}${RUNS > 1 ? ` (run ${run} of ${RUNS})` : ''}...`);
        const { server, cleanUp } = await target.start();
        try {
          runsByTarget.get(target.key)!.push(await measure(target.key, target.name, server));
        } finally {
          await server.stop();
          await cleanUp?.();
        }
      }
    }
    for (const target of chosen) results.push(combineRuns(runsByTarget.get(target.key)!));
  } finally {
    await slack.stop();
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const [load1] = os.loadavg();
  console.log(
    `Node ${process.version}, ${os.cpus().length} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, load average ${load1?.toFixed(1)} at the end; ` +
      `steady load ${RATE} req/s for ${SECONDS} s after ${WARM_UP_SECONDS} s of warm-up, then as fast as ${CONNECTIONS} connections go for ${MAX_SECONDS} s, per scenario` +
      (RUNS > 1 ? `; every app measured ${RUNS} times, medians shown.\n` : '.\n'),
  );
  console.log(report(results));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
