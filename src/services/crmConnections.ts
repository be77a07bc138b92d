import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { TSecretBox } from '../lib/secretBox';
import type { TCrmConnection, TCrmConnectionRepository } from '../repositories/crmConnections';

// A workspace's CRM connections: each has its own URL (/webhooks/<kind>/<id>), which tells
// Debrief the workspace, and its own credentials, which prove the sender. Credentials Debrief
// makes (signing secrets, the Flow secret, Pipedrive's Basic-auth password) are shown once, when
// the connection is made; credentials the admin pastes (HubSpot's) are never shown again. All of
// them are kept only sealed.

export const CONNECTION_KINDS = ['generic', 'hubspot', 'salesforce', 'pipedrive'] as const;
export type TConnectionKind = (typeof CONNECTION_KINDS)[number];

export const CONNECTION_PATHS: Record<TConnectionKind, string> = {
  generic: '/webhooks/generic',
  hubspot: '/webhooks/hubspot',
  salesforce: '/webhooks/salesforce',
  pipedrive: '/webhooks/pipedrive',
};
/** Kept for the generic route and its callers. */
export const MAX_CONNECTION_LABEL = 80;
/** Enough for every CRM and automation a team could run; each is a key to its retro channel. */
export const MAX_CONNECTIONS_PER_WORKSPACE = 20;

/** What each kind's deliveries are verified with. Stored sealed, as one JSON per connection. */
export const ZConnectionCredentials = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('generic'), signingSecret: z.string().min(16) }),
  z.object({ kind: z.literal('hubspot'), clientSecret: z.string().min(1), accessToken: z.string().min(1) }),
  z.object({ kind: z.literal('salesforce'), flowSecret: z.string().min(16), orgId: z.string().optional() }),
  z.object({ kind: z.literal('pipedrive'), user: z.string().min(1), password: z.string().min(12) }),
]);
export type TConnectionCredentials = z.infer<typeof ZConnectionCredentials>;

// What an admin pastes into the form. Each check says what is wrong in words a sales admin
// recognises from the CRM's own screens.
const ZNoSpaces = (what: string) => z.string().trim().regex(/^\S+$/, `${what} has no spaces; copy it again.`);
export const ZHubSpotClientSecret = ZNoSpaces('The client secret')
  .min(16, 'That is too short for a HubSpot client secret (the app\u2019s Auth tab > Client secret).')
  .max(200, 'That is too long for a HubSpot client secret.')
  .refine((value) => !/^pat-/i.test(value), 'That is the access token; the client secret is the other value on the Auth tab.');
export const ZHubSpotAccessToken = ZNoSpaces('The access token')
  .max(300, 'That is too long for a HubSpot access token.')
  .regex(/^pat-[A-Za-z0-9-]{8,}$/, 'A private app\u2019s access token starts with pat- (the app\u2019s Auth tab > Access token).');
/** Setup > Company Information > Salesforce.com Organization ID. */
export const ZSalesforceOrgId = z
  .string()
  .trim()
  .regex(/^00D[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/, 'An organisation id has 15 or 18 letters and digits and starts with 00D (Setup > Company Information).');

/** What the admin typed for a new connection, per kind; optional values are undefined when left empty. */
export type TConnectionInput =
  | { kind: 'generic' }
  | { kind: 'hubspot'; clientSecret: string; accessToken: string }
  | { kind: 'salesforce'; orgId: string | undefined }
  | { kind: 'pipedrive' };

/** Values Debrief made for the connection, to show once; HubSpot's are the admin's own, so none. */
export type TShownOnce =
  | { kind: 'generic'; signingSecret: string }
  | { kind: 'hubspot' }
  | { kind: 'salesforce'; flowSecret: string; orgId: string | undefined }
  | { kind: 'pipedrive'; user: string; password: string };

export interface TCrmConnectionDeps {
  connections: TCrmConnectionRepository;
  secretBox: TSecretBox;
}

/** The URL a sender posts to; without PUBLIC_URL, a placeholder the admin replaces. */
export function connectionUrl(publicUrl: string | undefined, connectionId: string, kind: TConnectionKind = 'generic'): string {
  return `${publicUrl ?? 'https://<your Debrief address>'}${CONNECTION_PATHS[kind]}/${connectionId}`;
}

export type TCreateConnectionResult = { ok: true; connection: TCrmConnection; shown: TShownOnce } | { ok: false; problem: string };

// 32 random bytes: far beyond guessing, and the same shape as the secrets the docs suggest.
const newSecret = (bytes = 32) => randomBytes(bytes).toString('hex');

/** The stored credentials and what to show once, for a new connection of `input.kind`. */
export function makeCredentials(input: TConnectionInput): { credentials: TConnectionCredentials; shown: TShownOnce } {
  switch (input.kind) {
    case 'generic': {
      const signingSecret = newSecret();
      return { credentials: { kind: 'generic', signingSecret }, shown: { kind: 'generic', signingSecret } };
    }
    case 'hubspot':
      return { credentials: { kind: 'hubspot', clientSecret: input.clientSecret, accessToken: input.accessToken }, shown: { kind: 'hubspot' } };
    case 'salesforce': {
      const flowSecret = newSecret();
      return { credentials: { kind: 'salesforce', flowSecret, ...(input.orgId ? { orgId: input.orgId } : {}) }, shown: { kind: 'salesforce', flowSecret, orgId: input.orgId } };
    }
    case 'pipedrive': {
      // The user name is no secret, but a random one keeps each connection's pair distinct.
      const user = `debrief-${newSecret(4)}`;
      const password = newSecret(24);
      return { credentials: { kind: 'pipedrive', user, password }, shown: { kind: 'pipedrive', user, password } };
    }
  }
}

export async function createConnection(
  deps: TCrmConnectionDeps,
  input: { workspaceId: string; label: string; createdBySlackUserId: string; credentials: TConnectionInput },
): Promise<TCreateConnectionResult> {
  const existing = await deps.connections.listActive(input.workspaceId);
  if (existing.length >= MAX_CONNECTIONS_PER_WORKSPACE) return { ok: false, problem: `This workspace has ${existing.length} connections already; revoke one it no longer uses first.` };
  const { credentials, shown } = makeCredentials(input.credentials);
  const connection = await deps.connections.create({
    workspaceId: input.workspaceId,
    label: input.label,
    createdBySlackUserId: input.createdBySlackUserId,
    source: credentials.kind,
    sealedCredentials: deps.secretBox.seal(JSON.stringify(credentials)),
  });
  return { ok: true, connection, shown };
}

/** The generic webhook's connection, as before kinds existed; the signing secret is shown once. */
export async function createGenericConnection(
  deps: TCrmConnectionDeps,
  input: { workspaceId: string; label: string; createdBySlackUserId: string },
): Promise<{ ok: true; connection: TCrmConnection; signingSecret: string } | { ok: false; problem: string }> {
  const created = await createConnection(deps, { ...input, credentials: { kind: 'generic' } });
  if (!created.ok) return created;
  if (created.shown.kind !== 'generic') throw new Error('A generic connection was made with another kind');
  return { ok: true, connection: created.connection, signingSecret: created.shown.signingSecret };
}

/** Replaces a HubSpot connection's pasted credentials (a rotated client secret or token); false when it is not this workspace's active HubSpot connection. */
export async function replaceHubSpotCredentials(
  deps: TCrmConnectionDeps,
  input: { workspaceId: string; connectionId: string; clientSecret: string; accessToken: string },
): Promise<boolean> {
  const credentials: TConnectionCredentials = { kind: 'hubspot', clientSecret: input.clientSecret, accessToken: input.accessToken };
  return deps.connections.replaceCredentials({ connectionId: input.connectionId, workspaceId: input.workspaceId, source: 'hubspot', sealedCredentials: deps.secretBox.seal(JSON.stringify(credentials)) });
}

export type TResolvedConnection<K extends TConnectionKind = TConnectionKind> = {
  id: string;
  slackTeamId: string;
  credentials: Extract<TConnectionCredentials, { kind: K }>;
};

/**
 * The workspace and credentials of the connection a webhook URL names, or null: unknown, revoked,
 * uninstalled, or of another kind (a HubSpot connection's id does not open the Pipedrive route).
 */
export async function resolveConnection<K extends TConnectionKind>(deps: TCrmConnectionDeps, kind: K, connectionId: string): Promise<TResolvedConnection<K> | null> {
  const connection = await deps.connections.findActive(connectionId);
  if (!connection || connection.source !== kind) return null;
  const credentials = openCredentials(deps.secretBox, connection);
  if (credentials.kind !== kind) return null;
  return { id: connection.id, slackTeamId: connection.slackTeamId, credentials: credentials as Extract<TConnectionCredentials, { kind: K }> };
}

/** Generic connections made before kinds existed keep their secret in sealed_signing_secret. */
function openCredentials(secretBox: TSecretBox, sealed: { sealedCredentials: string | null; sealedSigningSecret: string | null }): TConnectionCredentials {
  if (sealed.sealedCredentials !== null) return ZConnectionCredentials.parse(JSON.parse(secretBox.open(sealed.sealedCredentials)));
  if (sealed.sealedSigningSecret !== null) return { kind: 'generic', signingSecret: secretBox.open(sealed.sealedSigningSecret) };
  throw new Error('A CRM connection has no credentials stored');
}

/** The generic webhook's view of a connection; null unless it is an active generic one. */
export async function resolveGenericConnection(deps: TCrmConnectionDeps, connectionId: string): Promise<{ slackTeamId: string; signingSecret: string } | null> {
  const connection = await resolveConnection(deps, 'generic', connectionId);
  return connection ? { slackTeamId: connection.slackTeamId, signingSecret: connection.credentials.signingSecret } : null;
}

/** Re-seals every connection credential sealed under a previous key; part of `npm run secrets:reseal`. */
export async function resealConnectionSecrets(deps: TCrmConnectionDeps): Promise<number> {
  let resealed = 0;
  const reseal = (sealed: string | null) => (sealed !== null && deps.secretBox.needsResealing(sealed) ? deps.secretBox.seal(deps.secretBox.open(sealed)) : undefined);
  for (const connection of await deps.connections.allSealed()) {
    const sealedSigningSecret = reseal(connection.sealedSigningSecret);
    const sealedCredentials = reseal(connection.sealedCredentials);
    if (sealedSigningSecret === undefined && sealedCredentials === undefined) continue;
    await deps.connections.reseal(connection.id, { sealedSigningSecret, sealedCredentials });
    resealed += 1;
  }
  return resealed;
}
