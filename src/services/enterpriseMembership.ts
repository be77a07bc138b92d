import { createTtlCache } from '../lib/ttlCache';
import type { TRepositories } from '../repositories';

// Which Enterprise Grid org a workspace belongs to is known only from Slack's requests (an org-wide
// install names the org, not its workspaces). Work outside requests needs it to use the org-wide
// install's token for the workspace, so each instance records it on the first request it sees.

/** How long an instance trusts its own record before writing it again (an org migration is rare). */
export const ENTERPRISE_RECORD_TTL_MS = 60 * 60 * 1000;

export interface TEnterpriseMembership {
  /** Stores the workspace's org, once per instance and hour: later requests cost no database write. */
  record(slackTeamId: string, enterpriseId: string): Promise<void>;
}

export function createEnterpriseMembership(options: { repos: Pick<TRepositories, 'workspaces'>; now?: () => number }): TEnterpriseMembership {
  const recorded = createTtlCache<string, string>({ maxEntries: 5000, now: options.now });
  return {
    async record(slackTeamId, enterpriseId) {
      if (recorded.get(slackTeamId) === enterpriseId) return;
      await options.repos.workspaces.recordEnterprise(slackTeamId, enterpriseId);
      recorded.set(slackTeamId, enterpriseId, ENTERPRISE_RECORD_TTL_MS);
    },
  };
}
