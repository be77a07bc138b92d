import { randomUUID } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { digestChart, digestChartAltText } from '../../domain/digest/chart';
import type { TDigestPeriod } from '../../domain/digest/period';
import { slackErrorCode } from '../../errors';
import { renderBarChart, type TBarChart } from '../../lib/chart/barChart';
import type { TLogger } from '../../lib/logger';
import type { TRepositories } from '../../repositories';
import { DigestClaimLostError, type TDigestRun } from '../../repositories/digests';
import { buildDigestMessages, type TDigestMessage } from '../../slack/blocks/digest';
import { loadDigest } from './loadDigest';

// Posts one week's digest to one channel exactly once. The run is claimed in the database first;
// each message is recorded the moment Slack returns its ts, and carries the run id in its message
// metadata, so a run resumed after a crash (its lease expired) finds what was already posted and
// posts only the rest. Failures are retried with backoff a few times, then given up and logged.

export interface TPostDigestDeps {
  repos: TRepositories;
  client: WebClient;
  logger: TLogger;
  now: () => Date;
  /** How long a claim holds without a sign of life; every recorded step renews it. */
  leaseMs?: number;
}

export const DIGEST_LEASE_MS = 10 * 60_000;
export const DIGEST_MAX_ATTEMPTS = 5;
const FIRST_RETRY_DELAY_MS = 5 * 60_000;
/** Message metadata type marking Debrief's digest messages. */
export const DIGEST_EVENT_TYPE = 'debrief_digest';
/** Set before the chart upload starts: a run resumed after a crash mid-upload does not upload again. */
const CHART_INTERRUPTED = 'upload interrupted';

export type TPostDigestResult =
  | { outcome: 'posted'; run: TDigestRun; messageTs: string }
  | { outcome: 'already_posted'; run: TDigestRun }
  | { outcome: 'busy'; run: TDigestRun | null }
  | { outcome: 'failed'; error: string; willRetry: boolean };

const ZMessage = z.object({ text: z.string(), blocks: z.array(z.looseObject({ type: z.string() })) });
const ZBarChart = z.object({
  title: z.string(),
  subtitle: z.string(),
  series: z.array(z.object({ name: z.string(), color: z.tuple([z.number(), z.number(), z.number()]) })),
  panels: z.array(z.object({ title: z.string(), rows: z.array(z.object({ label: z.string(), values: z.array(z.number()) })) })),
});
const ZRunContent = z.object({ version: z.literal(1), parent: ZMessage, replies: z.array(ZMessage), chart: ZBarChart.nullable() });
type TRunContent = { version: 1; parent: TDigestMessage; replies: TDigestMessage[]; chart: TBarChart | null };

function readContent(value: unknown): TRunContent | null {
  const parsed = ZRunContent.safeParse(value);
  // The blocks were written by buildDigestMessages and only round-tripped through JSON.
  return parsed.success ? (parsed.data as unknown as TRunContent) : null;
}

const ZHistory = z.object({
  messages: z
    .array(
      z.looseObject({
        ts: z.string(),
        metadata: z.looseObject({ event_type: z.string(), event_payload: z.looseObject({ run_id: z.string().optional(), part: z.number().optional() }) }).optional(),
      }),
    )
    .default([]),
});

/** ts of each part (0 = the parent) of this run already in the channel, from message metadata. */
function partsIn(messages: z.infer<typeof ZHistory>['messages'], runId: string): Map<number, string> {
  const parts = new Map<number, string>();
  for (const message of messages) {
    const payload = message.metadata?.event_type === DIGEST_EVENT_TYPE ? message.metadata.event_payload : undefined;
    if (payload?.run_id === runId && payload.part !== undefined && !parts.has(payload.part)) parts.set(payload.part, message.ts);
  }
  return parts;
}

async function findPostedParent(client: WebClient, run: TDigestRun): Promise<string | null> {
  // Slack's ts are seconds; a minute of margin covers clock skew between Debrief and Slack.
  const oldest = String(Math.floor(run.createdAt.getTime() / 1000) - 60);
  const history = ZHistory.parse(await client.conversations.history({ channel: run.channelId, oldest, include_all_metadata: true, limit: 200 }));
  return partsIn(history.messages, run.id).get(0) ?? null;
}

async function findPostedReplies(client: WebClient, run: TDigestRun, parentTs: string): Promise<Map<number, string>> {
  const replies = ZHistory.parse(await client.conversations.replies({ channel: run.channelId, ts: parentTs, include_all_metadata: true, limit: 200 }));
  return partsIn(replies.messages, run.id);
}

function metadataFor(run: TDigestRun, part: number) {
  return { event_type: DIGEST_EVENT_TYPE, event_payload: { run_id: run.id, period: run.period, part } };
}

export async function postDigest(
  deps: TPostDigestDeps,
  input: {
    workspaceId: string;
    channelId: string;
    period: TDigestPeriod;
    /** When the schedule wanted it out; null for a manual run. Shown on the digest when it is late. */
    scheduledFor: Date | null;
  },
): Promise<TPostDigestResult> {
  const leaseMs = deps.leaseMs ?? DIGEST_LEASE_MS;
  const { repos, client, logger } = deps;
  // A digest already out for this week (in another channel, before the settings changed) is enough.
  const posted = await repos.digests.findPosted(input.workspaceId, input.period.label);
  if (posted) return { outcome: 'already_posted', run: posted };

  const claim = await repos.digests.claim({
    workspaceId: input.workspaceId,
    channelId: input.channelId,
    period: input.period.label,
    claimToken: randomUUID(),
    now: deps.now(),
    leaseMs,
    scheduledFor: input.scheduledFor,
  });
  if (claim.outcome === 'posted') return { outcome: 'already_posted', run: claim.run };
  if (claim.outcome === 'busy') return { outcome: 'busy', run: claim.run };
  const { run, resumed } = claim;

  try {
    let content = readContent(run.content);
    if (!content) {
      const digest = await loadDigest({ repos, client, logger }, { workspaceId: input.workspaceId, period: input.period, now: deps.now() });
      const late = input.scheduledFor !== null && deps.now().getTime() - input.scheduledFor.getTime() > 15 * 60_000;
      const messages = buildDigestMessages(digest, late && input.scheduledFor ? { lateSince: input.scheduledFor } : {});
      content = { version: 1, parent: messages.parent, replies: messages.replies, chart: digestChart(digest) };
      await repos.digests.saveContent(run, content, deps.now(), leaseMs);
    }

    let parentTs = run.messageTs;
    if (!parentTs && resumed) {
      // The instance before us may have posted and died before recording the ts.
      parentTs = await findPostedParent(client, run);
      if (parentTs) {
        logger.info(`Digest ${run.period} for ${run.channelId}: found the message an interrupted run posted; not posting it again.`);
        await repos.digests.recordParent(run, parentTs, deps.now(), leaseMs);
      }
    }
    if (!parentTs) {
      const answer = await client.chat.postMessage({
        channel: run.channelId,
        text: content.parent.text,
        blocks: content.parent.blocks,
        metadata: metadataFor(run, 0),
        unfurl_links: false,
        unfurl_media: false,
      });
      if (!answer.ts) throw new Error('chat.postMessage answered without a ts');
      parentTs = answer.ts;
      await repos.digests.recordParent(run, parentTs, deps.now(), leaseMs);
    }

    const alreadyThere = resumed && run.repliesPosted < content.replies.length ? await findPostedReplies(client, run, parentTs) : new Map<number, string>();
    for (let index = run.repliesPosted; index < content.replies.length; index += 1) {
      const part = index + 1;
      const reply = content.replies[index]!;
      if (!alreadyThere.has(part)) {
        await client.chat.postMessage({
          channel: run.channelId,
          thread_ts: parentTs,
          text: reply.text,
          blocks: reply.blocks,
          metadata: metadataFor(run, part),
          unfurl_links: false,
          unfurl_media: false,
        });
      }
      await repos.digests.recordReplies(run, part, deps.now(), leaseMs);
    }

    if (content.chart && run.chartFileId === null && run.chartError === null) {
      await repos.digests.recordChart(run, { error: CHART_INTERRUPTED }, deps.now(), leaseMs);
      const chart = await uploadChart(client, run, parentTs, content.chart).catch((error: unknown) => {
        // The digest is out; a chart that cannot be uploaded must not hold it back or repost it.
        logger.warn(`Digest ${run.period}: the chart upload failed (${slackErrorCode(error) ?? String(error)}); the digest went out without it.`);
        return { error: slackErrorCode(error) ?? (error instanceof Error ? error.message : String(error)) };
      });
      await repos.digests.recordChart(run, chart, deps.now(), leaseMs);
    }

    await repos.digests.markPosted(run, deps.now());
    logger.info(`Posted the loss digest ${run.period} to ${run.channelId}.`);
    return { outcome: 'posted', run, messageTs: parentTs };
  } catch (error) {
    if (error instanceof DigestClaimLostError) {
      logger.warn(`Digest ${run.period} for ${run.channelId}: another instance took the run over; stopping.`);
      return { outcome: 'busy', run: null };
    }
    const reason = slackErrorCode(error) ?? (error instanceof Error ? error.message : String(error));
    const willRetry = run.attempts < DIGEST_MAX_ATTEMPTS;
    const retryAt = willRetry ? new Date(deps.now().getTime() + FIRST_RETRY_DELAY_MS * 2 ** (run.attempts - 1)) : null;
    await repos.digests.markFailed(run, reason, retryAt).catch((markError: unknown) => {
      // Lost the claim meanwhile: whoever holds it now decides.
      logger.warn(`Could not record the failure of digest run ${run.id}`, markError);
    });
    const next = retryAt ? `; trying again at ${retryAt.toISOString()}` : `; gave up after ${run.attempts} attempts`;
    logger.error(`Posting the loss digest ${run.period} to ${run.channelId} failed (${reason})${next}.`);
    return { outcome: 'failed', error: reason, willRetry };
  }
}

async function uploadChart(client: WebClient, run: TDigestRun, threadTs: string, chart: TBarChart): Promise<{ fileId: string }> {
  const { png } = renderBarChart(chart);
  const answer = await client.files.uploadV2({
    channel_id: run.channelId,
    thread_ts: threadTs,
    file: png,
    filename: `loss-digest-${run.period}.png`,
    title: chart.title,
    alt_text: digestChartAltText(chart),
  });
  const ZUploaded = z.object({ files: z.array(z.object({ files: z.array(z.object({ id: z.string() })).optional() })).optional() });
  const fileId = ZUploaded.safeParse(answer).data?.files?.[0]?.files?.[0]?.id;
  return { fileId: fileId ?? 'unknown' };
}
