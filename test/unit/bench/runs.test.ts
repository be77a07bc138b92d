import { combineRuns, type TMeasure, type TTargetResult } from '../../../bench/lib/runs';

// bench:ack with BENCH_RUNS: several runs of one app are reported as their medians, so that one
// run's pause does not decide a ratio of p99s.

function measure(p99: number, overrides: Partial<TMeasure> = {}): TMeasure {
  return { p50: 1, p99, max: p99 * 2, achievedRate: 200, maxRate: 1000, failures: 0, cpuMsPerRequest: 2, workAfterMs: 0, p99Range: [p99, p99], ...overrides };
}

function run(startMs: number, scenarios: TTargetResult['scenarios']): TTargetResult {
  return { key: 'postgres', name: 'Debrief (PostgreSQL)', startMs, spawnToReadyMs: startMs * 2, restMiB: 400, peakMiB: 600, scenarios };
}

describe('combineRuns', () => {
  it('reports the median of each figure, the range of the p99s, and every failure', () => {
    const combined = combineRuns([
      run(1000, { 'view submission': measure(43.6, { failures: 1, cpuMsPerRequest: 16 }) }),
      run(1400, { 'view submission': measure(15.4, { cpuMsPerRequest: 14 }) }),
      run(1200, { 'view submission': measure(17.1, { failures: 2, cpuMsPerRequest: 15 }) }),
    ]);
    expect(combined.scenarios['view submission']).toMatchObject({ p99: 17.1, p99Range: [15.4, 43.6], max: 34.2, cpuMsPerRequest: 15, failures: 3 });
    expect(combined).toMatchObject({ key: 'postgres', startMs: 1200, spawnToReadyMs: 2400 });
  });

  it('takes the mean of the middle two of an even number of runs, and leaves out scenarios no run measured', () => {
    const combined = combineRuns([run(1000, { 'slash command': measure(2) }), run(2000, { 'slash command': measure(4) })]);
    expect(combined.scenarios['slash command']).toMatchObject({ p99: 3, p99Range: [2, 4] });
    expect(combined.startMs).toBe(1500);
    expect(Object.keys(combined.scenarios)).toEqual(['slash command']);
  });

  it('refuses to combine no runs', () => {
    expect(() => combineRuns([])).toThrow('No runs');
  });
});
