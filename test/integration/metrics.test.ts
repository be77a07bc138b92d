import { COMMANDS } from '../../src/slack/ids';
import { startHarness, type THarness } from '../helpers/debriefHarness';
import { postCommand } from '../helpers/slackRequests';

/** The value of one sample in Prometheus' text format, 0 when it is not there yet. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((pair) => [pair[1], pair[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return 0;
}

describe('GET /metrics', () => {
  let harness: THarness;

  beforeAll(async () => {
    harness = await startHarness('pglite');
  });
  afterAll(async () => {
    await harness?.stop();
  });

  async function scrape(): Promise<string> {
    const response = await fetch(`${harness.http.baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return response.text();
  }

  it('counts the ack of a slash command in the ack latency histogram, under its type', async () => {
    const before = await scrape();
    const response = await postCommand(harness.http, { command: COMMANDS.losses, text: 'help' });
    expect(response.status).toBe(200);
    const after = await scrape();
    const count = (text: string, type: string) => sample(text, 'debrief_slack_ack_seconds_count', { type });
    expect(count(after, 'command') - count(before, 'command')).toBe(1);
    expect(count(after, 'view_submission') - count(before, 'view_submission')).toBe(0);
    // The ack took some time, and less than Slack's three seconds.
    const seconds = sample(after, 'debrief_slack_ack_seconds_sum', { type: 'command' }) - sample(before, 'debrief_slack_ack_seconds_sum', { type: 'command' });
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThan(3);
    expect(sample(after, 'debrief_slack_ack_seconds_bucket', { type: 'command', le: '3' })).toBe(count(after, 'command'));
  });

  it('counts scheduler passes by task and outcome', async () => {
    harness.debrief.scheduler.add({ name: 'metrics-test-ok', runDue: async () => undefined });
    harness.debrief.scheduler.add({
      name: 'metrics-test-failing',
      runDue: async () => {
        throw new Error('the CRM is down');
      },
    });
    const before = await scrape();
    await harness.debrief.scheduler.tick();
    await harness.debrief.scheduler.tick();
    const after = await scrape();
    const delta = (task: string, outcome: string) =>
      sample(after, 'debrief_scheduler_task_runs_total', { task, outcome }) - sample(before, 'debrief_scheduler_task_runs_total', { task, outcome });
    expect(delta('metrics-test-ok', 'ok')).toBe(2);
    expect(delta('metrics-test-failing', 'failed')).toBe(2);
    expect(delta('metrics-test-failing', 'ok')).toBe(0);
    expect(sample(after, 'debrief_scheduler_task_seconds_count', { task: 'metrics-test-ok' })).toBe(2);
  });

  it('counts webhook deliveries by CRM and outcome', async () => {
    const before = await scrape();
    // No CRM is configured here: the delivery is refused with 404.
    const response = await fetch(`${harness.http.baseUrl}/webhooks/generic`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(404);
    const after = await scrape();
    const labels = { crm: 'generic', outcome: 'refused', status: '404' };
    expect(sample(after, 'debrief_webhook_deliveries_total', labels) - sample(before, 'debrief_webhook_deliveries_total', labels)).toBe(1);
  });

  it('reports the process: memory, CPU, event-loop lag', async () => {
    const text = await scrape();
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
    expect(text).toMatch(/^process_cpu_seconds_total /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds /m);
  });
});
