import type { InputBlock } from '@slack/types';
import { buildWorkspaceDataDeleteModal, describeDeletion } from '../../../../src/slack/blocks/workspaceData';
import { CALLBACKS, WORKSPACE_DATA_DELETE_INPUTS } from '../../../../src/slack/ids';
import { assertWithinSlackLimits, liveMentions, mrkdwnTexts } from '../../../helpers/blockKitLimits';

describe('buildWorkspaceDataDeleteModal', () => {
  it('says what goes and what stays, and asks for the workspace domain in its one input', () => {
    const view = buildWorkspaceDataDeleteModal({ confirmationText: 'acme-sales', privateMetadata: '{"slackTeamId":"T0ACME"}' });
    assertWithinSlackLimits(view);
    expect(view.callback_id).toBe(CALLBACKS.workspaceDataDeleteModal);
    expect(view.private_metadata).toBe('{"slackTeamId":"T0ACME"}');
    const inputs = view.blocks.filter((block): block is InputBlock => block.type === 'input');
    expect(inputs.map((block) => [block.block_id, (block.element as { action_id: string }).action_id])).toEqual([
      [WORKSPACE_DATA_DELETE_INPUTS.confirmation.block, WORKSPACE_DATA_DELETE_INPUTS.confirmation.action],
    ]);
    expect(inputs[0]?.label.text).toBe('Type acme-sales to confirm');
    const words = mrkdwnTexts(view).join('\n');
    expect(words).toContain('`acme-sales`');
    expect(words).toContain('CRM connections');
    expect(words).toContain('cannot be undone');
    expect(words).toContain('/losses data export');
  });

  it('shows what is stored once counted, keeping the same input so typed text survives the update', () => {
    const before = buildWorkspaceDataDeleteModal({ confirmationText: 'acme-sales', privateMetadata: '{}' });
    expect(mrkdwnTexts(before).join('\n')).not.toContain('Stored now');
    const counted = buildWorkspaceDataDeleteModal({ confirmationText: 'acme-sales', privateMetadata: '{}', counts: { deals: 3, retros: 3, debriefs: 2 } });
    assertWithinSlackLimits(counted);
    expect(mrkdwnTexts(counted).join('\n')).toContain('*Stored now:* 3 lost deals, 3 retros, 2 debriefs.');
    const inputIds = (view: typeof before) => view.blocks.filter((block) => block.type === 'input').map((block) => block.block_id);
    expect(inputIds(counted)).toEqual(inputIds(before));
    expect(mrkdwnTexts(buildWorkspaceDataDeleteModal({ confirmationText: 'acme-sales', privateMetadata: '{}', counts: null })).join('\n')).toContain('*Stored now:* nothing yet.');
  });

  it('shows a hostile domain as text, never as markup', () => {
    const view = buildWorkspaceDataDeleteModal({ confirmationText: '<!channel>', privateMetadata: '{}' });
    expect(liveMentions(view)).toEqual([]);
  });
});

describe('describeDeletion', () => {
  it('counts what went in words, or says there was nothing', () => {
    expect(describeDeletion({ deals: 2, retros: 2, debriefs: 1, lessons: 0 })).toContain('2 lost deals, 2 retros, 1 debrief, with the settings');
    expect(describeDeletion(null)).toContain('nothing to delete');
  });
});
