import type { WebClient } from '@slack/web-api';
import { slackErrorCode } from '../errors';
import type { TLogger } from '../lib/logger';
import { createTtlCache } from '../lib/ttlCache';

// Who counts as a manager: members of a Slack user group, people on a configured list, or both.
// The group is read with usergroups.users.list and cached briefly, so a manager added to the group
// in Slack can act within minutes without a restart, and a busy thread does not call Slack per click.

export interface TManagerDirectory {
  isManager(client: WebClient, slackUserId: string): Promise<boolean>;
  /** Who the managers are, for telling someone who may do what ("members of <!subteam^S1>, <@U1>"). */
  readonly source: { userGroupId: string | undefined; userIds: readonly string[] };
}

export const MANAGER_GROUP_TTL_MS = 5 * 60_000;
/** After a failed lookup, try again soon, but not on every click. */
const FAILED_LOOKUP_TTL_MS = 30_000;

export function createManagerDirectory(options: {
  userGroupId: string | undefined;
  userIds: readonly string[];
  logger: TLogger;
  now?: () => number;
}): TManagerDirectory {
  const listed = new Set(options.userIds);
  const cache = createTtlCache<string, ReadonlySet<string>>({ maxEntries: 4, now: options.now });
  let pending: Promise<ReadonlySet<string>> | undefined;

  async function loadGroup(client: WebClient, userGroupId: string): Promise<ReadonlySet<string>> {
    try {
      const result = await client.usergroups.users.list({ usergroup: userGroupId });
      const members = new Set(result.users ?? []);
      cache.set(userGroupId, members, MANAGER_GROUP_TTL_MS);
      return members;
    } catch (error) {
      // A missing usergroups:read scope or a deleted group must not lock everyone out: the
      // configured list and the deal owner still work, and the log says what to fix.
      options.logger.warn(
        `Could not read the members of manager user group ${userGroupId} (${slackErrorCode(error) ?? String(error)}). ` +
          'Check MANAGER_USERGROUP and that the app has the usergroups:read scope.',
      );
      const empty = new Set<string>();
      cache.set(userGroupId, empty, FAILED_LOOKUP_TTL_MS);
      return empty;
    }
  }

  async function groupMembers(client: WebClient, userGroupId: string): Promise<ReadonlySet<string>> {
    const cached = cache.get(userGroupId);
    if (cached) return cached;
    // Clicks arriving together share one lookup.
    pending ??= loadGroup(client, userGroupId).finally(() => {
      pending = undefined;
    });
    return pending;
  }

  return {
    source: { userGroupId: options.userGroupId, userIds: [...options.userIds] },
    async isManager(client, slackUserId) {
      if (listed.has(slackUserId)) return true;
      if (!options.userGroupId) return false;
      return (await groupMembers(client, options.userGroupId)).has(slackUserId);
    },
  };
}
