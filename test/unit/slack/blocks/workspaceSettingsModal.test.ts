import type { InputBlock } from '@slack/types';
import type { TWorkspaceSettings } from '../../../../src/domain/workspaceSettings';
import { buildWorkspaceSettingsModal, describeSavedWorkspaceSettings } from '../../../../src/slack/blocks/workspaceSettingsModal';
import { CALLBACKS, LOSS_REASON_ACTIONS, NO_USER_GROUP_VALUE, WORKSPACE_SETTINGS_INPUTS } from '../../../../src/slack/ids';
import { assertWithinSlackLimits, liveMentions } from '../../../helpers/blockKitLimits';

const settings: TWorkspaceSettings = {
  retroChannelId: 'C0RETROS01',
  managerUserGroupId: 'S0LEADS001',
  managerUserIds: ['U0MGR00001'],
  debriefNudgeAfter: { minutes: 90 },
  competitors: ['Salesforce', 'HubSpot'],
  saved: true,
};

function inputOf(blocks: readonly unknown[], blockId: string): InputBlock {
  const block = blocks.find((candidate): candidate is InputBlock => {
    const shape = candidate as { type?: unknown; block_id?: unknown };
    return shape.type === 'input' && shape.block_id === blockId;
  });
  if (!block) throw new Error(`no input ${blockId}`);
  return block;
}

describe('buildWorkspaceSettingsModal', () => {
  const groups = [{ id: 'S0LEADS001', handle: 'sales-leads', name: 'Sales leads' }];

  it('starts every field from the settings in force', () => {
    const view = buildWorkspaceSettingsModal({ settings, userGroups: groups, privateMetadata: '{}' });
    assertWithinSlackLimits(view);
    expect(view.callback_id).toBe(CALLBACKS.workspaceSettingsModal);
    // The loss reasons have their own modal, pushed from here.
    expect(JSON.stringify(view.blocks)).toContain(`"action_id":"${LOSS_REASON_ACTIONS.manage}"`);
    expect(inputOf(view.blocks, WORKSPACE_SETTINGS_INPUTS.retroChannelId.block).element).toMatchObject({ type: 'conversations_select', initial_conversation: 'C0RETROS01' });
    expect(inputOf(view.blocks, WORKSPACE_SETTINGS_INPUTS.managerUserGroupId.block).element).toMatchObject({ initial_option: { value: 'S0LEADS001' } });
    expect(inputOf(view.blocks, WORKSPACE_SETTINGS_INPUTS.managerUserIds.block).element).toMatchObject({ initial_users: ['U0MGR00001'] });
    // 90 minutes is not one of the usual choices, so it is offered as well, and chosen.
    const nudge = inputOf(view.blocks, WORKSPACE_SETTINGS_INPUTS.debriefNudgeAfter.block).element as { options: Array<{ value: string }>; initial_option: { value: string } };
    expect(nudge.initial_option.value).toBe('90m');
    expect(nudge.options.map((choice) => choice.value)).toContain('4h');
    expect(inputOf(view.blocks, WORKSPACE_SETTINGS_INPUTS.competitors.block).element).toMatchObject({ initial_value: 'Salesforce\nHubSpot' });
    expect(JSON.stringify(view.blocks)).toContain('/losses digest settings');
  });

  it('offers "No group", and leaves the group alone when Slack lists none', () => {
    const unsaved = { ...settings, managerUserGroupId: null, saved: false };
    const withGroups = buildWorkspaceSettingsModal({ settings: unsaved, userGroups: groups, privateMetadata: '{}' });
    expect(inputOf(withGroups.blocks, WORKSPACE_SETTINGS_INPUTS.managerUserGroupId.block).element).toMatchObject({ initial_option: { value: NO_USER_GROUP_VALUE } });
    const withoutGroups = buildWorkspaceSettingsModal({ settings, userGroups: null, privateMetadata: '{}' });
    expect(() => inputOf(withoutGroups.blocks, WORKSPACE_SETTINGS_INPUTS.managerUserGroupId.block)).toThrow();
    expect(JSON.stringify(withoutGroups.blocks)).toContain('stays as it is');
  });

  it('leaves out the channel when none is chosen yet, rather than sending an empty one', () => {
    const view = buildWorkspaceSettingsModal({ settings: { ...settings, retroChannelId: null }, userGroups: [], privateMetadata: '{}' });
    expect(inputOf(view.blocks, WORKSPACE_SETTINGS_INPUTS.retroChannelId.block).element).not.toHaveProperty('initial_conversation');
    assertWithinSlackLimits(view);
  });
});

describe('describeSavedWorkspaceSettings', () => {
  it('confirms what was saved and escapes the competitors, which people typed', () => {
    const text = describeSavedWorkspaceSettings({ ...settings, retroChannelId: 'C0RETROS01', competitors: ['<!channel> Corp', 'A & B'] });
    expect(text).toContain('<#C0RETROS01>');
    expect(text).toContain('&lt;!channel&gt; Corp, A &amp; B');
    // The only pings are the managers the admin chose.
    expect(liveMentions({ text, blocks: [] })).toEqual(['<!subteam^S0LEADS001>', '<@U0MGR00001>']);
  });
});
