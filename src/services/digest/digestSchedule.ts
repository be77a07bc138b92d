import { WebClient, type RetryOptions, type WebClientOptions } from '@slack/web-api';
import { latestDuePeriod, nextDuePeriod, periodContaining, type TDigestPeriod } from '../../domain/digest/period';
import type { TDigestSettings } from '../../domain/digest/settings';
import { DEFAULT_DIGEST_HOUR, DEFAULT_DIGEST_WEEKDAY } from '../../domain/digest/settings';
import type { TLogger } from '../../lib/logger';
import type { TRepositories } from '../../repositories';
import type { TDigestWorkspace } from '../../repositories/digests';
import type { TScheduledTask } from '../../scheduler/scheduler';
import { singleTokenClients, WorkspaceNotInstalledError, type TSlackClients } from '../../slack/clients';
import { postDigest } from './postDigest';

// When each workspace's digest is due, and the scheduler task that posts it. The task runs every
// minute on every instance; postDigest's claim makes sure each week goes out once per workspace.

export interface TDigestConfig {
  /** DIGEST_CHANNEL; undefined falls back to the workspace's retro channel, then RETRO_CHANNEL. */
  channelId: string | undefined;
  /** RETRO_CHANNEL; unset with OAuth installs, where each workspace chooses its own. */
  retroChannelId: string | undefined;
  /** DIGEST_TZ; undefined follows the workspace's zone. */
  timeZone: string | undefined;
  /** DEFAULT_TIMEZONE, the zone of workspaces without one of their own. */
  defaultTimeZone: string;
}

/**
 * Retries for digest posts. A 429 waits out its Retry-After before the next try; the whole schedule
 * stays well inside the run's lease, so no other instance takes a run over while this one retries.
 */
export const DIGEST_RETRY_CONFIG: RetryOptions = { retries: 5, factor: 2, minTimeout: 1_000, maxTimeout: 30_000 };

/**
 * The clients the digest posts with: with a bot token, one of its own with the retries above;
 * with OAuth installs, each workspace's client from `otherwise`.
 */
export function digestSlackClients(options: {
  botToken: string | undefined;
  apiUrl: string | undefined;
  clientOptions: WebClientOptions | undefined;
  otherwise: TSlackClients;
}): TSlackClients {
  if (!options.botToken) return options.otherwise;
  const clientOptions: WebClientOptions = { retryConfig: DIGEST_RETRY_CONFIG, ...options.clientOptions, ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}) };
  return singleTokenClients(new WebClient(options.botToken, clientOptions));
}

/** The settings in force: what a manager saved, else the defaults. */
export function effectiveDigestSettings(workspace: Omit<TDigestWorkspace, 'id' | 'slackTeamId' | 'createdAt'>, config: TDigestConfig): TDigestSettings {
  if (workspace.settings) {
    const { channelId, weekday, hour, timeZone, enabled, createdAt } = workspace.settings;
    return { channelId, weekday, hour, timeZone, enabled, saved: true, savedAt: createdAt };
  }
  return {
    // Empty when no channel is known at all (an OAuth install nobody configured yet): nothing is due.
    channelId: config.channelId ?? workspace.retroChannelId ?? config.retroChannelId ?? '',
    weekday: DEFAULT_DIGEST_WEEKDAY,
    hour: DEFAULT_DIGEST_HOUR,
    timeZone: config.timeZone ?? workspace.timeZone ?? config.defaultTimeZone,
    enabled: true,
    saved: false,
    savedAt: null,
  };
}

export async function digestSettingsOf(repos: TRepositories, config: TDigestConfig, workspace: { id: string; timeZone: string | null; retroChannelId: string | null }): Promise<TDigestSettings> {
  return effectiveDigestSettings({ ...workspace, settings: await repos.digests.findSettings(workspace.id) }, config);
}

/**
 * The digest a preview shows: the one that goes out next. Before this week's posting time that is
 * last week's (complete); after it, this week's so far.
 */
export function previewPeriodOf(now: Date, settings: TDigestSettings): { period: TDigestPeriod; goesOutAt: Date; inProgress: boolean } {
  const next = nextDuePeriod(now, settings);
  const current = periodContaining(now, settings.timeZone);
  return { period: next.period, goesOutAt: next.dueAt, inProgress: next.period.label === current.label };
}

/**
 * The digest the scheduler owes a workspace at `now`: the latest week whose time has come, unless
 * the digest is paused or that time was before Debrief came to the workspace (nothing to catch up).
 * Whether it already went out is for the run's claim to say.
 */
export function dueDigestOf(workspace: { createdAt: Date }, settings: TDigestSettings, now: Date): { period: TDigestPeriod; dueAt: Date } | null {
  if (!settings.enabled || !settings.channelId) return null;
  const due = latestDuePeriod(now, settings);
  return due.dueAt.getTime() < workspace.createdAt.getTime() ? null : due;
}

export interface TDigestTaskDeps {
  repos: TRepositories;
  clients: TSlackClients;
  logger: TLogger;
  config: TDigestConfig;
  now: () => Date;
  leaseMs?: number;
}

/** Posts every workspace's latest due digest that is not out yet: on time, or late after downtime. */
export function createDigestTask(deps: TDigestTaskDeps): TScheduledTask {
  return {
    name: 'weekly-digest',
    async runDue(now) {
      for (const workspace of await deps.repos.digests.listWorkspaces()) {
        const settings = effectiveDigestSettings(workspace, deps.config);
        const due = dueDigestOf(workspace, settings, now);
        if (!due) continue;
        const { period, dueAt } = due;
        try {
          const client = await deps.clients.forTeam(workspace.slackTeamId);
          await postDigest(
            { repos: deps.repos, client, logger: deps.logger, now: deps.now, leaseMs: deps.leaseMs },
            { workspaceId: workspace.id, channelId: settings.channelId, period, scheduledFor: dueAt },
          );
        } catch (error) {
          if (error instanceof WorkspaceNotInstalledError) continue;
          // One workspace's trouble must not keep the others' digests from going out.
          deps.logger.error(`The weekly digest of workspace ${workspace.slackTeamId} failed`, error);
        }
      }
    },
  };
}
