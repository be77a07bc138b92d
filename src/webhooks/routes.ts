import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { TCrmConfig } from '../config/env';
import { MAX_WEBHOOK_BODY_BYTES } from '../crm/normalise';
import { IntakeError } from '../crm/types';
import type { TLogger } from '../lib/logger';
import { countWebhookDelivery } from '../lib/metrics';
import { newRequestId, runWithRequestContext } from '../lib/requestContext';
import type { TWebhookDeps } from './deps';
import { handleGenericWebhook } from './generic';
import { genericConnectionRoute } from './genericConnections';
import { readBodyOrRefuse, requestUrl, sendWebhookResponse, type TWebhookRequest, type TWebhookResponse } from './http';
import { handleHubSpotWebhook } from './hubspot';
import { handlePipedriveWebhook } from './pipedrive';
import { handleSalesforceWebhook } from './salesforce';

export const WEBHOOK_PATHS = {
  hubspot: '/webhooks/hubspot',
  salesforce: '/webhooks/salesforce',
  pipedrive: '/webhooks/pipedrive',
  generic: '/webhooks/generic',
} as const;

type TCrmName = keyof typeof WEBHOOK_PATHS;

type THandler<C> = (deps: TWebhookDeps, config: C, request: TWebhookRequest) => TWebhookResponse | Promise<TWebhookResponse>;

const LABELS: Record<TCrmName, string> = { hubspot: 'HubSpot', salesforce: 'Salesforce', pipedrive: 'Pipedrive', generic: 'Generic' };

const ENABLED_BY: Record<TCrmName, string> = {
  hubspot: 'HUBSPOT_CLIENT_SECRET and HUBSPOT_ACCESS_TOKEN',
  salesforce: 'SALESFORCE_ORG_ID or SALESFORCE_FLOW_SECRET',
  pipedrive: 'PIPEDRIVE_WEBHOOK_USER and PIPEDRIVE_WEBHOOK_PASSWORD',
  generic: 'WEBHOOK_SIGNING_SECRET',
};

/**
 * POST /webhooks/{hubspot,salesforce,pipedrive,generic} on the app's HTTP server (in Socket
 * Mode, the one serving /healthz). Every route exists; one whose CRM is not configured answers
 * 404 saying which variables enable it. `getDeps` is read per request because the routes are
 * handed to the Slack app before the app (and its client) exists.
 */
export function createWebhookRoutes(crm: TCrmConfig, getDeps: () => TWebhookDeps | undefined): CustomRoute[] {
  return [
    webhookRoute('hubspot', crm, crm.hubspot, handleHubSpotWebhook, getDeps),
    webhookRoute('salesforce', crm, crm.salesforce, handleSalesforceWebhook, getDeps),
    webhookRoute('pipedrive', crm, crm.pipedrive, handlePipedriveWebhook, getDeps),
    webhookRoute('generic', crm, crm.generic, handleGenericWebhook, getDeps),
    // Each workspace's own generic webhook, made in /losses settings.
    genericConnectionRoute(getDeps),
  ];
}

function webhookRoute<C>(
  name: TCrmName,
  crm: TCrmConfig,
  config: C | undefined,
  handle: THandler<C>,
  getDeps: () => TWebhookDeps | undefined,
): CustomRoute {
  const label = `${LABELS[name]} webhook`;
  return {
    path: WEBHOOK_PATHS[name],
    method: ['POST'],
    handler: (req: IncomingMessage, res: ServerResponse) => {
      countWebhookDelivery(name, res);
      // Bolt does not await custom routes (and in Socket Mode does not catch them): nothing may escape.
      // Every line logged for this delivery, background intake included, carries its request id.
      runWithRequestContext({ requestId: newRequestId(), kind: `webhook:${name}` }, () => serve(req, res)).catch((error: unknown) => {
        getDeps()?.logger.error(`${label}: answering failed`, error);
        sendWebhookResponse(res, { status: 500, body: { ok: false, error: 'internal error' } });
      });
    },
  };

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const deps = getDeps();
    if (!deps) {
      sendWebhookResponse(res, { status: 503, body: { ok: false, error: 'Debrief is starting; retry shortly' } });
      return;
    }
    const refuse = (response: TWebhookResponse & { body: { error: string } }, headers?: Record<string, string>) => {
      logRefusal(deps.logger, label, response.status, response.body.error);
      sendWebhookResponse(res, response, headers);
    };

    if (config === undefined) {
      // Drained, so the sender reads the 404 instead of a reset connection.
      req.resume();
      refuse({ status: 404, body: { ok: false, error: `${LABELS[name]} intake is not configured: set ${ENABLED_BY[name]}` } });
      return;
    }

    const rawBody = await readBodyOrRefuse(req, MAX_WEBHOOK_BODY_BYTES, refuse);
    if (rawBody === undefined) return;

    const request: TWebhookRequest = {
      method: req.method ?? 'POST',
      url: requestUrl(req, crm.publicUrl),
      headers: req.headers,
      rawBody,
      receivedAt: deps.intake.now(),
    };
    let response: TWebhookResponse;
    try {
      response = await handle(deps, config, request);
    } catch (error) {
      if (error instanceof IntakeError) {
        refuse({ status: error.status, body: { ok: false, error: error.message } });
        return;
      }
      deps.logger.error(`${label} failed; answering 500 so that the sender retries it`, error);
      sendWebhookResponse(res, { status: 500, body: { ok: false, error: 'Debrief could not process this delivery; retry it later' } });
      return;
    }
    if (response.status >= 400) {
      const error = typeof response.body === 'string' ? response.body : typeof response.body.error === 'string' ? response.body.error : '';
      logRefusal(deps.logger, label, response.status, error);
    } else {
      deps.logger.debug(`${label} answered ${response.status}: ${typeof response.body === 'string' ? 'text' : JSON.stringify(response.body)}`);
    }
    sendWebhookResponse(res, response);
  }
}

/** Refusals carry the adapters' messages, which name what is wrong and never a secret or the body. */
function logRefusal(logger: TLogger, label: string, status: number, reason: string): void {
  logger.warn(`Refused a ${label} delivery (${status}): ${reason}`);
}
