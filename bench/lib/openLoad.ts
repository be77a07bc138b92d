import http from 'node:http';

// A steady load the way Slack sends it: requests at a fixed rate whether or not earlier ones have
// been answered (an open loop), each timed from the moment it was due, so an app that falls
// behind is charged for the wait it causes (no coordinated omission).
//
// autocannon is not used for this: its `overallRate` gives each connection a quota per second and
// sends the quota back to back at the top of every second (200 req/s over 20 connections is a
// burst of 20 concurrent requests each second, then nothing), and it corrects its histogram as if
// one response were due every millisecond (ceil(1 / per-connection rate)), adding a synthetic
// sample per millisecond of every slower response. Both inflate p99 most for the slower app, so
// the comparison with bare Bolt measured burst handling, distorted. autocannon still measures the
// most requests per second an app sustains (bench/ack.ts), where neither applies.

export interface TOpenLoadRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface TOpenLoadResult {
  /** Latency percentiles and maximum in ms, from each request's due time to the end of its answer. */
  p50: number;
  p99: number;
  max: number;
  /** Requests answered per second over the run. */
  achievedRate: number;
  total: number;
  /** Answers other than 2xx, connection errors, and requests unanswered after timeoutMs. */
  non2xx: number;
  errors: number;
  timeouts: number;
}

export interface TOpenLoadOptions {
  port: number;
  rate: number;
  seconds: number;
  /** A new request for each send (fresh trigger ids and signatures). */
  next: () => TOpenLoadRequest;
  timeoutMs?: number;
  /** Keep-alive connections at most; requests beyond them wait for one (and that wait is counted). */
  maxConnections?: number;
}

export async function openLoad(options: TOpenLoadOptions): Promise<TOpenLoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxConnections ?? 64 });
  const intervalMs = 1000 / options.rate;
  const count = Math.round(options.rate * options.seconds);
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let timeouts = 0;
  const inFlight: Array<Promise<void>> = [];
  const started = performance.now();

  const send = (dueAt: number): Promise<void> =>
    new Promise((resolve) => {
      const request = options.next();
      let timedOut = false;
      let settled = false;
      let answerStarted = false;
      const settle = (outcome: 'answered' | 'non2xx' | 'failed') => {
        if (settled) return;
        settled = true;
        if (outcome === 'answered') latencies.push(performance.now() - dueAt);
        else if (outcome === 'non2xx') non2xx += 1;
        else if (timedOut) timeouts += 1;
        else errors += 1;
        resolve();
      };
      const outgoing = http.request(
        {
          host: '127.0.0.1',
          port: options.port,
          method: 'POST',
          path: request.path,
          agent,
          headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body) },
          timeout: options.timeoutMs ?? 10_000,
        },
        (response) => {
          answerStarted = true;
          const ok = response.statusCode !== undefined && response.statusCode >= 200 && response.statusCode < 300;
          response.resume();
          response.once('end', () => settle(ok ? 'answered' : 'non2xx'));
          response.once('close', () => {
            if (!response.complete) settle('failed');
          });
        },
      );
      outgoing.once('timeout', () => {
        timedOut = true;
        outgoing.destroy();
      });
      outgoing.once('error', () => settle('failed'));
      outgoing.once('close', () => {
        if (!answerStarted) settle('failed');
      });
      outgoing.end(request.body);
    });

  for (let index = 0; index < count; index += 1) {
    const dueAt = started + index * intervalMs;
    const wait = dueAt - performance.now();
    // Timers are coarse (about 1 ms); a request found late is sent at once and charged from its due time.
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(send(dueAt));
  }
  await Promise.all(inFlight);
  const elapsedSeconds = (performance.now() - started) / 1000;
  agent.destroy();

  const sorted = latencies.sort((a, b) => a - b);
  const percentile = (fraction: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!);
  return {
    p50: roundToTenth(percentile(0.5)),
    p99: roundToTenth(percentile(0.99)),
    max: roundToTenth(sorted.at(-1) ?? NaN),
    achievedRate: sorted.length / elapsedSeconds,
    total: count,
    non2xx,
    errors,
    timeouts,
  };
}

/** Milliseconds to a tenth, as the benchmarks report them (2.8499999999999996 as 2.8). */
export function roundToTenth(ms: number): number {
  return Math.round(ms * 10) / 10;
}
