import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import { isMainThread } from 'node:worker_threads';
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type MetricObjectWithValues, type MetricValue } from 'prom-client';

/**
 * Debrief's Prometheus metrics, served at GET /metrics (inside the cluster only: the Ingress
 * routes /slack and /webhooks alone). One registry for the process; anything may record into
 * these, e.g. `metrics.webhookDeliveries.inc({ crm: 'hubspot', outcome: 'accepted' })`.
 */
export const metricsRegistry = new Registry();

// Process metrics (CPU, resident memory, heap, event-loop lag, GC) under their usual names, so
// the standard Node.js dashboards work unchanged. Once per process: the work thread (WORK_THREAD)
// shares the process, and its event loop is not the one that answers Slack.
if (isMainThread) collectDefaultMetrics({ register: metricsRegistry });

export const metrics = {
  /** From the moment Bolt receives a verified Slack request until the listener acks it. Slack gives up after 3 s. */
  slackAckSeconds: new Histogram({
    name: 'debrief_slack_ack_seconds',
    help: 'Time from receiving a verified Slack request to acknowledging it, by request type',
    labelNames: ['type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
    registers: [metricsRegistry],
  }),
  /** Requests no listener acknowledged: Slack shows the user an error for these. */
  slackUnacknowledged: new Counter({
    name: 'debrief_slack_unacknowledged_total',
    help: 'Slack requests that were processed without being acknowledged, by request type',
    labelNames: ['type'] as const,
    registers: [metricsRegistry],
  }),
  /** WORK_THREAD: requests answered on the main thread and worked on by the work thread. */
  slackHandedOff: new Counter({
    name: 'debrief_slack_handed_off_total',
    help: 'Slack requests answered at once and handed to the work thread, by request type',
    labelNames: ['type'] as const,
    registers: [metricsRegistry],
  }),
  /** Every answer to a CRM webhook: accepted (2xx), refused (4xx: bad signature, malformed, not configured) or failed (5xx, retried by the CRM). */
  webhookDeliveries: new Counter({
    name: 'debrief_webhook_deliveries_total',
    help: 'CRM webhook deliveries by CRM, outcome and HTTP status',
    labelNames: ['crm', 'outcome', 'status'] as const,
    registers: [metricsRegistry],
  }),
  schedulerTaskRuns: new Counter({
    name: 'debrief_scheduler_task_runs_total',
    help: 'Passes of each scheduled task (reminders, digests, ...), by outcome',
    labelNames: ['task', 'outcome'] as const,
    registers: [metricsRegistry],
  }),
  schedulerTaskSeconds: new Histogram({
    name: 'debrief_scheduler_task_seconds',
    help: 'Duration of one pass of a scheduled task',
    labelNames: ['task'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60],
    registers: [metricsRegistry],
  }),
  /** Slack writes through the outbox, by how each attempt that ended the claim went (delivered, rearmed by an edit in flight, lost to another instance, dead). */
  outboxDeliveries: new Counter({
    name: 'debrief_outbox_deliveries_total',
    help: 'Outbox deliveries finished, by kind and outcome (delivered, rearmed, lost, dead)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [metricsRegistry],
  }),
  /** Failed attempts that will be tried again: rate_limited (429 Retry-After) or transient (5xx, network). */
  outboxRetries: new Counter({
    name: 'debrief_outbox_retries_total',
    help: 'Outbox delivery attempts that failed and were scheduled again, by kind and reason',
    labelNames: ['kind', 'reason'] as const,
    registers: [metricsRegistry],
  }),
  outboxDeliverySeconds: new Histogram({
    name: 'debrief_outbox_delivery_seconds',
    help: 'Duration of one successful outbox delivery (all its Slack calls)',
    labelNames: ['kind'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 15],
    registers: [metricsRegistry],
  }),
  /** Rows in the outbox by state, read from the database when scraped: pending is the backlog, dead needs a person. */
  outboxDepth: new Gauge({
    name: 'debrief_outbox_depth',
    help: 'Outbox rows by state (pending = waiting or retrying, dead = given up)',
    labelNames: ['state'] as const,
    registers: [metricsRegistry],
    async collect() {
      const counts = await outboxDepthSource?.().catch(() => undefined);
      if (!counts) return;
      for (const [state, count] of Object.entries(counts)) this.set({ state }, count);
    },
  }),
};

let outboxDepthSource: (() => Promise<Record<string, number>>) | undefined;

/** Where the outbox depth gauge reads from (the running app's database); undefined to stop. */
export function setOutboxDepthSource(source: (() => Promise<Record<string, number>>) | undefined): void {
  outboxDepthSource = source;
}

export type TWebhookOutcome = 'accepted' | 'refused' | 'failed';

export function webhookOutcomeOf(status: number): TWebhookOutcome {
  return status >= 500 ? 'failed' : status >= 400 ? 'refused' : 'accepted';
}

/** Counts a webhook delivery by the status it was finally answered with. */
export function countWebhookDelivery(crm: string, res: ServerResponse): void {
  res.once('finish', () => metrics.webhookDeliveries.inc({ crm, outcome: webhookOutcomeOf(res.statusCode), status: String(res.statusCode) }));
}

/**
 * GET /metrics. With WORK_THREAD, `otherThreads` gives the work thread's metrics (the outbox, the
 * scheduler, the requests it worked on), added to this thread's: one scrape shows the process.
 */
export function metricsRoute(otherThreads?: () => Promise<unknown[]>): CustomRoute {
  return {
    path: '/metrics',
    method: ['GET'],
    handler: (_req: IncomingMessage, res: ServerResponse) => {
      processMetricsText(otherThreads).then(
        (text) => {
          res.writeHead(200, { 'content-type': metricsRegistry.contentType, 'cache-control': 'no-store' });
          res.end(text);
        },
        () => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end('metrics unavailable\n');
        },
      );
    },
  };
}

async function processMetricsText(otherThreads: (() => Promise<unknown[]>) | undefined): Promise<string> {
  if (!otherThreads) return metricsRegistry.metrics();
  const [own, others] = await Promise.all([metricsRegistry.getMetricsAsJSON(), otherThreads()]);
  if (others.length === 0) return metricsRegistry.metrics();
  // Counters and histograms of the same name add up; each gauge is recorded by one thread only.
  const aggregated = AggregatorRegistry.aggregate([own, others as MetricObjectWithValues<MetricValue<string>>[]]);
  return aggregated.metrics();
}
