import { z } from 'zod';
import type { TLostDeal } from '../domain/lostDeal';
import { buildLostDeal, bodyText, parseCrmDate, parseJson, parseWith } from './normalise';
import { assertConfigured, assertFreshTimestamp, hmacSha256, timingSafeEqualString, toBuffer } from './signatures';
import { IntakeError, type TRawBody } from './types';

export const HUBSPOT_SIGNATURE_HEADER = 'X-HubSpot-Signature-v3';
export const HUBSPOT_TIMESTAMP_HEADER = 'X-HubSpot-Request-Timestamp';
export const HUBSPOT_DEFAULT_LOST_STAGE_IDS = ['closedlost'] as const;

// ---------------------------------------------------------------------------------------------
// Signature v3
// ---------------------------------------------------------------------------------------------

// HubSpot signs the URI after decoding exactly these escapes (its "Validating requests" docs);
// decoding anything else, or nothing, breaks URLs with such characters in the query.
const SIGNATURE_URI_DECODES: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

export function hubSpotSignatureUri(url: string): string {
  return url.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (escape) => SIGNATURE_URI_DECODES[escape.toUpperCase()] ?? escape);
}

export type TVerifyHubSpotSignatureInput = {
  clientSecret: string;
  /** The request method as received, e.g. "POST". */
  method: string;
  /**
   * The full public URL HubSpot called: scheme, host, path and query exactly as configured in
   * HubSpot. Build it from PUBLIC_URL plus the request's path and query, not from the Host
   * header, which a proxy may rewrite and an attacker may choose.
   */
  url: string;
  rawBody: TRawBody;
  /** The X-HubSpot-Signature-v3 header. */
  signature: string | undefined;
  /** The X-HubSpot-Request-Timestamp header (epoch milliseconds). */
  timestamp: string | undefined;
  now?: Date;
};

/**
 * Verifies base64(HMAC-SHA256(clientSecret, method + uri + body + timestamp)). Throws
 * IntakeError(401) naming the problem; returns normally when the request is HubSpot's.
 */
export function verifyHubSpotSignatureV3(input: TVerifyHubSpotSignatureInput): void {
  assertConfigured(input.clientSecret, 'HUBSPOT_CLIENT_SECRET');
  const signature = input.signature?.trim();
  if (!signature) throw new IntakeError(401, `missing ${HUBSPOT_SIGNATURE_HEADER} header`);
  const timestamp = input.timestamp?.trim();
  if (!timestamp) throw new IntakeError(401, `missing ${HUBSPOT_TIMESTAMP_HEADER} header`);
  if (!/^\d{1,16}$/.test(timestamp)) {
    throw new IntakeError(401, `${HUBSPOT_TIMESTAMP_HEADER} is not epoch milliseconds`);
  }
  assertFreshTimestamp(Number(timestamp), (input.now ?? new Date()).getTime(), HUBSPOT_TIMESTAMP_HEADER);

  const expected = hmacSha256(input.clientSecret, [
    input.method.toUpperCase(),
    hubSpotSignatureUri(input.url),
    toBuffer(input.rawBody),
    timestamp,
  ]).toString('base64');
  if (!timingSafeEqualString(signature, expected)) {
    throw new IntakeError(401, `${HUBSPOT_SIGNATURE_HEADER} does not match the body, URL and timestamp`);
  }
}

// ---------------------------------------------------------------------------------------------
// Webhook batch
// ---------------------------------------------------------------------------------------------

const ZNumericId = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)])
  .transform((id) => String(id));

// Only the envelope is checked for every event: subscriptions other than deal stages are not
// ours to judge, and rejecting the batch over them would block the losses in it.
const ZHubSpotBatchEnvelope = z.array(z.looseObject({ subscriptionType: z.string().min(1) }));

export const ZHubSpotStageEvent = z.object({
  eventId: ZNumericId.optional(),
  subscriptionId: ZNumericId.optional(),
  portalId: ZNumericId,
  appId: ZNumericId.optional(),
  occurredAt: z.number().int().nonnegative(),
  subscriptionType: z.string(),
  attemptNumber: z.number().int().nonnegative().optional(),
  objectId: ZNumericId,
  objectTypeId: z.string().optional(),
  changeSource: z.string().optional(),
  propertyName: z.literal('dealstage'),
  // HubSpot sends null (or omits the value) when a property is cleared.
  propertyValue: z.string().nullable().optional(),
});
export type THubSpotStageEvent = z.infer<typeof ZHubSpotStageEvent>;

export type THubSpotStageChange = {
  dealId: string;
  portalId: string;
  stageId: string | null;
  occurredAt: Date;
  eventId: string | null;
};

export type THubSpotWebhookBatch = {
  /** The account the batch came from; null for a batch with no deal-stage events. */
  portalId: string | null;
  /** Deals whose latest stage change in this batch is into a lost stage. */
  lostDealIds: string[];
  /** Deals whose latest stage change is to any other stage: reopen candidates. */
  reopenedDealIds: string[];
  /** The latest stage change per deal, for its time (a better lostAt than the close date). */
  changes: THubSpotStageChange[];
};

function isDealStageChange(event: { subscriptionType: string; [key: string]: unknown }): boolean {
  if (event.propertyName !== 'dealstage') return false;
  if (event.subscriptionType === 'deal.propertyChange') return true;
  // Apps on HubSpot's newer developer platform receive generic object events; 0-3 is deals.
  return event.subscriptionType === 'object.propertyChange' && event.objectTypeId === '0-3';
}

export function parseHubSpotWebhookBatch(
  rawBody: TRawBody,
  options: { lostStageIds: readonly string[]; maxBytes?: number },
): THubSpotWebhookBatch {
  const events = parseWith(ZHubSpotBatchEnvelope, parseJson(bodyText(rawBody, options.maxBytes), 'HubSpot'), 'HubSpot');
  const lostStages = new Set(options.lostStageIds.map((id) => id.trim()).filter((id) => id !== ''));

  // A batch can carry several changes to one deal (lost, then reopened a minute later); only the
  // last one describes where the deal is now.
  const latest = new Map<string, THubSpotStageChange>();
  events.forEach((raw, index) => {
    if (!isDealStageChange(raw)) return;
    const event = parseWith(ZHubSpotStageEvent, raw, `HubSpot event ${index}`);
    const change: THubSpotStageChange = {
      dealId: event.objectId,
      portalId: event.portalId,
      stageId: event.propertyValue?.trim() || null,
      occurredAt: new Date(event.occurredAt),
      eventId: event.eventId ?? null,
    };
    const previous = latest.get(change.dealId);
    if (!previous || previous.occurredAt.getTime() <= change.occurredAt.getTime()) {
      latest.set(change.dealId, change);
    }
  });

  const changes = [...latest.values()];
  return {
    portalId: changes[0]?.portalId ?? null,
    lostDealIds: changes.filter((c) => c.stageId !== null && lostStages.has(c.stageId)).map((c) => c.dealId),
    reopenedDealIds: changes.filter((c) => c.stageId === null || !lostStages.has(c.stageId)).map((c) => c.dealId),
    changes,
  };
}

// ---------------------------------------------------------------------------------------------
// CRM API client
// ---------------------------------------------------------------------------------------------

export const ZHubSpotDeal = z.object({
  id: z.string().regex(/^\d+$/),
  properties: z.record(z.string(), z.string().nullable()),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  archived: z.boolean().optional(),
});
export type THubSpotDeal = z.infer<typeof ZHubSpotDeal>;

export const ZHubSpotOwner = z.object({
  id: z.string(),
  email: z.string().nullable().optional(),
  firstName: z.string().nullable().optional(),
  lastName: z.string().nullable().optional(),
  userId: z.number().nullable().optional(),
  archived: z.boolean().optional(),
});
export type THubSpotOwner = z.infer<typeof ZHubSpotOwner>;

const ZHubSpotErrorBody = z.looseObject({
  message: z.string().optional(),
  category: z.string().optional(),
  correlationId: z.string().optional(),
});

export const HUBSPOT_DEAL_PROPERTIES = [
  'dealname',
  'amount',
  'deal_currency_code',
  'hubspot_owner_id',
  'closed_lost_reason',
  'closedate',
  'dealstage',
] as const;

export class HubSpotApiError extends Error {
  override readonly name = 'HubSpotApiError';

  /** status is null when no HTTP response arrived (network failure). */
  constructor(
    readonly status: number | null,
    message: string,
  ) {
    super(message);
  }
}

export type THubSpotClientOptions = {
  accessToken: string;
  apiUrl?: string;
  fetch?: typeof globalThis.fetch;
  /** Retries after the first attempt, for 429, 5xx and network errors. */
  retries?: number;
  sleep?: (ms: number) => Promise<void>;
  /** First backoff delay; doubles on each retry. */
  baseDelayMs?: number;
  /** Upper bound for any single wait, including a Retry-After HubSpot asks for. */
  maxDelayMs?: number;
};

export type THubSpotClient = {
  fetchDeal(dealId: string, options?: { competitorProperty?: string }): Promise<THubSpotDeal>;
  /** Null when HubSpot has no such active owner (e.g. the rep was deactivated). */
  fetchOwner(ownerId: string): Promise<THubSpotOwner | null>;
};

const PROPERTY_NAME = /^[A-Za-z0-9_]{1,100}$/;

/** Seconds form only; an HTTP-date Retry-After falls back to the exponential backoff. */
function retryAfterMs(response: Response): number | null {
  const header = response.headers.get('retry-after')?.trim();
  if (!header || !/^\d+(\.\d+)?$/.test(header)) return null;
  return Math.round(Number(header) * 1000);
}

function describeFailure(method: string, path: string, status: number, text: string): string {
  let detail = '';
  try {
    const body = ZHubSpotErrorBody.safeParse(JSON.parse(text));
    if (body.success) {
      const parts = [body.data.category, body.data.message?.slice(0, 300)].filter(Boolean);
      if (parts.length > 0) detail = `: ${parts.join(' - ')}`;
      if (body.data.correlationId) detail += ` (correlationId ${body.data.correlationId})`;
    }
  } catch {
    // Not JSON: the status alone has to do.
  }
  const hint =
    status === 401
      ? ' (check HUBSPOT_ACCESS_TOKEN)'
      : status === 403
        ? ' (the private app needs the crm.objects.deals.read and crm.objects.owners.read scopes)'
        : '';
  return `HubSpot ${method} ${path} failed with ${status}${detail}${hint}`;
}

export function createHubSpotClient(options: THubSpotClientOptions): THubSpotClient {
  assertConfigured(options.accessToken, 'HUBSPOT_ACCESS_TOKEN');
  const apiUrl = (options.apiUrl ?? 'https://api.hubapi.com').replace(/\/+$/, '');
  const fetchFn = options.fetch ?? globalThis.fetch;
  const retries = Math.max(0, options.retries ?? 3);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const baseDelayMs = options.baseDelayMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 30_000;

  /** Returns the parsed JSON of a 2xx response, or null for a 404 when allowNotFound is set. */
  async function getJson(path: string, allowNotFound: boolean): Promise<unknown> {
    for (let attempt = 0; ; attempt += 1) {
      const backoff = Math.min(baseDelayMs * 2 ** attempt, maxDelayMs);
      let response: Response;
      try {
        response = await fetchFn(`${apiUrl}${path}`, {
          method: 'GET',
          headers: { authorization: `Bearer ${options.accessToken}`, accept: 'application/json' },
        });
      } catch (error) {
        if (attempt < retries) {
          await sleep(backoff);
          continue;
        }
        const reason = error instanceof Error ? error.message : 'unknown error';
        throw new HubSpotApiError(null, `HubSpot GET ${path} failed: ${reason}`);
      }

      if (response.ok) {
        try {
          return (await response.json());
        } catch {
          throw new HubSpotApiError(response.status, `HubSpot GET ${path} returned a body that is not JSON`);
        }
      }
      const text = await response.text().catch(() => '');
      if (allowNotFound && response.status === 404) return null;
      const retryable = response.status === 429 || response.status >= 500;
      if (retryable && attempt < retries) {
        await sleep(Math.min(retryAfterMs(response) ?? backoff, maxDelayMs));
        continue;
      }
      throw new HubSpotApiError(response.status, describeFailure('GET', path, response.status, text));
    }
  }

  function parseResponse<T extends z.ZodType>(schema: T, body: unknown, path: string): z.output<T> {
    const result = schema.safeParse(body);
    if (!result.success) {
      throw new HubSpotApiError(200, `HubSpot GET ${path} returned an unexpected shape`);
    }
    return result.data;
  }

  return {
    async fetchDeal(dealId, fetchOptions = {}) {
      if (!/^\d+$/.test(dealId)) throw new HubSpotApiError(null, 'HubSpot deal id must be numeric');
      const properties: string[] = [...HUBSPOT_DEAL_PROPERTIES];
      const competitor = fetchOptions.competitorProperty?.trim();
      if (competitor) {
        if (!PROPERTY_NAME.test(competitor)) {
          throw new HubSpotApiError(null, 'HUBSPOT_COMPETITOR_PROPERTY must be a property internal name');
        }
        if (!properties.includes(competitor)) properties.push(competitor);
      }
      const path = `/crm/v3/objects/deals/${dealId}?properties=${properties.join(',')}`;
      return parseResponse(ZHubSpotDeal, await getJson(path, false), path);
    },

    async fetchOwner(ownerId) {
      if (!/^\d+$/.test(ownerId)) throw new HubSpotApiError(null, 'HubSpot owner id must be numeric');
      const path = `/crm/v3/owners/${ownerId}`;
      const body = await getJson(path, true);
      return body === null ? null : parseResponse(ZHubSpotOwner, body, path);
    },
  };
}

/** The deal may have moved on between the webhook and the fetch; check before opening a retro. */
export function isHubSpotDealLost(deal: THubSpotDeal, lostStageIds: readonly string[]): boolean {
  const stage = deal.properties.dealstage?.trim();
  return stage !== undefined && stage !== '' && lostStageIds.includes(stage);
}

export type THubSpotDealToLostDealOptions = {
  portalId: string;
  competitorProperty?: string;
  appUrl?: string;
  /** When the deal moved into the lost stage (the webhook's occurredAt); preferred to closedate. */
  lostAt?: Date;
};

export function hubSpotDealToLostDeal(
  deal: THubSpotDeal,
  owner: THubSpotOwner | null,
  options: THubSpotDealToLostDealOptions,
): TLostDeal {
  const appUrl = (options.appUrl ?? 'https://app.hubspot.com').replace(/\/+$/, '');
  const props = deal.properties;
  const ownerName = [owner?.firstName?.trim(), owner?.lastName?.trim()].filter(Boolean).join(' ');
  const competitorProperty = options.competitorProperty?.trim();
  // The last fallback is "now" only in theory: v3 responses always carry updatedAt.
  const lostAt = options.lostAt ?? parseCrmDate(props.closedate) ?? parseCrmDate(deal.updatedAt) ?? new Date();

  return buildLostDeal({
    source: 'hubspot',
    externalId: deal.id,
    name: props.dealname,
    amount: props.amount,
    // Deals in the account's company currency leave deal_currency_code empty; the lead may fill
    // it from account settings, but guessing here would mislabel multi-currency accounts.
    currency: props.deal_currency_code,
    ownerEmail: owner?.email,
    ownerName,
    competitor: competitorProperty ? props[competitorProperty] : null,
    lossReason: props.closed_lost_reason,
    crmUrl: /^\d+$/.test(options.portalId) ? `${appUrl}/contacts/${options.portalId}/record/0-3/${deal.id}` : null,
    lostAt,
  });
}
