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
  readonly source: TManagerSource;
}

export interface TManagerSource {
  userGroupId: string | undefined;
  userIds: readonly string[];
}

export const MANAGER_GROUP_TTL_MS = 5 * 60_000;
/** After a failed lookup, try again soon, but not on every click. */
const FAILED_LOOKUP_TTL_MS = 30_000;

/**
 * @param options.userGroupId MANAGER_USERGROUP and @param options.userIds MANAGER_USER_IDS: the
 * managers of every workspace that has not chosen its own.
 * @param options.current The managers the current request's workspace chose in /losses settings,
 * or undefined outside a request or when it chose none; they replace the variables.
 */
export function createManagerDirectory(options: {
  userGroupId: string | undefined;
  userIds: readonly string[];
  logger: TLogger;
  now?: () => number;
  current?: () => TManagerSource | undefined;
}): TManagerDirectory {
  const configured: TManagerSource = { userGroupId: options.userGroupId, userIds: [...options.userIds] };
  const sourceNow = (): TManagerSource => options.current?.() ?? configured;
  // Each workspace has its own groups: one entry per group id.
  const cache = createTtlCache<string, ReadonlySet<string>>({ maxEntries: 1000, now: options.now });
  const pending = new Map<string, Promise<ReadonlySet<string>>>();

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
    let lookup = pending.get(userGroupId);
    if (!lookup) {
      lookup = loadGroup(client, userGroupId).finally(() => pending.delete(userGroupId));
      pending.set(userGroupId, lookup);
    }
    return lookup;
  }

  return {
    get source() {
      return sourceNow();
    },
    async isManager(client, slackUserId) {
      const source = sourceNow();
      if (source.userIds.includes(slackUserId)) return true;
      if (!source.userGroupId) return false;
      return (await groupMembers(client, source.userGroupId)).has(slackUserId);
    },
  };
}
