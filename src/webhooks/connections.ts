import type { IncomingMessage } from 'node:http';
import type { TCrmConfig } from '../config/env';
import type { THubSpotClient } from '../crm/hubspot';
import { HUBSPOT_DEFAULT_LOST_STAGE_IDS } from '../crm/hubspot';
import type { TConnectionCredentials, TConnectionKind, TResolvedConnection } from '../services/crmConnections';
import type { TSlackClients } from '../slack/clients';
import type { TWebhookDeps } from './deps';
import { handleGenericWebhook } from './generic';
import type { TWebhookRequest, TWebhookResponse } from './http';
import { handleHubSpotWebhook } from './hubspot';
import { handlePipedriveWebhook } from './pipedrive';
import { handleSalesforceWebhook, isSalesforceSoap } from './salesforce';

// POST /webhooks/<kind>/<connection id>: a workspace's own connection, made in /losses settings.
// The URL names the connection, hence the workspace; only that connection's credentials verify
// the delivery; and the loss opens in that workspace only, whatever the body says. Past the
// lookup, each kind runs the very handler of its deployment-wide route with the connection's
// credentials in place of the environment's.

/** What per-workspace connections need beyond every webhook's dependencies; set when ENCRYPTION_KEY is. */
export interface TConnectionWebhookDeps {
  /** The connection's workspace and credentials, or null when the URL names none of this kind (or a revoked one). */
  resolve<K extends TConnectionKind>(kind: K, connectionId: string): Promise<TResolvedConnection<K> | null>;
  clients: TSlackClients;
  /** A HubSpot API client with a connection's own access token. */
  hubspotClient(accessToken: string): THubSpotClient;
}

/** What connections share with the deployment: which stages count as lost, where the competitor is. */
export type TConnectionDefaults = NonNullable<TCrmConfig['connectionDefaults']>;

export const FALLBACK_CONNECTION_DEFAULTS: TConnectionDefaults = {
  hubspotApiUrl: undefined,
  hubspotLostStageIds: [...HUBSPOT_DEFAULT_LOST_STAGE_IDS],
  hubspotCompetitorProperty: undefined,
  salesforceLostStages: ['Closed Lost'],
  pipedriveCompetitorField: undefined,
};

/** A delivery ready for its kind's handler, or why the URL answers 404. */
export type TConnectionDelivery<C> = { deps: TWebhookDeps; config: C } | { notFound: string };

/** The configuration of each kind's deployment-wide handler. */
export type TConnectionConfigOf = {
  generic: NonNullable<TCrmConfig['generic']>;
  hubspot: NonNullable<TCrmConfig['hubspot']>;
  salesforce: NonNullable<TCrmConfig['salesforce']>;
  pipedrive: NonNullable<TCrmConfig['pipedrive']>;
};

/** The deployment-wide handler's configuration, filled from the connection's credentials. */
export function connectionConfig<K extends TConnectionKind>(credentials: Extract<TConnectionCredentials, { kind: K }>, defaults: TConnectionDefaults): TConnectionConfigOf[K];
export function connectionConfig(credentials: TConnectionCredentials, defaults: TConnectionDefaults): TConnectionConfigOf[TConnectionKind] {
  switch (credentials.kind) {
    case 'generic':
      return { signingSecret: credentials.signingSecret };
    case 'hubspot':
      return {
        clientSecret: credentials.clientSecret,
        accessToken: credentials.accessToken,
        apiUrl: defaults.hubspotApiUrl,
        lostStageIds: defaults.hubspotLostStageIds,
        competitorProperty: defaults.hubspotCompetitorProperty,
      };
    case 'salesforce':
      return { orgId: credentials.orgId, flowSecret: credentials.flowSecret, lostStages: defaults.salesforceLostStages };
    case 'pipedrive':
      // The deal link comes from the webhook's own meta.host, which names the company.
      return { user: credentials.user, password: credentials.password, companyDomain: undefined, competitorField: defaults.pipedriveCompetitorField };
  }
}

const NO_KEY = 'Workspace connections need ENCRYPTION_KEY on the server; see the README, "Connecting your CRM"';
const NOT_FOUND = 'No active connection at this URL; make one with /losses settings in Slack';

/** Finds the connection the URL names and gives the handler this workspace's intake (and HubSpot client). */
export async function resolveConnectionDelivery<K extends TConnectionKind>(
  deps: TWebhookDeps,
  kind: K,
  req: IncomingMessage,
): Promise<TConnectionDelivery<TConnectionConfigOf[K]>> {
  const connections = deps.connections;
  if (!connections) return { notFound: NO_KEY };
  const connectionId = (req as IncomingMessage & { params?: Record<string, string> }).params?.connectionId ?? '';
  const connection = await connections.resolve(kind, connectionId);
  // Unknown, revoked and another kind's read the same: the answer must not tell a prober which ids exist.
  if (!connection) return { notFound: NOT_FOUND };
  const { slackTeamId } = connection;
  // Widened from the kind's own type, so that the switch below narrows it.
  const credentials: TConnectionCredentials = connection.credentials;
  const intake = { ...deps.intake, workspace: async () => ({ slackTeamId, client: await connections.clients.forTeam(slackTeamId) }) };
  return {
    deps: {
      ...deps,
      intake,
      hubspot: credentials.kind === 'hubspot' ? connections.hubspotClient(credentials.accessToken) : undefined,
    },
    config: connectionConfig(connection.credentials, deps.crm.connectionDefaults ?? FALLBACK_CONNECTION_DEFAULTS),
  };
}

/** The handler each kind's connection route runs: the deployment-wide one, with connection-specific answers where they differ. */
export const CONNECTION_HANDLERS: { [K in TConnectionKind]: (deps: TWebhookDeps, config: TConnectionConfigOf[K], request: TWebhookRequest) => TWebhookResponse | Promise<TWebhookResponse> } = {
  generic: handleGenericWebhook,
  hubspot: handleHubSpotWebhook,
  pipedrive: handlePipedriveWebhook,
  salesforce: (deps, config, request) => {
    if (isSalesforceSoap(request) && !config.orgId) {
      return { status: 404, body: { ok: false, error: 'This connection takes Flow callouts only: it has no Salesforce org id for Outbound Messages. Make a connection with the org id in /losses settings.' } };
    }
    return handleSalesforceWebhook(deps, config, request);
  },
};
