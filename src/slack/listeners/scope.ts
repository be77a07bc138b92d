import type { Context } from '@slack/bolt';
import type { TWorkspaceScope } from '../../repositories/scope';

/**
 * The workspace a request may reach: the team Bolt authorized it for (whose token answers it). A
 * request tied to no team (an org-level payload) reaches no workspace's data.
 */
export function requestScope(context: Context): TWorkspaceScope {
  return { slackTeamId: context.teamId ?? '' };
}
