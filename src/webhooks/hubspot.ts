import type { TCrmConfig } from '../config/env';
import { HUBSPOT_SIGNATURE_HEADER, HUBSPOT_TIMESTAMP_HEADER, parseHubSpotWebhookBatch, verifyHubSpotSignatureV3 } from '../crm/hubspot';
import { getHeader } from '../crm/signatures';
import { intakeHubSpotStageChange } from '../services/intakeHubSpot';
import type { TWebhookDeps } from './deps';
import type { TWebhookRequest, TWebhookResponse } from './http';

/**
 * POST /webhooks/hubspot: verify, read the batch, answer at once, then fetch and open each lost
 * deal in the background. HubSpot wants an answer within seconds and retries slow endpoints,
 * while reading a deal may take several API calls with retries.
 */
export function handleHubSpotWebhook(
  deps: TWebhookDeps,
  config: NonNullable<TCrmConfig['hubspot']>,
  request: TWebhookRequest,
): TWebhookResponse {
  verifyHubSpotSignatureV3({
    clientSecret: config.clientSecret,
    method: request.method,
    url: request.url,
    rawBody: request.rawBody,
    signature: getHeader(request.headers, HUBSPOT_SIGNATURE_HEADER),
    timestamp: getHeader(request.headers, HUBSPOT_TIMESTAMP_HEADER),
    now: request.receivedAt,
  });
  const batch = parseHubSpotWebhookBatch(request.rawBody, { lostStageIds: config.lostStageIds });
  if (batch.changes.length === 0) return { status: 200, body: { ok: true, ignored: ['no deal stage changes in the batch'] } };

  const hubspot = deps.hubspot;
  if (!hubspot) throw new Error('HubSpot is configured but its API client was not created');
  const lost = new Set(batch.lostDealIds);
  // One deal after another: a batch holds up to 100 events, and both HubSpot's API and Slack's
  // posting limits are kinder to a queue than to a burst. One deal failing does not stop the rest.
  deps.backgroundTasks.run('HubSpot batch', async () => {
    for (const change of batch.changes) {
      try {
        await intakeHubSpotStageChange({ ...deps.intake, hubspot, config }, { change, lost: lost.has(change.dealId) });
      } catch (error) {
        deps.logger.error(`HubSpot deal ${change.dealId} failed`, error);
      }
    }
  });
  return { status: 200, body: { ok: true, lost: batch.lostDealIds, reopenCandidates: batch.reopenedDealIds } };
}
