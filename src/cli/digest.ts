import 'dotenv/config';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { parseConfig, type TConfig } from '../config/env';
import { openDatabase } from '../db/client';
import { digestChart } from '../domain/digest/chart';
import { latestDuePeriod, periodContaining, periodOfLabel, type TDigestPeriod } from '../domain/digest/period';
import { renderBarChart } from '../lib/chart/barChart';
import { createRepositories, type TRepositories } from '../repositories';
import { DIGEST_RETRY_CONFIG, effectiveDigestSettings, type TDigestConfig } from '../services/digest/digestSchedule';
import { loadDigest } from '../services/digest/loadDigest';
import { postDigest } from '../services/digest/postDigest';
import { buildDigestMessages, digestAsText } from '../slack/blocks/digest';
import { runCli, UsageError } from './runCli';

// `npm run digest -- --workspace ID [--period YYYY-Www] [--post] [--chart FILE]`: builds a week's
// digest for operators. Without --post it only prints it; with --post it posts it through the same
// exactly-once claim as the schedule, so a digest already out is never posted again.

const USAGE = `Usage: npm run digest -- --workspace ID [--period YYYY-Www] [--post] [--chart FILE]

  --workspace ID   the Slack team id (T0123ABCD) or Debrief's workspace id
  --period WEEK    an ISO week such as 2026-W47 (default: the latest week whose digest is due)
  --post           post it to the digest channel (once: a week already posted is left alone)
  --chart FILE     also write the chart as a PNG file

With the embedded database (no DATABASE_URL), stop Debrief first: only one process can open it.`;

const ZArguments = z.object({
  workspace: z.string({ error: 'is required' }).min(1, 'is required'),
  period: z.string().optional(),
  post: z.boolean().default(false),
  chart: z.string().min(1).optional(),
});


function readArguments(argv: string[]): z.infer<typeof ZArguments> {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: argv,
      options: { workspace: { type: 'string' }, period: { type: 'string' }, post: { type: 'boolean' }, chart: { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) throw new UsageError('');
  const parsed = ZArguments.safeParse(values);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => `--${issue.path.join('.')} ${issue.message}`).join('; '));
  return parsed.data;
}

async function findWorkspace(repos: TRepositories, id: string) {
  const bySlackId = await repos.workspaces.findBySlackTeamId(id);
  if (bySlackId) return repos.digests.findWorkspace(bySlackId.id);
  return z.uuid().safeParse(id).success ? repos.digests.findWorkspace(id) : null;
}

function choosePeriod(label: string | undefined, timeZone: string, clock: Parameters<typeof latestDuePeriod>[1], now: Date): TDigestPeriod {
  if (label === undefined) return latestDuePeriod(now, clock).period;
  const period = periodOfLabel(label, timeZone);
  if (!period) throw new UsageError(`--period ${label} is not an ISO week; write it like 2026-W47.`);
  if (period.start.getTime() > now.getTime()) throw new UsageError(`Week ${period.label} has not begun yet.`);
  return period;
}

function slackClient(config: TConfig): WebClient {
  if (!config.slack.botToken) {
    throw new UsageError('npm run digest posts with SLACK_BOT_TOKEN. With OAuth installs, preview a digest in Slack with /losses digest.');
  }
  return new WebClient(config.slack.botToken, { retryConfig: DIGEST_RETRY_CONFIG, ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}) });
}

async function main(): Promise<void> {
  const args = readArguments(process.argv.slice(2));
  const config = parseConfig(process.env);
  const client = slackClient(config);
  const database = await openDatabase(config.database);
  try {
    const repos = createRepositories(database.prisma, { defaultTimeZone: config.reminders.defaultTimeZone });
    const workspace = await findWorkspace(repos, args.workspace);
    if (!workspace) throw new UsageError(`No workspace ${args.workspace} in this database. Use the Slack team id (T…) of a workspace Debrief has seen.`);
    const digestConfig: TDigestConfig = { ...config.digest, retroChannelId: config.retroChannelId, defaultTimeZone: config.reminders.defaultTimeZone };
    const settings = effectiveDigestSettings(workspace, digestConfig);
    const now = new Date();
    const period = choosePeriod(args.period, settings.timeZone, settings, now);
    const logger = { debug: () => undefined, info: console.log, warn: console.warn, error: console.error };

    const digest = await loadDigest({ repos, client, logger }, { workspaceId: workspace.id, period, now });
    console.log(digestAsText(buildDigestMessages(digest)));
    const chart = digestChart(digest);
    if (args.chart && chart) {
      await writeFile(args.chart, renderBarChart(chart).png);
      console.log(`\nChart written to ${args.chart}.`);
    }
    if (!args.post) {
      console.log(`\nNot posted (add --post to post it to ${settings.channelId}).`);
      return;
    }
    if (period.label === periodContaining(now, settings.timeZone).label) throw new UsageError(`Week ${period.label} is not over yet; post it when it is.`);
    const result = await postDigest({ repos, client, logger, now: () => new Date() }, { workspaceId: workspace.id, channelId: settings.channelId, period, scheduledFor: null });
    switch (result.outcome) {
      case 'posted':
        console.log(`\nPosted the digest for ${period.label} to ${settings.channelId} (ts ${result.messageTs}).`);
        break;
      case 'already_posted':
        console.log(`\nThe digest for ${period.label} was already posted to ${result.run.channelId} (ts ${result.run.messageTs ?? 'unknown'}); not posting it again.`);
        break;
      case 'busy':
        console.log(`\nAnother Debrief instance is posting the digest for ${period.label} right now, or waiting to retry it; not posting.`);
        process.exitCode = 1;
        break;
      case 'failed':
        console.error(`\nPosting failed: ${result.error}.${result.willRetry ? ' The schedule will try again.' : ''}`);
        process.exitCode = 1;
        break;
    }
  } finally {
    await database.close();
  }
}

runCli(main, { usage: USAGE, failed: 'The digest failed' });
