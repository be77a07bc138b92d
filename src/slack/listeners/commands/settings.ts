import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { slackErrorCode } from '../../../errors';
import { settingsPermission } from '../../../services/workspaceSettings';
import { buildWorkspaceSettingsModal, type TUserGroupChoice } from '../../blocks/workspaceSettingsModal';
import { COMMANDS } from '../../ids';
import type { TWorkspaceSettingsMetadata } from '../../parsers/workspaceSettings';
import type { TListenerDeps } from '../deps';

// `/losses settings`: the workspace's settings modal, for its admins and managers.

export interface TSettingsCommand {
  slackTeamId: string;
  slackUserId: string;
  channelId: string;
  triggerId: string;
}

const ZUserGroups = z.object({
  usergroups: z.array(z.looseObject({ id: z.string(), handle: z.string().default(''), name: z.string().default(''), date_delete: z.number().optional() })).default([]),
});

/** The workspace's live user groups, or null when Slack will not list them (no scope, free plan). */
async function listUserGroups(deps: TListenerDeps, client: WebClient): Promise<TUserGroupChoice[] | null> {
  try {
    const { usergroups } = ZUserGroups.parse(await client.usergroups.list({ include_disabled: false }));
    return usergroups.filter((group) => !group.date_delete).map(({ id, handle, name }) => ({ id, handle, name }));
  } catch (error) {
    deps.logger.warn(`Could not list user groups for the settings modal: ${slackErrorCode(error) ?? String(error)}`);
    return null;
  }
}

/** Opens the settings modal; the command is already acked. Others get an ephemeral refusal. */
export async function openWorkspaceSettings(deps: TListenerDeps, context: { client: WebClient; respond: RespondFn }, command: TSettingsCommand): Promise<void> {
  const { client, respond } = context;
  // Read fresh: an admin opening the settings must see the latest save, not this instance's copy.
  deps.workspaceSettings.forget(command.slackTeamId);
  const [permission, settings, userGroups] = await Promise.all([
    settingsPermission({ client, managers: deps.managers, logger: deps.logger }, command.slackUserId),
    deps.workspaceSettings.ofTeam(command.slackTeamId),
    listUserGroups(deps, client),
  ]);
  if (!permission.allowed) {
    await respond({
      response_type: 'ephemeral',
      text: ":lock: Only workspace admins and Debrief's managers can change Debrief's settings here. Ask one of them, or a workspace admin, to run `/losses settings`.",
    });
    return;
  }
  const groupSelectShown = userGroups !== null && userGroups.length > 0;
  const metadata: TWorkspaceSettingsMetadata = { channelId: command.channelId, keptUserGroupId: settings.managerUserGroupId, groupSelectShown };
  try {
    await client.views.open({ trigger_id: command.triggerId, view: buildWorkspaceSettingsModal({ settings, userGroups, privateMetadata: JSON.stringify(metadata), crmConnectionsAvailable: deps.secretBox !== undefined }) });
  } catch (error) {
    // The trigger lives three seconds; slow lookups can outlast it.
    deps.logger.warn('Could not open the settings modal', error);
    await respond({ response_type: 'ephemeral', text: `I could not open the settings in time. Please run \`${COMMANDS.losses} settings\` again.` });
  }
}
