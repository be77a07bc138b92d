import type { SectionBlock } from '@slack/types';
import { CONNECTION_KINDS, type TShownOnce } from '../../../../src/services/crmConnections';
import { buildCrmConnectionCreatedView, buildCrmConnectionsModal, buildNewCrmConnectionModal, buildReplaceCrmCredentialsModal } from '../../../../src/slack/blocks/crmConnectionsModal';
import { CRM_CONNECTION_ACTIONS, CRM_CONNECTION_ADD_ACTIONS, CRM_CONNECTION_INPUTS } from '../../../../src/slack/ids';
import { assertWithinSlackLimits } from '../../../helpers/blockKitLimits';
import type { TCrmConnection } from '../../../../src/repositories/crmConnections';

const connection = (index: number, source: TCrmConnection['source']): TCrmConnection => ({
  id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
  workspaceId: 'w',
  source,
  label: `${source} <!channel> ${index}`,
  createdBySlackUserId: 'U0ADMIN001',
  createdAt: new Date('2026-11-01T10:00:00Z'),
});

describe('CRM connection views', () => {
  it('lists each connection with its kind\u2019s URL, escaped name, Revoke, and Replace for HubSpot only', () => {
    const view = buildCrmConnectionsModal({ connections: CONNECTION_KINDS.map((kind, index) => connection(index, kind)), publicUrl: 'https://debrief.example.com' });
    assertWithinSlackLimits(view);
    const text = JSON.stringify(view.blocks);
    for (const [index, kind] of CONNECTION_KINDS.entries()) {
      expect(text).toContain(`https://debrief.example.com/webhooks/${kind}/${connection(index, kind).id}`);
      expect(text).toContain(CRM_CONNECTION_ADD_ACTIONS[kind]);
    }
    // Names are escaped wherever they are mrkdwn (the confirm dialog is plain text, which never pings).
    const mrkdwn = (view.blocks as SectionBlock[]).flatMap((block) => (block.type === 'section' && block.text?.type === 'mrkdwn' ? [block.text.text] : []));
    expect(mrkdwn.filter((line) => line.includes('<!channel>'))).toEqual([]);
    expect(mrkdwn.filter((line) => line.includes('&lt;!channel&gt;'))).toHaveLength(4);
    expect(text.split(CRM_CONNECTION_ACTIONS.revoke).length - 1).toBe(4);
    expect(text.split(CRM_CONNECTION_ACTIONS.replace).length - 1).toBe(1);
  });

  it('stays within Slack\u2019s limits with the most connections a workspace may have', () => {
    const view = buildCrmConnectionsModal({ connections: Array.from({ length: 20 }, (_, index) => connection(index, 'hubspot')), publicUrl: undefined });
    assertWithinSlackLimits(view);
    expect(JSON.stringify(view.blocks)).not.toContain(CRM_CONNECTION_ADD_ACTIONS.hubspot);
  });

  it.each(CONNECTION_KINDS)('asks a %s connection for what it needs', (kind) => {
    const view = buildNewCrmConnectionModal({ kind, privateMetadata: '{}' });
    assertWithinSlackLimits(view);
    const inputs = (view.blocks ?? []).flatMap((block) => (block.type === 'input' ? [block.block_id] : []));
    const expected = {
      generic: [CRM_CONNECTION_INPUTS.label.block],
      hubspot: [CRM_CONNECTION_INPUTS.label.block, CRM_CONNECTION_INPUTS.hubspotClientSecret.block, CRM_CONNECTION_INPUTS.hubspotAccessToken.block],
      salesforce: [CRM_CONNECTION_INPUTS.label.block, CRM_CONNECTION_INPUTS.salesforceOrgId.block],
      pipedrive: [CRM_CONNECTION_INPUTS.label.block],
    }[kind];
    expect(inputs).toEqual(expected);
    assertWithinSlackLimits(buildReplaceCrmCredentialsModal({ label: 'HubSpot EU', privateMetadata: '{}' }));
  });

  it.each<[TShownOnce, string[]]>([
    [{ kind: 'generic', signingSecret: 'a'.repeat(64) }, ['a'.repeat(64), 'shown only this once']],
    [{ kind: 'hubspot' }, ['not shown again']],
    [{ kind: 'salesforce', flowSecret: 'b'.repeat(64), orgId: '00D5g000004ZkPbEAK' }, ['b'.repeat(64), '00D5g000004ZkPbEAK', 'X-Debrief-Secret']],
    [{ kind: 'salesforce', flowSecret: 'b'.repeat(64), orgId: undefined }, ['Outbound Messages* are off']],
    [{ kind: 'pipedrive', user: 'debrief-0a1b2c3d', password: 'c'.repeat(48) }, ['debrief-0a1b2c3d', 'c'.repeat(48), 'HTTP Auth']],
  ])('shows what Debrief made for a %j connection, once', (shown, expected) => {
    const view = buildCrmConnectionCreatedView({ label: 'X', url: 'https://debrief.example.com/webhooks/x/1', shown });
    assertWithinSlackLimits(view);
    const text = JSON.stringify(view.blocks);
    for (const part of expected) expect(text).toContain(part);
  });
});
