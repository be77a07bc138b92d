import type { WebClient } from '@slack/web-api';
import { slackErrorCode } from '../errors';
import type { TLogger } from '../lib/logger';
import { createTtlCache } from '../lib/ttlCache';

// Who may read which retro channels. A retro opened in a private channel holds what its members
// said there; search, the App Home library and exports show it only to those members. Slack is
// the source of truth, asked through conversations.info (is it private?) and conversations.members
// (who is in it), with short caches so a search does not call Slack per channel each time.
// Every doubt hides: a channel Slack will not describe counts as private, and members Slack will
// not list count as none.

export const CHANNEL_PRIVACY_TTL_MS = 10 * 60_000;
/** Someone added to a private channel can find its retros within a minute. */
export const CHANNEL_MEMBERS_TTL_MS = 60_000;
/** After Slack failed to answer, hide and ask again after this long. */
export const FAILED_LOOKUP_TTL_MS = 15_000;
const MEMBERS_PAGE_SIZE = 1000;

export interface TChannelAccess {
  /** The channels among `channelIds` that `slackUserId` may read. */
  readableChannels(client: WebClient, slackUserId: string, channelIds: readonly string[]): Promise<string[]>;
}

export function createChannelAccess(options: { logger: TLogger; now?: () => number }): TChannelAccess {
  const privacy = createTtlCache<string, boolean>({ maxEntries: 5_000, now: options.now });
  const members = createTtlCache<string, ReadonlySet<string>>({ maxEntries: 500, now: options.now });
  // Searches arriving together share one lookup per channel.
  const pendingPrivacy = new Map<string, Promise<boolean>>();
  const pendingMembers = new Map<string, Promise<ReadonlySet<string>>>();

  function shared<T>(pending: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const existing = pending.get(key);
    if (existing) return existing;
    const started = load().finally(() => pending.delete(key));
    pending.set(key, started);
    return started;
  }

  async function loadPrivacy(client: WebClient, channelId: string): Promise<boolean> {
    try {
      const info = await client.conversations.info({ channel: channelId });
      const isPrivate = info.channel?.is_private !== false;
      privacy.set(channelId, isPrivate, CHANNEL_PRIVACY_TTL_MS);
      return isPrivate;
    } catch (error) {
      options.logger.warn(`conversations.info failed for ${channelId} (${slackErrorCode(error) ?? String(error)}): treating it as private`);
      // Asked again soon, not on every search.
      privacy.set(channelId, true, FAILED_LOOKUP_TTL_MS);
      return true;
    }
  }

  async function isPrivate(client: WebClient, channelId: string): Promise<boolean> {
    // Private channels created before 2021 have ids starting with G: no need to ask.
    if (channelId.startsWith('G')) return true;
    const cached = privacy.get(channelId);
    if (cached !== undefined) return cached;
    return shared(pendingPrivacy, channelId, () => loadPrivacy(client, channelId));
  }

  async function loadMembers(client: WebClient, channelId: string): Promise<ReadonlySet<string>> {
    const found = new Set<string>();
    try {
      let cursor: string | undefined;
      do {
        const page = await client.conversations.members({ channel: channelId, limit: MEMBERS_PAGE_SIZE, ...(cursor ? { cursor } : {}) });
        for (const member of page.members ?? []) found.add(member);
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor);
    } catch (error) {
      options.logger.warn(`conversations.members failed for ${channelId} (${slackErrorCode(error) ?? String(error)}): showing its retros to nobody for now`);
      const nobody = new Set<string>();
      members.set(channelId, nobody, FAILED_LOOKUP_TTL_MS);
      return nobody;
    }
    members.set(channelId, found, CHANNEL_MEMBERS_TTL_MS);
    return found;
  }

  async function membersOf(client: WebClient, channelId: string): Promise<ReadonlySet<string>> {
    const cached = members.get(channelId);
    if (cached) return cached;
    return shared(pendingMembers, channelId, () => loadMembers(client, channelId));
  }

  return {
    async readableChannels(client, slackUserId, channelIds) {
      const unique = [...new Set(channelIds)];
      const readable = await Promise.all(
        unique.map(async (channelId) => !(await isPrivate(client, channelId)) || (await membersOf(client, channelId)).has(slackUserId)),
      );
      return unique.filter((_, index) => readable[index]);
    },
  };
}
