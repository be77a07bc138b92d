import { randomBytes } from 'node:crypto';
import type { TSecretBox } from '../lib/secretBox';
import type { TCrmConnection, TCrmConnectionRepository } from '../repositories/crmConnections';

// A workspace's generic-webhook connections: each has its own URL (/webhooks/generic/<id>), which
// tells Debrief the workspace, and its own signing secret, which proves the sender. The secret is
// shown once, when the connection is made, and kept only sealed.

export const GENERIC_CONNECTION_PATH = '/webhooks/generic';
export const MAX_CONNECTION_LABEL = 80;
/** Enough for every CRM and automation a team could run; each is a key to its retro channel. */
export const MAX_CONNECTIONS_PER_WORKSPACE = 20;

export interface TCrmConnectionDeps {
  connections: TCrmConnectionRepository;
  secretBox: TSecretBox;
}

/** The URL a sender posts to; without PUBLIC_URL, a placeholder the admin replaces. */
export function connectionUrl(publicUrl: string | undefined, connectionId: string): string {
  return `${publicUrl ?? 'https://<your Debrief address>'}${GENERIC_CONNECTION_PATH}/${connectionId}`;
}

export type TCreateConnectionResult = { ok: true; connection: TCrmConnection; signingSecret: string } | { ok: false; problem: string };

export async function createGenericConnection(
  deps: TCrmConnectionDeps,
  input: { workspaceId: string; label: string; createdBySlackUserId: string },
): Promise<TCreateConnectionResult> {
  const existing = await deps.connections.listActive(input.workspaceId);
  if (existing.length >= MAX_CONNECTIONS_PER_WORKSPACE) return { ok: false, problem: `This workspace has ${existing.length} connections already; revoke one it no longer uses first.` };
  // 32 random bytes: far beyond guessing, and the same shape as the secrets the docs suggest.
  const signingSecret = randomBytes(32).toString('hex');
  const connection = await deps.connections.create({ ...input, sealedSigningSecret: deps.secretBox.seal(signingSecret) });
  return { ok: true, connection, signingSecret };
}

/** The workspace and secret of the connection a webhook URL names, or null (unknown, revoked, uninstalled). */
export async function resolveGenericConnection(deps: TCrmConnectionDeps, connectionId: string): Promise<{ slackTeamId: string; signingSecret: string } | null> {
  const connection = await deps.connections.findActive(connectionId);
  if (!connection) return null;
  return { slackTeamId: connection.slackTeamId, signingSecret: deps.secretBox.open(connection.sealedSigningSecret) };
}

/** Re-seals every connection secret sealed under a previous key; part of `npm run secrets:reseal`. */
export async function resealConnectionSecrets(deps: TCrmConnectionDeps): Promise<number> {
  let resealed = 0;
  for (const connection of await deps.connections.allSealed()) {
    if (!deps.secretBox.needsResealing(connection.sealedSigningSecret)) continue;
    await deps.connections.reseal(connection.id, deps.secretBox.seal(deps.secretBox.open(connection.sealedSigningSecret)));
    resealed += 1;
  }
  return resealed;
}
