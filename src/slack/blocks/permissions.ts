import { mentionUser } from '../../lib/mrkdwn';

// The ephemeral answer to someone who pressed a button that is not theirs to press. It names who
// can do it, so the person knows whom to ask rather than guessing that the bot is broken.

export interface TManagerSource {
  userGroupId: string | undefined;
  userIds: readonly string[];
}

const MAX_NAMED_MANAGERS = 5;

/** "members of @sales-leads and @Dana": Slack renders the group and user ids as names. */
export function describeManagers(managers: TManagerSource): string | null {
  const parts: string[] = [];
  if (managers.userGroupId) parts.push(`members of <!subteam^${managers.userGroupId}>`);
  const named = managers.userIds.slice(0, MAX_NAMED_MANAGERS).map(mentionUser);
  const more = managers.userIds.length - named.length;
  if (more > 0) named.push(`${more} more`);
  if (named.length) parts.push(named.length > 1 ? `${named.slice(0, -1).join(', ')} and ${named.at(-1)}` : named[0]!);
  return parts.length ? parts.join(' and ') : null;
}

export function buildNotAllowedText(input: {
  /** What they tried, e.g. "run the team retro". */
  action: string;
  /** Whether the deal owner may do it too. */
  ownerMayToo: boolean;
  ownerSlackUserId: string | null;
  managers: TManagerSource;
  /** What they can do instead. */
  instead: string;
}): string {
  const managers = describeManagers(input.managers);
  const who = input.ownerMayToo ? 'managers and the deal owner' : 'managers';
  const lines = [`:lock: Only ${who} can ${input.action}.`];
  const details: string[] = [];
  if (managers) details.push(`Managers here are ${managers}`);
  else details.push('No managers are set up yet (a workspace admin chooses them with /losses settings)');
  if (input.ownerMayToo) details.push(input.ownerSlackUserId ? `the owner is ${mentionUser(input.ownerSlackUserId)}` : 'this deal has no owner in Slack');
  lines.push(`${details.join('; ')}.`);
  lines.push(input.instead);
  return lines.join(' ');
}
