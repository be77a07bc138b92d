import type { TLogger } from '../lib/logger';
import { installKeyOf } from '../repositories/installations';
import type { TRepositories } from '../repositories';

export interface TUninstallDeps {
  repos: Pick<TRepositories, 'installations'>;
  logger: TLogger;
  now: () => Date;
}

export interface TTeamRef {
  teamId: string | null;
  enterpriseId: string | null;
  isEnterpriseInstall: boolean;
}

/**
 * Debrief was removed from a workspace: its credentials go at once; its retros stay for the
 * retention period (a reinstall within it picks up where the team left off), then are purged.
 */
export async function forgetUninstalledWorkspace(deps: TUninstallDeps, team: TTeamRef): Promise<void> {
  // The retention clock starts before the credentials go, so that a workspace without
  // credentials is always one whose data is on its way out (and a crash between the two steps
  // leaves the retention clock running, not a forgotten workspace).
  if (team.isEnterpriseInstall && team.enterpriseId) await deps.repos.installations.markOrgWorkspacesUninstalled(team.enterpriseId, deps.now());
  else if (team.teamId) await deps.repos.installations.markWorkspaceUninstalled(team.teamId, deps.now());
  const deleted = await deps.repos.installations.delete(installKeyOf(team));
  deps.logger.info(`Debrief was uninstalled from ${team.isEnterpriseInstall ? `org ${team.enterpriseId}` : `workspace ${team.teamId}`}${deleted ? '; its credentials are deleted' : ''}.`);
}

/** Slack revoked the bot token (an admin, or a token reset): a stored token that no longer works is only a liability. */
export async function forgetRevokedTokens(deps: TUninstallDeps, team: TTeamRef, revoked: { bot: string[]; oauth: string[] }): Promise<void> {
  if (revoked.bot.length === 0 && revoked.oauth.length === 0) return;
  // Debrief asks for no user scopes, so any revocation leaves it without a working token.
  const deleted = await deps.repos.installations.delete(installKeyOf(team));
  if (deleted) deps.logger.info(`Tokens were revoked for ${team.teamId ?? team.enterpriseId}; the installation is deleted.`);
}

/** Deletes the workspaces whose retention period after uninstalling has passed. */
export async function purgeExpiredWorkspaces(deps: TUninstallDeps & { retentionDays: number }): Promise<string[]> {
  const cutoff = new Date(deps.now().getTime() - deps.retentionDays * 24 * 60 * 60 * 1000);
  const purged = await deps.repos.installations.purgeUninstalledBefore(cutoff);
  if (purged.length) deps.logger.info(`Deleted the data of ${purged.length} workspace(s) uninstalled more than ${deps.retentionDays} days ago.`);
  return purged;
}
