import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import {
  MAX_COMPETITORS,
  MAX_MANAGER_USERS,
  NUDGE_DELAY_CHOICES,
  formatDelay,
  nudgeDelayLabel,
  type TValidWorkspaceSettings,
  type TWorkspaceSettings,
} from '../../domain/workspaceSettings';
import { escapeMrkdwn, mentionUser } from '../../lib/mrkdwn';
import { CALLBACKS, COMMANDS, CRM_CONNECTION_ACTIONS, LOSS_REASON_ACTIONS, NO_USER_GROUP_VALUE, WORKSPACE_SETTINGS_ACTIONS, WORKSPACE_SETTINGS_INPUTS } from '../ids';
import { context, divider, option, plain, section } from './elements';

// /losses settings: what one workspace chose for itself. Every field starts from what is in force
// now (the workspace's choice, or the deployment's default), so saving without changes changes nothing.

export interface TUserGroupChoice {
  id: string;
  handle: string;
  name: string;
}

export interface TWorkspaceSettingsModalOptions {
  settings: TWorkspaceSettings;
  /** The workspace's user groups; null when Slack would not list them (then the group is kept as is). */
  userGroups: readonly TUserGroupChoice[] | null;
  /** Kept for the submission (see parsers/workspaceSettings.ts). */
  privateMetadata: string;
  /** Whether this deployment can keep per-workspace CRM connections (it has ENCRYPTION_KEY). */
  crmConnectionsAvailable?: boolean;
}

/** A select holds 100 options; one is "No group". */
const MAX_GROUP_OPTIONS = 99;

function groupOption(group: TUserGroupChoice): PlainTextOption {
  return option(group.id, group.name ? `@${group.handle} (${group.name})` : `@${group.handle}`);
}

function nudgeOptions(current: TWorkspaceSettings['debriefNudgeAfter']): PlainTextOption[] {
  const choices = NUDGE_DELAY_CHOICES.some((choice) => formatDelay(choice) === formatDelay(current)) ? NUDGE_DELAY_CHOICES : [...NUDGE_DELAY_CHOICES, current];
  return choices.map((delay) => option(formatDelay(delay), nudgeDelayLabel(delay)));
}

export function buildWorkspaceSettingsModal(options: TWorkspaceSettingsModalOptions): ModalView {
  const { settings } = options;
  const blocks: KnownBlock[] = [
    context(
      settings.saved
        ? 'These settings are for this workspace only.'
        : "These settings are for this workspace only. Nobody has saved them yet: they show the deployment's defaults.",
    ),
    {
      type: 'input',
      block_id: WORKSPACE_SETTINGS_INPUTS.retroChannelId.block,
      label: plain('Retro channel'),
      hint: plain('Each lost deal gets a retro thread here. Invite Debrief first (/invite @Debrief).'),
      element: {
        type: 'conversations_select',
        action_id: WORKSPACE_SETTINGS_INPUTS.retroChannelId.action,
        filter: { include: ['public', 'private'], exclude_bot_users: true },
        ...(settings.retroChannelId ? { initial_conversation: settings.retroChannelId } : {}),
        placeholder: plain('Choose a channel'),
      },
    },
    divider,
    section('*Managers* run team retros, record outcomes, mark lessons, preview the digest and export losses. Workspace admins can always change these settings.'),
  ];

  if (options.userGroups && options.userGroups.length > 0) {
    const groups = options.userGroups.slice(0, MAX_GROUP_OPTIONS).map(groupOption);
    const none = option(NO_USER_GROUP_VALUE, 'No group');
    const initial = groups.find((candidate) => candidate.value === settings.managerUserGroupId) ?? none;
    blocks.push({
      type: 'input',
      block_id: WORKSPACE_SETTINGS_INPUTS.managerUserGroupId.block,
      label: plain('Manager user group'),
      hint: plain('Everyone in this group counts as a manager; Debrief follows changes to the group.'),
      optional: true,
      element: { type: 'static_select', action_id: WORKSPACE_SETTINGS_INPUTS.managerUserGroupId.action, options: [none, ...groups], initial_option: initial },
    });
  } else {
    const current = settings.managerUserGroupId ? ` The group <!subteam^${settings.managerUserGroupId}> stays as it is.` : '';
    blocks.push(context(`No user groups to choose from (Slack lists none here, or Debrief lacks the usergroups:read scope).${current}`));
  }

  blocks.push(
    {
      type: 'input',
      block_id: WORKSPACE_SETTINGS_INPUTS.managerUserIds.block,
      label: plain('Managers'),
      hint: plain(`People who count as managers besides the group (at most ${MAX_MANAGER_USERS}).`),
      optional: true,
      element: {
        type: 'multi_users_select',
        action_id: WORKSPACE_SETTINGS_INPUTS.managerUserIds.action,
        ...(settings.managerUserIds.length > 0 ? { initial_users: settings.managerUserIds.slice(0, MAX_MANAGER_USERS) } : {}),
        max_selected_items: MAX_MANAGER_USERS,
        placeholder: plain('Choose people'),
      },
    },
    divider,
  );

  const nudges = nudgeOptions(settings.debriefNudgeAfter);
  blocks.push(
    {
      type: 'input',
      block_id: WORKSPACE_SETTINGS_INPUTS.debriefNudgeAfter.block,
      label: plain('Remind the owner to debrief'),
      hint: plain('Counted in working hours in the workspace time zone; a second reminder follows after the same time.'),
      element: {
        type: 'static_select',
        action_id: WORKSPACE_SETTINGS_INPUTS.debriefNudgeAfter.action,
        options: nudges,
        initial_option: nudges.find((candidate) => candidate.value === formatDelay(settings.debriefNudgeAfter)),
      },
    },
    {
      type: 'input',
      block_id: WORKSPACE_SETTINGS_INPUTS.competitors.block,
      label: plain('Competitors'),
      hint: plain(`One per line, spelled the way the team should see them (at most ${MAX_COMPETITORS}). Offered when a loss is logged or debriefed, so every loss to the same rival is counted together.`),
      optional: true,
      element: {
        type: 'plain_text_input',
        action_id: WORKSPACE_SETTINGS_INPUTS.competitors.action,
        multiline: true,
        // Slack's most for a text input; validation says which name is too long, or how many too many.
        max_length: 3000,
        ...(settings.competitors.length > 0 ? { initial_value: settings.competitors.join('\n') } : {}),
        placeholder: plain('Salesforce\nHubSpot\nAn in-house build'),
      },
    },
    divider,
    {
      ...section('*Loss reasons*: the reasons reps and managers choose from. Add, rename, reorder or retire them; past retros keep theirs.'),
      accessory: { type: 'button', action_id: LOSS_REASON_ACTIONS.manage, value: 'manage', text: plain('Edit loss reasons', 75) },
    },
    {
      ...section(`*Weekly digest*: the channel, day, hour and time zone it goes out at (managers; also \`${COMMANDS.losses} digest settings\`).`),
      accessory: { type: 'button', action_id: WORKSPACE_SETTINGS_ACTIONS.digestSchedule, value: 'open', text: plain('Digest schedule', 75) },
    },
  );
  if (options.crmConnectionsAvailable) {
    blocks.push({
      ...section('*CRM connections*: a webhook URL and signing secret per CRM or automation (Zapier, Make, n8n) that sends this workspace its losses.'),
      accessory: { type: 'button', action_id: CRM_CONNECTION_ACTIONS.manage, value: 'manage', text: plain('Manage', 75) },
    });
  }

  return {
    type: 'modal',
    callback_id: CALLBACKS.workspaceSettingsModal,
    private_metadata: options.privateMetadata,
    title: plain('Debrief settings', 24),
    submit: plain('Save', 24),
    close: plain('Cancel', 24),
    blocks,
  };
}

/** The confirmation after a save, for the person who saved. */
export function describeSavedWorkspaceSettings(settings: TValidWorkspaceSettings): string {
  const managers = [
    settings.managerUserGroupId ? `members of <!subteam^${settings.managerUserGroupId}>` : null,
    settings.managerUserIds.length > 0 ? settings.managerUserIds.map(mentionUser).join(', ') : null,
  ].filter((part): part is string => part !== null);
  const lines = [
    `:white_check_mark: Saved. Retros open in <#${settings.retroChannelId}>.`,
    managers.length > 0 ? `Managers: ${managers.join(' and ')}.` : 'No managers: only deal owners run their own retros, and admins change these settings.',
    `Owners are reminded to debrief ${nudgeDelayLabel(settings.debriefNudgeAfter).toLowerCase()}.`,
  ];
  if (settings.competitors.length > 0) lines.push(`Competitors: ${settings.competitors.map(escapeMrkdwn).join(', ')}.`);
  return lines.join('\n');
}
