import type { KnownBlock, ModalView } from '@slack/types';
import { toIsoDate } from '../../lib/dates';
import { escapeMrkdwn, mentionUser } from '../../lib/mrkdwn';
import type { TCrmConnection } from '../../repositories/crmConnections';
import { CONNECTION_KINDS, MAX_CONNECTION_LABEL, MAX_CONNECTIONS_PER_WORKSPACE, connectionUrl, type TConnectionKind, type TShownOnce } from '../../services/crmConnections';
import { CALLBACKS, CRM_CONNECTION_ACTIONS, CRM_CONNECTION_ADD_ACTIONS, CRM_CONNECTION_INPUTS, perConnectionActionId } from '../ids';
import { context, plain, section } from './elements';

// The workspace's CRM connections (HubSpot, Salesforce, Pipedrive, or a generic webhook for
// Zapier, Make, n8n or an in-house CRM): the list with each URL, a form per kind, and the one
// view that ever shows the credentials Debrief makes.

export const CONNECTION_KIND_NAMES: Record<TConnectionKind, string> = {
  generic: 'Generic webhook',
  hubspot: 'HubSpot',
  salesforce: 'Salesforce',
  pipedrive: 'Pipedrive',
};

const HOW_TO_SIGN =
  'The sender signs each body: `X-Debrief-Timestamp` (unix seconds) and `X-Debrief-Signature: v1=<hex HMAC-SHA256 of "timestamp.body" with the secret>`. See docs/crm/generic.md.';
const HUBSPOT_SETUP =
  'In the HubSpot private app\u2019s *Webhooks* tab, set the target URL to this URL and subscribe to *Deal \u2192 Property changed \u2192 Deal stage*. See docs/crm/hubspot.md.';
const SALESFORCE_SETUP =
  'In the Flow\u2019s HTTP Callout, send the secret in the `X-Debrief-Secret` header. An Outbound Message needs the org id on the connection. See docs/crm/salesforce.md.';
const PIPEDRIVE_SETUP =
  'In Pipedrive, Settings \u2192 Webhooks \u2192 Create new webhook: event *deal.change*, this URL, and the user name and password under *HTTP Auth*. See docs/crm/pipedrive.md.';

/** How a listed connection is verified, without a word of its credentials. */
function credentialsLine(kind: TConnectionKind): string {
  switch (kind) {
    case 'generic':
      return 'Signing secret: set';
    case 'hubspot':
      return 'Client secret and access token: set';
    case 'salesforce':
      return 'Flow secret: set';
    case 'pipedrive':
      return 'HTTP Auth user name and password: set';
  }
}

export function buildCrmConnectionsModal(options: { connections: readonly TCrmConnection[]; publicUrl: string | undefined; notice?: string }): ModalView {
  const blocks: KnownBlock[] = [
    context('Each connection has its own URL and credentials, and sends losses to this workspace only. Revoking one stops it at once.'),
  ];
  if (options.notice) blocks.push(section(options.notice));
  if (options.connections.length === 0) blocks.push(section('_No connections yet._'));
  // A modal holds 100 blocks; the list (at most two blocks each) is capped far below that.
  for (const connection of options.connections.slice(0, MAX_CONNECTIONS_PER_WORKSPACE)) {
    const kind = connection.source;
    blocks.push({
      ...section(
        `*${escapeMrkdwn(connection.label)}* \u00b7 ${CONNECTION_KIND_NAMES[kind]}\n\`${connectionUrl(options.publicUrl, connection.id, kind)}\`\n${credentialsLine(kind)} \u00b7 added by ${mentionUser(connection.createdBySlackUserId)} on ${toIsoDate(connection.createdAt)}`,
      ),
      accessory: {
        type: 'button',
        action_id: perConnectionActionId(CRM_CONNECTION_ACTIONS.revoke, connection.id),
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
    // HubSpot's credentials are the admin's own: when HubSpot rotates them, they are replaced here.
    if (kind === 'hubspot') {
      blocks.push({ type: 'actions', elements: [{ type: 'button', action_id: perConnectionActionId(CRM_CONNECTION_ACTIONS.replace, connection.id), value: connection.id, text: plain('Replace credentials', 75) }] });
    }
  }
  if (options.connections.length < MAX_CONNECTIONS_PER_WORKSPACE) {
    blocks.push({
      type: 'actions',
      elements: CONNECTION_KINDS.map((kind) => ({ type: 'button' as const, action_id: CRM_CONNECTION_ADD_ACTIONS[kind], value: kind, text: plain(`Add ${CONNECTION_KIND_NAMES[kind]}`, 75) })),
    });
  }
  if (!options.publicUrl) blocks.push(context('Set PUBLIC_URL on the server to see full URLs here; until then, put Debrief\u2019s address in front of the path.'));
  return { type: 'modal', callback_id: CALLBACKS.crmConnectionsModal, title: plain('CRM connections', 24), close: plain('Done', 24), blocks };
}

function secretInput(input: { block: string; action: string }, label: string, hint: string, options: { optional?: boolean; placeholder?: string } = {}): KnownBlock {
  return {
    type: 'input',
    block_id: input.block,
    label: plain(label),
    hint: plain(hint),
    optional: options.optional ?? false,
    element: { type: 'plain_text_input', action_id: input.action, max_length: 300, ...(options.placeholder ? { placeholder: plain(options.placeholder) } : {}) },
  };
}

function hubSpotCredentialInputs(): KnownBlock[] {
  return [
    secretInput(CRM_CONNECTION_INPUTS.hubspotClientSecret, 'Client secret', 'The private app\u2019s Auth tab > Client secret. It verifies that deliveries come from HubSpot.'),
    secretInput(CRM_CONNECTION_INPUTS.hubspotAccessToken, 'Access token', 'The same tab > Access token (starts with pat-), with the crm.objects.deals.read and crm.objects.owners.read scopes.', {
      placeholder: 'pat-na1-\u2026',
    }),
  ];
}

/** What each kind's form asks besides the name, and what it says Debrief will make. */
function kindBlocks(kind: TConnectionKind): KnownBlock[] {
  switch (kind) {
    case 'generic':
      return [context(`Debrief makes a URL and a signing secret for it. ${HOW_TO_SIGN}`)];
    case 'hubspot':
      return [...hubSpotCredentialInputs(), context('Both are stored encrypted and never shown again; you can replace them later. Debrief then gives you the URL for the app\u2019s webhook.')];
    case 'salesforce':
      return [
        secretInput(CRM_CONNECTION_INPUTS.salesforceOrgId, 'Organisation id', 'Only for Outbound Messages: Setup > Company Information > Salesforce.com Organization ID (starts with 00D). Leave empty for Flow callouts only.', {
          optional: true,
          placeholder: '00D\u2026',
        }),
        context('Debrief makes a URL and a secret for the Flow\u2019s HTTP Callout; both are shown once.'),
      ];
    case 'pipedrive':
      return [context('Debrief makes a URL and an HTTP Auth user name and password for the webhook; the password is shown once.')];
  }
}

export function buildNewCrmConnectionModal(options: { kind: TConnectionKind; privateMetadata: string }): ModalView {
  const placeholder = options.kind === 'generic' ? 'Zapier from HubSpot EU' : `${CONNECTION_KIND_NAMES[options.kind]} EU`;
  return {
    type: 'modal',
    callback_id: CALLBACKS.newCrmConnectionModal,
    private_metadata: options.privateMetadata,
    title: plain(`New ${options.kind === 'generic' ? 'connection' : CONNECTION_KIND_NAMES[options.kind]}`, 24),
    submit: plain('Create', 24),
    close: plain('Back', 24),
    blocks: [
      {
        type: 'input',
        block_id: CRM_CONNECTION_INPUTS.label.block,
        label: plain('Name'),
        hint: plain('What sends the losses, so the team can tell connections apart.'),
        element: { type: 'plain_text_input', action_id: CRM_CONNECTION_INPUTS.label.action, max_length: MAX_CONNECTION_LABEL, placeholder: plain(placeholder) },
      },
      ...kindBlocks(options.kind),
    ],
  };
}

/** A HubSpot connection's new client secret and access token (HubSpot rotated them, or they leaked). */
export function buildReplaceCrmCredentialsModal(options: { label: string; privateMetadata: string }): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACKS.replaceCrmCredentialsModal,
    private_metadata: options.privateMetadata,
    title: plain('Replace credentials', 24),
    submit: plain('Replace', 24),
    close: plain('Back', 24),
    blocks: [
      section(`New credentials for *${escapeMrkdwn(options.label)}*. Its URL stays the same; deliveries are verified with the new client secret from now on.`),
      ...hubSpotCredentialInputs(),
    ],
  };
}

function shownBlocks(shown: TShownOnce): KnownBlock[] {
  switch (shown.kind) {
    case 'generic':
      return [section(`*Signing secret*\n\`${shown.signingSecret}\``), context(HOW_TO_SIGN)];
    case 'hubspot':
      return [context('The client secret and access token you pasted are stored encrypted and are not shown again.'), context(HUBSPOT_SETUP)];
    case 'salesforce':
      return [
        section(`*Flow secret* (header \`X-Debrief-Secret\`)\n\`${shown.flowSecret}\``),
        section(shown.orgId ? `*Outbound Messages* are accepted from org \`${shown.orgId}\` at the same URL.` : '*Outbound Messages* are off: this connection has no org id.'),
        context(SALESFORCE_SETUP),
      ];
    case 'pipedrive':
      return [section(`*HTTP Auth user name*\n\`${shown.user}\``), section(`*HTTP Auth password*\n\`${shown.password}\``), context(PIPEDRIVE_SETUP)];
  }
}

/** Shown once, right after the connection is made: what Debrief made is not kept anywhere it could be shown again. */
export function buildCrmConnectionCreatedView(options: { label: string; url: string; shown: TShownOnce }): ModalView {
  const intro =
    options.shown.kind === 'hubspot'
      ? `:white_check_mark: *${escapeMrkdwn(options.label)}* is ready. Copy the URL into HubSpot.`
      : `:white_check_mark: *${escapeMrkdwn(options.label)}* is ready. Copy these values into ${options.shown.kind === 'generic' ? 'the sender' : CONNECTION_KIND_NAMES[options.shown.kind]} now: *the secret is shown only this once.*`;
  return {
    type: 'modal',
    callback_id: CALLBACKS.newCrmConnectionModal,
    title: plain('Connection ready', 24),
    close: plain('Done', 24),
    blocks: [section(intro), section(`*URL*\n\`${options.url}\``), ...shownBlocks(options.shown)],
  };
}
