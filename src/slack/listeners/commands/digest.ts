import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { nextDuePeriod } from '../../../domain/digest/period';
import { describeClock } from '../../../domain/digest/settings';
import { digestSettingsOf } from '../../../services/digest/digestSchedule';
import { previewDigest } from '../../../services/digest/previewDigest';
import { buildDigestSettingsModal } from '../../blocks/digestSettingsModal';
import { buildNotAllowedText } from '../../blocks/permissions';
import { COMMANDS } from '../../ids';
import type { TListenerDeps } from '../deps';

// `/losses digest` (a private preview) and `/losses digest settings` (the settings modal). Both are
// for managers: the preview shows what goes to a channel the person may not be in, and the
// settings decide what the whole team receives.

export interface TDigestCommand {
  slackTeamId: string;
  slackUserId: string;
  channelId: string;
  triggerId: string;
}

async function notAllowed(deps: TListenerDeps, respond: RespondFn, action: string): Promise<void> {
  const text = buildNotAllowedText({
    action,
    ownerMayToo: false,
    ownerSlackUserId: null,
    managers: deps.managers.source,
    instead: 'The digest itself goes to the team channel every week.',
  });
  await respond({ response_type: 'ephemeral', text });
}

/** Answers `/losses digest [week]` with the digest, privately; the command is already acked. */
export async function answerDigestPreview(
  deps: TListenerDeps,
  context: { client: WebClient; respond: RespondFn },
  command: TDigestCommand & { periodLabel: string | null },
): Promise<void> {
  const { client, respond } = context;
  if (!(await deps.managers.isManager(client, command.slackUserId))) {
    await notAllowed(deps, respond, 'preview the weekly digest');
    return;
  }
  let preview: Awaited<ReturnType<typeof previewDigest>>;
  try {
    const workspace = await deps.repos.workspaces.ensure(command.slackTeamId);
    const settings = await digestSettingsOf(deps.repos, deps.digest, workspace);
    preview = await previewDigest(
      { repos: deps.repos, client, logger: deps.logger },
      { workspaceId: workspace.id, settings, now: deps.now?.() ?? new Date(), periodLabel: command.periodLabel },
    );
  } catch (error) {
    deps.logger.error('Building the digest preview failed', error);
    await respond({ response_type: 'ephemeral', text: ':warning: I could not build the digest just now. Try again in a minute; the details are in the logs.' });
    return;
  }
  if (preview.outcome === 'bad_period') {
    await respond({ response_type: 'ephemeral', text: `:warning: ${preview.problem}` });
    return;
  }
  const { parent, replies } = preview.messages;
  await respond({ response_type: 'ephemeral', text: parent.text, blocks: parent.blocks });
  // A response_url takes five messages; the thread's continuations follow the digest itself.
  for (const reply of replies.slice(0, 4)) await respond({ response_type: 'ephemeral', text: reply.text, blocks: reply.blocks });
}

/** Opens the settings modal for `/losses digest settings`; the command is already acked. */
export async function openDigestSettings(
  deps: TListenerDeps,
  context: { client: WebClient; respond: RespondFn },
  command: TDigestCommand,
): Promise<void> {
  const { client, respond } = context;
  if (!(await deps.managers.isManager(client, command.slackUserId))) {
    await notAllowed(deps, respond, 'change the weekly digest');
    return;
  }
  const { settings, view } = await digestSettingsView(deps, command);
  try {
    await client.views.open({ trigger_id: command.triggerId, view });
  } catch (error) {
    // The trigger lives three seconds; a slow Slack lookup can outlast it.
    deps.logger.warn('Could not open the digest settings modal', error);
    await respond({
      response_type: 'ephemeral',
      text: `I could not open the settings in time. Try \`${COMMANDS.losses} digest settings\` again. They are now: ${describeClock(settings)} in <#${settings.channelId}>.`,
    });
  }
}

/** The answer to `/losses digest` followed by something it does not take. */
export function digestUsage(text: string): string {
  const shown = text.slice(0, 50).replace(/`/g, "'");
  return (
    `:warning: I don't understand \`digest ${shown}\`. ` +
    `Use \`${COMMANDS.losses} digest\` to preview the next digest, \`${COMMANDS.losses} digest 2026-W47\` for a given week, ` +
    `or \`${COMMANDS.losses} digest settings\` to change when and where it goes out.`
  );
}

/** The digest settings modal as the workspace's settings are now; confirmations go to channelId. */
export async function digestSettingsView(deps: TListenerDeps, input: { slackTeamId: string; channelId: string }) {
  const workspace = await deps.repos.workspaces.ensure(input.slackTeamId);
  const settings = await digestSettingsOf(deps.repos, deps.digest, workspace);
  const now = deps.now?.() ?? new Date();
  const view = buildDigestSettingsModal({
    settings,
    nextDueAt: settings.enabled ? nextDuePeriod(now, settings).dueAt : null,
    privateMetadata: JSON.stringify({ channelId: input.channelId }),
  });
  return { settings, view };
}
