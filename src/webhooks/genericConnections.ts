import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import { GENERIC_SIGNATURE_HEADER, GENERIC_TIMESTAMP_HEADER, parseGenericWebhook, verifyGenericSignature } from '../crm/generic';
import { MAX_WEBHOOK_BODY_BYTES } from '../crm/normalise';
import { getHeader } from '../crm/signatures';
import { IntakeError } from '../crm/types';
import { GENERIC_CONNECTION_PATH } from '../services/crmConnections';
import type { TSlackClients } from '../slack/clients';
import { deliver, deliveryBody, type TWebhookDeps } from './deps';
import { readBodyOrRefuse, sendWebhookResponse, type TWebhookResponse } from './http';

/** What the per-workspace generic webhook needs beyond every webhook's dependencies. */
export interface TGenericConnectionsDeps {
  /** The connection's workspace and signing secret, or null when the URL names none (or a revoked one). */
  resolve(connectionId: string): Promise<{ slackTeamId: string; signingSecret: string } | null>;
  clients: TSlackClients;
}

const LABEL = 'Generic webhook (workspace connection)';

/**
 * POST /webhooks/generic/<connection id>: the generic webhook of one workspace. The URL names the
 * workspace (a connection made in /losses settings), the connection's own secret signs the body,
 * and the loss opens in that workspace only, whatever else the body says.
 */
export function genericConnectionRoute(getDeps: () => TWebhookDeps | undefined): CustomRoute {
  return {
    path: `${GENERIC_CONNECTION_PATH}/:connectionId`,
    method: ['POST'],
    handler: (req: IncomingMessage, res: ServerResponse) => {
      // Bolt does not await custom routes: nothing may escape.
      serve(req, res).catch((error: unknown) => {
        getDeps()?.logger.error(`${LABEL}: answering failed`, error);
        sendWebhookResponse(res, { status: 500, body: { ok: false, error: 'internal error' } });
      });
    },
  };

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const deps = getDeps();
    if (!deps) {
      req.resume();
      sendWebhookResponse(res, { status: 503, body: { ok: false, error: 'Debrief is starting; retry shortly' } });
      return;
    }
    const refuse = (response: TWebhookResponse & { body: { error: string } }, headers?: Record<string, string>) => {
      deps.logger.warn(`Refused a ${LABEL} delivery (${response.status}): ${response.body.error}`);
      sendWebhookResponse(res, response, headers);
    };
    const connections = deps.genericConnections;
    if (!connections) {
      req.resume();
      refuse({ status: 404, body: { ok: false, error: 'Workspace connections need ENCRYPTION_KEY; see docs/crm/generic.md' } });
      return;
    }
    const connectionId = (req as IncomingMessage & { params?: Record<string, string> }).params?.connectionId ?? '';
    const connection = await connections.resolve(connectionId);
    if (!connection) {
      req.resume();
      // Unknown and revoked read the same: the answer must not tell a prober which ids exist.
      refuse({ status: 404, body: { ok: false, error: 'No active connection at this URL; make one with /losses settings in Slack' } });
      return;
    }

    const rawBody = await readBodyOrRefuse(req, MAX_WEBHOOK_BODY_BYTES, refuse);
    if (rawBody === undefined) return;

    const receivedAt = deps.intake.now();
    let results;
    try {
      verifyGenericSignature({
        secret: connection.signingSecret,
        rawBody,
        signature: getHeader(req.headers, GENERIC_SIGNATURE_HEADER),
        timestamp: getHeader(req.headers, GENERIC_TIMESTAMP_HEADER),
        now: receivedAt,
      });
      results = [parseGenericWebhook(rawBody, { now: receivedAt })];
    } catch (error) {
      if (!(error instanceof IntakeError)) throw error;
      refuse({ status: error.status, body: { ok: false, error: error.message } });
      return;
    }

    // The same intake as every CRM (deal locks, owner cache), for this connection's workspace.
    const intake = { ...deps.intake, workspace: async () => ({ slackTeamId: connection.slackTeamId, client: await connections.clients.forTeam(connection.slackTeamId) }) };
    try {
      const outcome = await deliver({ ...deps, intake }, LABEL, results, receivedAt);
      sendWebhookResponse(res, { status: 200, body: deliveryBody(outcome) });
    } catch (error) {
      deps.logger.error(`${LABEL} failed; answering 500 so that the sender retries it`, error);
      sendWebhookResponse(res, { status: 500, body: { ok: false, error: 'Debrief could not process this delivery; retry it later' } });
    }
  }
}
