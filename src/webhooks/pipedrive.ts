import type { TCrmConfig } from '../config/env';
import { parsePipedriveWebhook, verifyPipedriveBasicAuth } from '../crm/pipedrive';
import { getHeader } from '../crm/signatures';
import { deliver, deliveryBody, type TWebhookDeps } from './deps';
import type { TWebhookRequest, TWebhookResponse } from './http';

/** POST /webhooks/pipedrive: HTTP Basic credentials, then a v1 or v2 deal event. */
export async function handlePipedriveWebhook(
  deps: TWebhookDeps,
  config: NonNullable<TCrmConfig['pipedrive']>,
  request: TWebhookRequest,
): Promise<TWebhookResponse> {
  verifyPipedriveBasicAuth(getHeader(request.headers, 'authorization'), config);
  const result = parsePipedriveWebhook(request.rawBody, { companyDomain: config.companyDomain, competitorFieldKey: config.competitorField });
  return { status: 200, body: deliveryBody(await deliver(deps, 'Pipedrive webhook', [result], request.receivedAt)) };
}
