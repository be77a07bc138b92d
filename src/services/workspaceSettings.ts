import type { WebClient } from '@slack/web-api';
import {
  effectiveWorkspaceSettings,
  type TSettingsDefaults,
  type TValidWorkspaceSettings,
  type TWorkspaceSettings,
} from '../domain/workspaceSettings';
import { slackErrorCode } from '../errors';
import type { TLogger } from '../lib/logger';
import { joinPeerInvalidation } from '../lib/peerInvalidation';
import { createTtlCache } from '../lib/ttlCache';
import type { TRepositories } from '../repositories';
import type { TWorkspace } from '../repositories/workspaces';
import type { TManagerDirectory } from './managers';

// Each workspace's settings (/losses settings): who may change them, reading them with the
// deployment's defaults filled in, and saving them.

/**
 * How long an instance reuses a workspace's settings without reading them again. The instance
 * that saved them forgets its copy at once; other instances (several replicas) follow within
 * this time for every request after it.
 */
export const SETTINGS_TTL_MS = 30_000;

/**
 * Past SETTINGS_TTL_MS, and up to this age, a request is answered with the copy in hand while it
 * is read again in the background, so that no Slack request waits for the database before its
 * ack (the settings are read by global middleware, before every listener). Older copies, after a
 * quiet spell, are read before the request goes on. So a change saved on another replica is in
 * force there 30 seconds later, except for the requests that arrive while the re-read is under
 * way (milliseconds); and no copy older than this is ever used.
 */
export const SETTINGS_STALE_LIMIT_MS = 5 * 60_000;

export interface TWorkspaceSettingsDirectory {
  readonly defaults: TSettingsDefaults;
  /** The settings in force for a Slack team (a team Debrief has never seen gets the defaults). */
  ofTeam(slackTeamId: string): Promise<TWorkspaceSettings>;
  /** Drops this instance's copy, after a save. */
  forget(slackTeamId: string): void;
}

export function createWorkspaceSettingsDirectory(options: {
  repos: Pick<TRepositories, 'workspaces'>;
  defaults: TSettingsDefaults;
  now?: () => number;
  logger?: TLogger;
  /** WORK_THREAD: the channel the process's two threads forget saved settings on (see peerInvalidation.ts). */
  peerChannel?: string;
}): TWorkspaceSettingsDirectory {
  const now = options.now ?? Date.now;
  const cache = createTtlCache<string, { settings: TWorkspaceSettings; readAt: number }>({ maxEntries: 5000, now });
  // One read per team at a time: a burst of requests from a team whose copy expired shares it.
  const reading = new Map<string, Promise<TWorkspaceSettings>>();
  const forgetHere = (slackTeamId: string) => {
    cache.delete(slackTeamId);
    reading.delete(slackTeamId);
  };
  const peers = joinPeerInvalidation(options.peerChannel, forgetHere);

  function read(slackTeamId: string): Promise<TWorkspaceSettings> {
    const inFlight = reading.get(slackTeamId);
    if (inFlight) return inFlight;
    const readAt = now();
    const promise = options.repos.workspaces.findBySlackTeamId(slackTeamId).then(
      (workspace) => {
        const settings = workspace
          ? effectiveWorkspaceSettings(workspace, options.defaults)
          : effectiveWorkspaceSettings({ retroChannelId: null, managerUserGroupId: null, managerUserIds: [], debriefNudgeAfter: null, competitors: [], settingsSavedAt: null }, options.defaults);
        // A save on this instance while the read was under way (forget()) wins over what was read.
        if (reading.get(slackTeamId) === promise) cache.set(slackTeamId, { settings, readAt }, SETTINGS_STALE_LIMIT_MS);
        return settings;
      },
    );
    reading.set(slackTeamId, promise);
    const done = () => {
      if (reading.get(slackTeamId) === promise) reading.delete(slackTeamId);
    };
    promise.then(done, done);
    return promise;
  }

  return {
    defaults: options.defaults,
    async ofTeam(slackTeamId) {
      const cached = cache.get(slackTeamId);
      if (!cached) return read(slackTeamId);
      if (now() - cached.readAt >= SETTINGS_TTL_MS) {
        read(slackTeamId).catch((error: unknown) => options.logger?.warn(`Could not re-read the settings of workspace ${slackTeamId}; keeping the copy in hand`, error));
      }
      return cached.settings;
    },
    forget(slackTeamId) {
      forgetHere(slackTeamId);
      peers.announce(slackTeamId);
    },
  };
}

export type TSettingsPermission = { allowed: true; as: 'admin' | 'manager' } | { allowed: false };

/**
 * Workspace admins and owners (as Slack says: users.info) and the workspace's managers may change
 * its settings. An admin must be able to, or a fresh install could never be configured.
 */
export async function settingsPermission(deps: { client: WebClient; managers: TManagerDirectory; logger: TLogger }, slackUserId: string): Promise<TSettingsPermission> {
  try {
    const { user } = await deps.client.users.info({ user: slackUserId });
    if (user && !user.deleted && (user.is_admin === true || user.is_owner === true || user.is_primary_owner === true)) return { allowed: true, as: 'admin' };
  } catch (error) {
    // Without an answer the person is not known to be an admin; a manager still gets in below.
    deps.logger.warn(`users.info failed while checking who may change settings: ${slackErrorCode(error) ?? String(error)}`);
  }
  return (await deps.managers.isManager(deps.client, slackUserId)) ? { allowed: true, as: 'manager' } : { allowed: false };
}

export async function saveWorkspaceSettings(
  deps: { repos: Pick<TRepositories, 'workspaces'>; settings: TWorkspaceSettingsDirectory },
  input: { slackTeamId: string; slackUserId: string; values: TValidWorkspaceSettings; at: Date },
): Promise<TWorkspace> {
  const workspace = await deps.repos.workspaces.ensure(input.slackTeamId);
  const saved = await deps.repos.workspaces.saveSettings(workspace.id, input.values, { slackUserId: input.slackUserId, at: input.at });
  deps.settings.forget(input.slackTeamId);
  return saved;
}

/** Why Debrief cannot open retros in the channel, or null when it can (or Slack would not say). */
export async function retroChannelProblem(client: WebClient, channelId: string): Promise<string | null> {
  try {
    const { channel } = await client.conversations.info({ channel: channelId });
    if (channel?.is_archived) return 'That channel is archived. Choose another.';
    if (channel && channel.is_member === false) return 'Invite Debrief to that channel first (/invite @Debrief), then save again.';
    return null;
  } catch (error) {
    // A private channel Debrief is not in looks like no channel at all.
    if (slackErrorCode(error) === 'channel_not_found') return 'I cannot see that channel. If it is private, invite Debrief there first (/invite @Debrief).';
    return null;
  }
}
