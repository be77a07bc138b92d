import type { WebClient } from '@slack/web-api';
import {
  effectiveWorkspaceSettings,
  type TSettingsDefaults,
  type TValidWorkspaceSettings,
  type TWorkspaceSettings,
} from '../domain/workspaceSettings';
import { slackErrorCode } from '../errors';
import type { TLogger } from '../lib/logger';
import { createTtlCache } from '../lib/ttlCache';
import type { TRepositories } from '../repositories';
import type { TWorkspace } from '../repositories/workspaces';
import type { TManagerDirectory } from './managers';

// Each workspace's settings (/losses settings): who may change them, reading them with the
// deployment's defaults filled in, and saving them.

/**
 * How long an instance reuses a workspace's settings. The instance that saved them forgets its
 * copy at once; other instances (several replicas) follow within this time.
 */
export const SETTINGS_TTL_MS = 30_000;

export interface TWorkspaceSettingsDirectory {
  readonly defaults: TSettingsDefaults;
  /** The settings in force for a Slack team (a team Debrief has never seen gets the defaults). */
  ofTeam(slackTeamId: string): Promise<TWorkspaceSettings>;
  /** Drops this instance's copy, after a save. */
  forget(slackTeamId: string): void;
}

export function createWorkspaceSettingsDirectory(options: { repos: Pick<TRepositories, 'workspaces'>; defaults: TSettingsDefaults; now?: () => number }): TWorkspaceSettingsDirectory {
  const cache = createTtlCache<string, TWorkspaceSettings>({ maxEntries: 5000, now: options.now });
  return {
    defaults: options.defaults,
    async ofTeam(slackTeamId) {
      const cached = cache.get(slackTeamId);
      if (cached) return cached;
      const workspace = await options.repos.workspaces.findBySlackTeamId(slackTeamId);
      const settings = workspace
        ? effectiveWorkspaceSettings(workspace, options.defaults)
        : effectiveWorkspaceSettings({ retroChannelId: null, managerUserGroupId: null, managerUserIds: [], debriefNudgeAfter: null, competitors: [], settingsSavedAt: null }, options.defaults);
      cache.set(slackTeamId, settings, SETTINGS_TTL_MS);
      return settings;
    },
    forget(slackTeamId) {
      cache.delete(slackTeamId);
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
