import { openLoad, type TOpenLoadResult } from './lib/openLoad';
import { requestFor, SCENARIOS } from './lib/slackLoad';
import { createBenchDatabase, residentMiB, startServer, type TServer } from './lib/processes';

// `npm run bench:soak`: Debrief under a steady mix of slash commands, button clicks and view
// submissions in turn (SOAK_RATE requests/s, default 50, one every 20 ms whether or not the last
// was answered: lib/openLoad.ts) for SOAK_SECONDS (default 600, ten minutes),
// against the fake Slack. It samples memory every SOAK_SAMPLE_SECONDS (10) and reports growth
// after the first sample past warm-up (the JS heap measured after a full garbage collection),
// and every failed or timed-out request. Exits 1 on any
// error, or when the JS heap grew by more than SOAK_MAX_HEAP_GROWTH_MIB (default 32).
// PGlite by default; BENCH_DATABASE_URL runs it on a throw-away PostgreSQL database. Note that
// PGlite keeps its database in this process, so its resident memory grows with the data stored
// (each view submission stores a deal and its retro); the JS heap is the figure for leaks.

const SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const RATE = Number(process.env.SOAK_RATE ?? 50);
const SAMPLE_SECONDS = Number(process.env.SOAK_SAMPLE_SECONDS ?? 10);
const MAX_HEAP_GROWTH_MIB = Number(process.env.SOAK_MAX_HEAP_GROWTH_MIB ?? 32);

type TSample = { atSeconds: number; rssMiB: number; heapMiB: number };

/** The JS heap still in use after a full garbage collection in the server. */
async function heapUsedMiB(server: TServer): Promise<number> {
  server.child.kill('SIGUSR2');
  await new Promise((resolve) => setTimeout(resolve, 300));
  const text = await (await fetch(`http://127.0.0.1:${server.ready.port}/metrics`)).text();
  const bytes = Number(/^nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1] ?? NaN);
  return bytes / 2 ** 20;
}

/** Least-squares slope, in MiB per minute. */
function slopePerMinute(samples: TSample[], value: (sample: TSample) => number): number {
  const n = samples.length;
  if (n < 2) return 0;
  const meanX = samples.reduce((sum, s) => sum + s.atSeconds, 0) / n;
  const meanY = samples.reduce((sum, s) => sum + value(s), 0) / n;
  const covariance = samples.reduce((sum, s) => sum + (s.atSeconds - meanX) * (value(s) - meanY), 0);
  const variance = samples.reduce((sum, s) => sum + (s.atSeconds - meanX) ** 2, 0);
  return (covariance / variance) * 60;
}

async function main(): Promise<void> {
  const slack = await startServer('fake Slack', 'fakeSlack.ts', {});
  const database = process.env.BENCH_DATABASE_URL ? await createBenchDatabase(process.env.BENCH_DATABASE_URL) : undefined;
  const server = await startServer('Debrief', 'debrief.ts', { BENCH_SLACK_URL: String(slack.ready.url), BENCH_DATABASE_URL: database?.url }, ['--expose-gc']);
  const samples: TSample[] = [];
  const started = Date.now();
  const sample = async () => {
    samples.push({ atSeconds: (Date.now() - started) / 1000, rssMiB: await residentMiB(server.child.pid!), heapMiB: await heapUsedMiB(server) });
    const last = samples[samples.length - 1]!;
    console.error(`  ${last.atSeconds.toFixed(0)} s: resident ${last.rssMiB.toFixed(1)} MiB, JS heap ${last.heapMiB.toFixed(1)} MiB`);
  };
  let result: TOpenLoadResult;
  try {
    await sample();
    const sampler = setInterval(() => void sample(), SAMPLE_SECONDS * 1000);
    const retroId = String(server.ready.retroId);
    let sent = 0;
    result = await openLoad({
      port: Number(server.ready.port),
      rate: RATE,
      seconds: SECONDS,
      next: () => ({ path: '/slack/events', ...requestFor(SCENARIOS[sent++ % SCENARIOS.length]!, retroId) }),
    });
    clearInterval(sampler);
    await sample();
  } finally {
    await server.stop();
    await slack.stop();
    await database?.drop();
  }

  // The first fifth is warm-up (JIT, caches, pools filling); growth is judged after it.
  const settled = samples.filter((s) => s.atSeconds >= SECONDS / 5);
  const first = settled[0] ?? samples[0]!;
  const last = samples[samples.length - 1]!;
  const heapGrowth = last.heapMiB - first.heapMiB;
  const failures = result.errors + result.timeouts + result.non2xx;
  console.log(
    [
      `Soak: ${result.total} requests in ${SECONDS} s at ${RATE}/s (${SCENARIOS.join(', ')} in turn) on ${database ? 'PostgreSQL' : 'PGlite'}.`,
      `Latency: p50 ${result.p50} ms, p99 ${result.p99} ms, max ${result.max} ms.`,
      `Failures: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx answers.`,
      `JS heap: ${first.heapMiB.toFixed(1)} MiB after warm-up, ${last.heapMiB.toFixed(1)} MiB at the end (${heapGrowth >= 0 ? '+' : ''}${heapGrowth.toFixed(1)} MiB; trend ${slopePerMinute(settled, (s) => s.heapMiB).toFixed(2)} MiB/min).`,
      `Resident: ${first.rssMiB.toFixed(1)} MiB after warm-up, ${last.rssMiB.toFixed(1)} MiB at the end (trend ${slopePerMinute(settled, (s) => s.rssMiB).toFixed(2)} MiB/min).`,
    ].join('\n'),
  );
  const rssGrowth = last.rssMiB - first.rssMiB;
  console.log(
    [
      '',
      '| Database | Rate | Requests | p50 / p99 / max ms | Failures | JS heap after warm-up → end (trend) | Resident after warm-up → end |',
      '| --- | ---: | ---: | --- | ---: | --- | --- |',
      `| ${database ? 'PostgreSQL' : 'PGlite'} | ${RATE}/s for ${SECONDS / 60} min | ${result.total} | ${result.p50} / ${result.p99} / ${result.max} | ${failures} | ` +
        `${first.heapMiB.toFixed(1)} → ${last.heapMiB.toFixed(1)} MiB (${slopePerMinute(settled, (s) => s.heapMiB).toFixed(2)} MiB/min) | ${first.rssMiB.toFixed(0)} → ${last.rssMiB.toFixed(0)} MiB (${rssGrowth >= 0 ? '+' : ''}${rssGrowth.toFixed(0)}) |`,
      '',
    ].join('\n'),
  );
  if (failures > 0 || heapGrowth > MAX_HEAP_GROWTH_MIB) {
    console.log(failures > 0 ? 'FAILED: requests failed.' : `FAILED: the JS heap grew by more than ${MAX_HEAP_GROWTH_MIB} MiB.`);
    process.exitCode = 1;
  } else {
    console.log(`PASSED: no failed request, and the JS heap grew by ${Math.max(heapGrowth, 0).toFixed(1)} MiB (at most ${MAX_HEAP_GROWTH_MIB} allowed).`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
