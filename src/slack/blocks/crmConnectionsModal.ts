import type { KnownBlock, ModalView } from '@slack/types';
import { toIsoDate } from '../../lib/dates';
import { escapeMrkdwn, mentionUser } from '../../lib/mrkdwn';
import type { TCrmConnection } from '../../repositories/crmConnections';
import { MAX_CONNECTION_LABEL, MAX_CONNECTIONS_PER_WORKSPACE, connectionUrl } from '../../services/crmConnections';
import { CALLBACKS, CRM_CONNECTION_ACTIONS, CRM_CONNECTION_INPUTS } from '../ids';
import { context, plain, section } from './elements';

// The workspace's generic-webhook connections (Zapier, Make, n8n, an in-house CRM): the list with
// each URL, a form for a new one, and the one view that ever shows its signing secret.

const HOW_TO_SIGN =
  'The sender signs each body: `X-Debrief-Timestamp` (unix seconds) and `X-Debrief-Signature: v1=<hex HMAC-SHA256 of "timestamp.body" with the secret>`. See docs/crm/generic.md.';

export function buildCrmConnectionsModal(options: { connections: readonly TCrmConnection[]; publicUrl: string | undefined; notice?: string }): ModalView {
  const blocks: KnownBlock[] = [
    context('Each connection has its own URL and secret, and sends losses to this workspace only. Revoking one stops it at once.'),
  ];
  if (options.notice) blocks.push(section(options.notice));
  if (options.connections.length === 0) blocks.push(section('_No connections yet._'));
  // A modal holds 100 blocks; the list is capped far below that.
  for (const connection of options.connections.slice(0, MAX_CONNECTIONS_PER_WORKSPACE)) {
    blocks.push({
      ...section(
        `*${escapeMrkdwn(connection.label)}*\n\`${connectionUrl(options.publicUrl, connection.id)}\`\nAdded by ${mentionUser(connection.createdBySlackUserId)} on ${toIsoDate(connection.createdAt)}`,
      ),
      accessory: {
        type: 'button',
        action_id: CRM_CONNECTION_ACTIONS.revoke,
        value: connection.id,
        style: 'danger',
        text: plain('Revoke', 75),
        confirm: {
          title: plain('Revoke this connection?', 100),
          text: plain(`Deliveries to its URL will be refused from now on. Connect "${connection.label}" again with a new connection.`, 300),
          confirm: plain('Revoke', 30),
          deny: plain('Keep it', 30),
          style: 'danger',
        },
      },
    });
  }
  if (options.connections.length < MAX_CONNECTIONS_PER_WORKSPACE) {
    blocks.push({ type: 'actions', elements: [{ type: 'button', action_id: CRM_CONNECTION_ACTIONS.add, value: 'add', text: plain('Add a connection', 75) }] });
  }
  if (!options.publicUrl) blocks.push(context('Set PUBLIC_URL on the server to see full URLs here; until then, put Debrief\u2019s address in front of the path.'));
  return { type: 'modal', callback_id: CALLBACKS.crmConnectionsModal, title: plain('CRM connections', 24), close: plain('Done', 24), blocks };
}

export function buildNewCrmConnectionModal(options: { privateMetadata: string }): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACKS.newCrmConnectionModal,
    private_metadata: options.privateMetadata,
    title: plain('New connection', 24),
    submit: plain('Create', 24),
    close: plain('Back', 24),
    blocks: [
      {
        type: 'input',
        block_id: CRM_CONNECTION_INPUTS.label.block,
        label: plain('Name'),
        hint: plain('What sends the losses, so the team can tell connections apart, e.g. "Zapier from HubSpot EU".'),
        element: { type: 'plain_text_input', action_id: CRM_CONNECTION_INPUTS.label.action, max_length: MAX_CONNECTION_LABEL, placeholder: plain('Zapier from HubSpot EU') },
      },
      context(`Debrief makes a URL and a signing secret for it. ${HOW_TO_SIGN}`),
    ],
  };
}

/** Shown once, right after the connection is made: the secret is not kept anywhere it could be shown again. */
export function buildCrmConnectionCreatedView(options: { label: string; url: string; signingSecret: string }): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACKS.newCrmConnectionModal,
    title: plain('Connection ready', 24),
    close: plain('Done', 24),
    blocks: [
      section(`:white_check_mark: *${escapeMrkdwn(options.label)}* is ready. Copy both values into the sender now: *the secret is shown only this once.*`),
      section(`*URL*\n\`${options.url}\``),
      section(`*Signing secret*\n\`${options.signingSecret}\``),
      context(HOW_TO_SIGN),
    ],
  };
}
