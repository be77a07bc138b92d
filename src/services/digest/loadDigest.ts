import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { earliestComparisonStart, summariseDigest, type TDigest } from '../../domain/digest/summarise';
import type { TDigestPeriod } from '../../domain/digest/period';
import type { TDigestRetroRef } from '../../domain/digest/types';
import { slackErrorCode } from '../../errors';
import type { TLogger } from '../../lib/logger';
import { localDateOf } from '../../lib/workingTime';
import type { TRepositories } from '../../repositories';
import type { TDigestRow } from '../../repositories/digestData';
import { loadReasonCatalog } from '../lossReasons';

export interface TLoadDigestDeps {
  repos: TRepositories;
  client: WebClient;
  logger: TLogger;
}

/** Slack calls for missing permalinks per digest at most; the rest link by name only. */
const MAX_PERMALINK_LOOKUPS = 60;

const ZUserInfo = z.object({
  user: z.object({
    real_name: z.string().optional(),
    profile: z.object({ display_name: z.string().optional(), real_name: z.string().optional() }).optional(),
  }),
});

/**
 * Fills in the thread links Debrief has not stored yet (asking Slack once per retro and keeping the
 * answer), so every retro in the digest links to its thread.
 */
async function resolveThreadUrls(deps: TLoadDigestDeps, rows: Array<TDigestRow<TDigestRetroRef>>): Promise<Map<string, string | null>> {
  const urls = new Map<string, string | null>();
  let lookups = 0;
  for (const row of rows) {
    if (urls.has(row.retroId)) continue;
    if (row.threadUrl || !row.messageTs || lookups >= MAX_PERMALINK_LOOKUPS) {
      urls.set(row.retroId, row.threadUrl);
      continue;
    }
    lookups += 1;
    try {
      const answer = await deps.client.chat.getPermalink({ channel: row.channelId, message_ts: row.messageTs });
      urls.set(row.retroId, answer.permalink ?? null);
      if (answer.permalink) await deps.repos.retros.setMessages(row.retroId, { permalink: answer.permalink });
    } catch (error) {
      deps.logger.warn(`chat.getPermalink failed for retro ${row.retroId}: ${slackErrorCode(error) ?? String(error)}`);
      urls.set(row.retroId, null);
    }
  }
  return urls;
}

/** Names for quotes, read from Slack: a mention would ping everyone quoted in the channel. */
async function resolveDisplayNames(deps: TLoadDigestDeps, slackUserIds: Set<string>): Promise<Record<string, string>> {
  const names: Record<string, string> = {};
  for (const slackUserId of slackUserIds) {
    try {
      const info = ZUserInfo.safeParse(await deps.client.users.info({ user: slackUserId }));
      const name = info.success
        ? info.data.user.profile?.display_name || info.data.user.profile?.real_name || info.data.user.real_name
        : undefined;
      if (name) names[slackUserId] = name;
    } catch (error) {
      deps.logger.debug(`users.info failed for ${slackUserId}: ${slackErrorCode(error) ?? String(error)}`);
    }
  }
  return names;
}

/** Builds the digest of one week from the database, as it stands `now`. */
export async function loadDigest(
  deps: TLoadDigestDeps,
  input: { workspaceId: string; period: TDigestPeriod; now: Date },
): Promise<TDigest> {
  const { period } = input;
  const [data, reasons] = await Promise.all([
    deps.repos.digestData.load(input.workspaceId, { from: earliestComparisonStart(period), periodStart: period.start, to: period.end }),
    loadReasonCatalog(deps, { workspaceId: input.workspaceId }),
  ]);
  const currentLosses = data.losses.filter((loss) => loss.openedAt >= period.start);
  const urls = await resolveThreadUrls(deps, [
    ...currentLosses,
    ...data.lessons,
    ...data.openActionItems,
    ...data.waitingRetros,
    ...data.startHereCandidates,
  ]);
  const withUrl = <T extends TDigestRow<TDigestRetroRef>>(row: T): T => ({ ...row, threadUrl: urls.get(row.retroId) ?? row.threadUrl });

  // Only people who may be named need a name: anonymous authors are never looked up.
  const quoted = new Set<string>();
  for (const loss of currentLosses) {
    const debrief = loss.debrief;
    if (debrief?.whyWinnerWon && !debrief.anonymous && !loss.anonymousSlackUserIds.includes(debrief.authorSlackUserId)) {
      quoted.add(debrief.authorSlackUserId);
    }
  }
  for (const lesson of data.lessons) {
    if (lesson.authorSlackUserId && !lesson.anonymousSlackUserIds.includes(lesson.authorSlackUserId)) quoted.add(lesson.authorSlackUserId);
  }

  return summariseDigest({
    period,
    losses: data.losses.map(withUrl),
    lessons: data.lessons.map(withUrl),
    openActionItems: data.openActionItems.map(withUrl),
    waitingRetros: data.waitingRetros.map(withUrl),
    startHereCandidates: data.startHereCandidates.map(withUrl),
    displayNames: await resolveDisplayNames(deps, quoted),
    reasons,
    // Overdue is judged at the end of the week, or now for a week still in progress.
    today: localDateOf(new Date(Math.min(input.now.getTime(), period.end.getTime() - 1)), period.timeZone),
  });
}
