import { SCENARIOS, type TScenario } from './slackLoad';

// bench:ack's figures per app and scenario, and how several runs of one app become one row.

export type TTargetKey = 'bolt' | 'bolt-slack' | 'bolt-store' | 'pglite' | 'postgres' | 'postgres-one-thread';
export type TMeasure = {
  p50: number;
  p99: number;
  max: number;
  achievedRate: number;
  maxRate: number;
  failures: number;
  cpuMsPerRequest: number;
  workAfterMs: number;
  /** The lowest and highest p99 of the runs (one run: its p99 twice). */
  p99Range: [number, number];
};
export type TTargetResult = { key: TTargetKey; name: string; startMs: number; spawnToReadyMs: number; restMiB: number; peakMiB: number; scenarios: Partial<Record<TScenario, TMeasure>> };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** One app's runs as one result: the median of each figure, failures added up, the p99s' range. */
export function combineRuns(runs: TTargetResult[]): TTargetResult {
  const [first] = runs;
  if (!first) throw new Error('No runs to combine');
  const scenarios: TTargetResult['scenarios'] = {};
  for (const scenario of SCENARIOS) {
    const measured = runs.map((run) => run.scenarios[scenario]).filter((value): value is TMeasure => value !== undefined);
    if (measured.length === 0) continue;
    const middle = (pick: (value: TMeasure) => number) => median(measured.map(pick));
    const p99s = measured.map((value) => value.p99);
    scenarios[scenario] = {
      p50: middle((value) => value.p50),
      p99: middle((value) => value.p99),
      max: middle((value) => value.max),
      achievedRate: middle((value) => value.achievedRate),
      maxRate: middle((value) => value.maxRate),
      failures: measured.reduce((sum, value) => sum + value.failures, 0),
      cpuMsPerRequest: middle((value) => value.cpuMsPerRequest),
      workAfterMs: middle((value) => value.workAfterMs),
      p99Range: [Math.min(...p99s), Math.max(...p99s)],
    };
  }
  return {
    key: first.key,
    name: first.name,
    startMs: median(runs.map((run) => run.startMs)),
    spawnToReadyMs: median(runs.map((run) => run.spawnToReadyMs)),
    restMiB: median(runs.map((run) => run.restMiB)),
    peakMiB: median(runs.map((run) => run.peakMiB)),
    scenarios,
  };
}
