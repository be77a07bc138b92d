import type { TCrmConfig } from '../config/env';
import { SALESFORCE_ACK_CONTENT_TYPE, parseSalesforceFlowCallout, parseSalesforceOutboundMessage, salesforceAck } from '../crm/salesforce';
import { deliver, deliveryBody, type TWebhookDeps } from './deps';
import type { TWebhookRequest, TWebhookResponse } from './http';

/** Outbound Messages are SOAP; Flow callouts are JSON. The content type says which, or the body. */
export function isSalesforceSoap(request: TWebhookRequest): boolean {
  const contentType = String(request.headers['content-type'] ?? '').toLowerCase();
  if (/xml/.test(contentType)) return true;
  if (/json/.test(contentType)) return false;
  return request.rawBody.subarray(0, 64).toString('utf8').trimStart().startsWith('<');
}

/**
 * POST /webhooks/salesforce. Either way of sending can be set up alone, so a request for the
 * other one is answered 404 like an unconfigured CRM, naming the variable that enables it.
 */
export async function handleSalesforceWebhook(
  deps: TWebhookDeps,
  config: NonNullable<TCrmConfig['salesforce']>,
  request: TWebhookRequest,
): Promise<TWebhookResponse> {
  if (isSalesforceSoap(request)) {
    if (!config.orgId) return notConfigured('Outbound Messages', 'SALESFORCE_ORG_ID');
    const results = parseSalesforceOutboundMessage(request.rawBody, { orgId: config.orgId, lostStageNames: config.lostStages, now: request.receivedAt });
    await deliver(deps, 'Salesforce Outbound Message', results, request.receivedAt);
    // Salesforce retries a message until it is acknowledged; work still running in the
    // background is idempotent, so acknowledging it now loses nothing.
    return { status: 200, body: salesforceAck(), contentType: SALESFORCE_ACK_CONTENT_TYPE };
  }
  if (!config.flowSecret) return notConfigured('Flow callouts', 'SALESFORCE_FLOW_SECRET');
  const result = parseSalesforceFlowCallout(request.rawBody, request.headers, {
    secret: config.flowSecret,
    lostStageNames: config.lostStages,
    now: request.receivedAt,
  });
  return { status: 200, body: deliveryBody(await deliver(deps, 'Salesforce Flow callout', [result], request.receivedAt)) };
}

function notConfigured(what: string, variable: string): TWebhookResponse {
  return { status: 404, body: { ok: false, error: `Salesforce ${what} are not configured: set ${variable}` } };
}
