import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { TCrmConfig } from '../config/env';
import { MAX_WEBHOOK_BODY_BYTES } from '../crm/normalise';
import { IntakeError } from '../crm/types';
import type { TLogger } from '../lib/logger';
import { countWebhookDelivery } from '../lib/metrics';
import { newRequestId, runWithRequestContext } from '../lib/requestContext';
import { CONNECTION_KINDS, CONNECTION_PATHS, type TConnectionKind } from '../services/crmConnections';
import { CONNECTION_HANDLERS, resolveConnectionDelivery, type TConnectionDelivery } from './connections';
import type { TWebhookDeps } from './deps';
import { handleGenericWebhook } from './generic';
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
 *
 * POST /webhooks/{kind}/<connection id> are the workspaces' own connections, made in /losses
 * settings: the URL names the connection, and only its credentials verify the delivery.
 */
export function createWebhookRoutes(crm: TCrmConfig, getDeps: () => TWebhookDeps | undefined): CustomRoute[] {
  return [
    deploymentRoute('hubspot', crm, crm.hubspot, handleHubSpotWebhook, getDeps),
    deploymentRoute('salesforce', crm, crm.salesforce, handleSalesforceWebhook, getDeps),
    deploymentRoute('pipedrive', crm, crm.pipedrive, handlePipedriveWebhook, getDeps),
    deploymentRoute('generic', crm, crm.generic, handleGenericWebhook, getDeps),
    ...CONNECTION_KINDS.map((kind) => connectionRoute(kind, crm, getDeps)),
  ];
}

/** The deployment-wide route of a CRM, configured by environment variables. */
function deploymentRoute<C>(name: TCrmName, crm: TCrmConfig, config: C | undefined, handle: THandler<C>, getDeps: () => TWebhookDeps | undefined): CustomRoute {
  const resolve = (deps: TWebhookDeps): Promise<TConnectionDelivery<C>> =>
    Promise.resolve(config === undefined ? { notFound: `${LABELS[name]} intake is not configured: set ${ENABLED_BY[name]}` } : { deps, config });
  return webhookRoute({ name, path: WEBHOOK_PATHS[name], label: `${LABELS[name]} webhook`, resolve, handle }, crm, getDeps);
}

/** A workspace connection's route, /webhooks/<kind>/<connection id>. */
function connectionRoute<K extends TConnectionKind>(kind: K, crm: TCrmConfig, getDeps: () => TWebhookDeps | undefined): CustomRoute {
  return webhookRoute(
    {
      name: kind,
      path: `${CONNECTION_PATHS[kind]}/:connectionId`,
      label: `${LABELS[kind]} webhook (workspace connection)`,
      resolve: (deps, req) => resolveConnectionDelivery(deps, kind, req),
      handle: CONNECTION_HANDLERS[kind],
    },
    crm,
    getDeps,
  );
}

function webhookRoute<C>(
  route: {
    name: TCrmName;
    path: string;
    label: string;
    /** The handler's dependencies and configuration for this request, or why the URL answers 404. */
    resolve: (deps: TWebhookDeps, req: IncomingMessage) => Promise<TConnectionDelivery<C>>;
    handle: THandler<C>;
  },
  crm: TCrmConfig,
  getDeps: () => TWebhookDeps | undefined,
): CustomRoute {
  const { name, label } = route;
  return {
    path: route.path,
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

    const delivery = await route.resolve(deps, req);
    if ('notFound' in delivery) {
      // Drained, so the sender reads the 404 instead of a reset connection.
      req.resume();
      refuse({ status: 404, body: { ok: false, error: delivery.notFound } });
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
      response = await route.handle(delivery.deps, delivery.config, request);
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
