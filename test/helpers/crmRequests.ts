/**
 * Sends CRM webhook deliveries to the app over real HTTP, signed the way each CRM signs them.
 * Signatures are computed here from the CRMs' documentation, not with Debrief's own code, so a
 * bug in Debrief's verification cannot cancel itself out.
 */
import { createHmac } from 'node:crypto';

export interface TCrmResponse {
  status: number;
  body: string;
  json: unknown;
  headers: Record<string, string>;
}

export async function postWebhook(
  baseUrl: string,
  path: string,
  body: string | Buffer,
  headers: Record<string, string>,
): Promise<TCrmResponse> {
  const response = await fetch(new URL(path, baseUrl), { method: 'POST', headers, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    json = undefined;
  }
  return { status: response.status, body: text, json, headers: Object.fromEntries(response.headers.entries()) };
}

/** HubSpot v3: base64(HMAC-SHA256(secret, method + uri + body + timestamp)), timestamp in ms. */
export function hubSpotSignature(secret: string, signedUrl: string, body: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`POST${signedUrl}${body}${timestampMs}`, 'utf8').digest('base64');
}

export function postHubSpot(
  baseUrl: string,
  body: string,
  options: { secret: string; signedUrl?: string; timestampMs?: number; headers?: Record<string, string> },
): Promise<TCrmResponse> {
  const timestampMs = options.timestampMs ?? Date.now();
  const signedUrl = options.signedUrl ?? `${baseUrl}/webhooks/hubspot`;
  return postWebhook(baseUrl, '/webhooks/hubspot', body, {
    'content-type': 'application/json',
    'user-agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/)',
    'x-hubspot-signature-v3': hubSpotSignature(options.secret, signedUrl, body, timestampMs),
    'x-hubspot-request-timestamp': String(timestampMs),
    'x-hubspot-signature-version': 'v3',
    ...options.headers,
  });
}

/** Generic: X-Debrief-Signature: v1=hex(HMAC-SHA256(secret, `${timestamp}.${body}`)), unix seconds. */
export function postGeneric(
  baseUrl: string,
  body: string,
  options: { secret: string; timestampSeconds?: number; headers?: Record<string, string> },
): Promise<TCrmResponse> {
  const timestamp = String(options.timestampSeconds ?? Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', options.secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
  return postWebhook(baseUrl, '/webhooks/generic', body, {
    'content-type': 'application/json',
    'x-debrief-timestamp': timestamp,
    'x-debrief-signature': `v1=${signature}`,
    ...options.headers,
  });
}

export function postPipedrive(
  baseUrl: string,
  body: string,
  options: { user: string; password: string; headers?: Record<string, string> },
): Promise<TCrmResponse> {
  return postWebhook(baseUrl, '/webhooks/pipedrive', body, {
    'content-type': 'application/json',
    authorization: `Basic ${Buffer.from(`${options.user}:${options.password}`).toString('base64')}`,
    ...options.headers,
  });
}

export function postSalesforceOutboundMessage(baseUrl: string, xml: string): Promise<TCrmResponse> {
  return postWebhook(baseUrl, '/webhooks/salesforce', xml, {
    'content-type': 'text/xml; charset=utf-8',
    soapaction: '""',
    'user-agent': 'Jakarta Commons-HttpClient/3.1',
  });
}

export function postSalesforceFlow(baseUrl: string, body: string, options: { secret?: string }): Promise<TCrmResponse> {
  return postWebhook(baseUrl, '/webhooks/salesforce', body, {
    'content-type': 'application/json',
    ...(options.secret === undefined ? {} : { 'x-debrief-secret': options.secret }),
  });
}
