import { request } from 'node:http';
import { COMMANDS } from '../../src/slack/ids';
import { startHarness, type THarness } from '../helpers/debriefHarness';
import { newTriggerId, signSlackRequest } from '../helpers/slackRequests';
import { waitFor } from '../helpers/wait';

// What Kubernetes does to a pod on a rollout or a node drain: SIGTERM (stop()), then requests
// keep arriving for a moment until the Service and the Ingress notice the pod is going.

const DRAIN_SECONDS = 0.6;

async function readiness(harness: THarness): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${harness.http.baseUrl}/readyz`);
  return { status: response.status, body: await response.json() };
}

/**
 * A slash command whose body arrives in two halves: the request is in flight (headers read, body
 * not) until finish() sends the rest. Its response resolves with Bolt's answer.
 */
function startSlowCommand(harness: THarness, text: string): { finish(): void; response: Promise<{ status: number; body: string }> } {
  const body = new URLSearchParams({ command: COMMANDS.losses, text, team_id: 'T0TEST', user_id: 'U0USER', channel_id: 'C0TEST', trigger_id: newTriggerId() }).toString();
  const url = new URL('/slack/events', harness.http.baseUrl);
  const req = request(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': Buffer.byteLength(body),
      // Slack and the proxies in front of Debrief keep connections open: stopping must not wait for them.
      connection: 'keep-alive',
      ...signSlackRequest(harness.http.signingSecret, body),
    },
    agent: false,
  });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
  });
  const half = Math.floor(body.length / 2);
  req.write(body.slice(0, half));
  return { finish: () => req.end(body.slice(half)), response };
}

describe('graceful shutdown', () => {
  let harness: THarness;

  beforeEach(async () => {
    harness = await startHarness('pglite', { shutdown: { drainSeconds: DRAIN_SECONDS } });
  });
  afterEach(async () => {
    await harness.stop();
  });

  it('answers /readyz 200 while serving, then 503 while draining, and still serves Slack while it drains', async () => {
    expect(await readiness(harness)).toEqual({ status: 200, body: { status: 'ready' } });

    const stopped = harness.debrief.stop();
    expect(await readiness(harness)).toEqual({ status: 503, body: { status: 'draining' } });
    // A request the load balancer still routes here during the drain is answered normally.
    const slow = startSlowCommand(harness, 'help');
    slow.finish();
    expect((await slow.response).status).toBe(200);

    await stopped;
    // Afterwards the port is closed: nothing is accepted and then dropped.
    await expect(fetch(`${harness.http.baseUrl}/readyz`)).rejects.toThrow();
  });

  it('lets a request in flight when the server stops accepting connections finish with its answer', async () => {
    const slow = startSlowCommand(harness, 'help');
    // The request's headers are in, its body is not: it is in flight.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    const stopped = harness.debrief.stop();
    // Past the drain, the listening socket closes while the request is still open...
    await waitFor(async () => (await fetch(`${harness.http.baseUrl}/livez`).then(() => false, () => true)) || undefined, { timeoutMs: 5_000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(DRAIN_SECONDS * 1000 - 50);
    let stopDone = false;
    void stopped.then(() => (stopDone = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stopDone).toBe(false);

    // ...and its body still arrives and is answered: Slack gets its ack.
    slow.finish();
    const response = await slow.response;
    expect(response.status).toBe(200);
    expect(response.body).toContain('/losses log');
    await stopped;
    // Well within the grace period: the drain, then at once once the last answer is out.
    expect(Date.now() - started).toBeLessThan(DRAIN_SECONDS * 1000 + 3_000);
  });

  it('waits for a scheduler pass in progress before closing the database', async () => {
    let finishPass: () => void = () => undefined;
    let passDone = false;
    harness.debrief.scheduler.add({
      name: 'slow test task',
      runDue: async () => {
        await new Promise<void>((resolve) => (finishPass = resolve));
        // The database is still open while the pass runs.
        await harness.debrief.database.prisma.$queryRaw`SELECT 1`;
        passDone = true;
      },
    });
    const pass = harness.debrief.scheduler.tick();
    const stopped = harness.debrief.stop();
    await new Promise((resolve) => setTimeout(resolve, DRAIN_SECONDS * 1000 + 100));
    expect(passDone).toBe(false);
    finishPass();
    await pass;
    await stopped;
    expect(passDone).toBe(true);
  });
});
