import type { TCrmConfig } from '../config/env';
import { GENERIC_SIGNATURE_HEADER, GENERIC_TIMESTAMP_HEADER, parseGenericWebhook, verifyGenericSignature } from '../crm/generic';
import { getHeader } from '../crm/signatures';
import { deliver, deliveryBody, type TWebhookDeps } from './deps';
import type { TWebhookRequest, TWebhookResponse } from './http';

/** POST /webhooks/generic: an HMAC-signed JSON body from Zapier, Make, n8n or an in-house CRM. */
export async function handleGenericWebhook(
  deps: TWebhookDeps,
  config: NonNullable<TCrmConfig['generic']>,
  request: TWebhookRequest,
): Promise<TWebhookResponse> {
  verifyGenericSignature({
    secret: config.signingSecret,
    rawBody: request.rawBody,
    signature: getHeader(request.headers, GENERIC_SIGNATURE_HEADER),
    timestamp: getHeader(request.headers, GENERIC_TIMESTAMP_HEADER),
    now: request.receivedAt,
  });
  const result = parseGenericWebhook(request.rawBody, { now: request.receivedAt });
  return { status: 200, body: deliveryBody(await deliver(deps, 'Generic webhook', [result], request.receivedAt)) };
}
