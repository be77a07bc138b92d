import { z } from 'zod';
import { buildLostDeal, bodyText, parseCrmDate, parseJson, parseWith } from './normalise';
import { assertConfigured, timingSafeEqualString } from './signatures';
import { IntakeError, type TIntakeResult, type TRawBody } from './types';

/**
 * Pipedrive signs nothing; the only authentication it offers is HTTP Basic credentials set on
 * the webhook (http_auth_user / http_auth_password). Throws IntakeError(401) otherwise.
 */
export function verifyPipedriveBasicAuth(
  authorizationHeader: string | undefined,
  credentials: { user: string; password: string },
): void {
  assertConfigured(credentials.user, 'PIPEDRIVE_WEBHOOK_USER');
  assertConfigured(credentials.password, 'PIPEDRIVE_WEBHOOK_PASSWORD');
  const header = authorizationHeader?.trim();
  if (!header) throw new IntakeError(401, 'missing Authorization header');
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (!match?.[1]) throw new IntakeError(401, 'Authorization header is not HTTP Basic');
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 0) throw new IntakeError(401, 'Authorization header has no user:password pair');
  // Both halves are always compared so the time taken does not reveal which one was wrong.
  const userOk = timingSafeEqualString(decoded.slice(0, separator), credentials.user);
  const passwordOk = timingSafeEqualString(decoded.slice(separator + 1), credentials.password);
  if (!(userOk && passwordOk)) {
    throw new IntakeError(401, 'Authorization credentials do not match the webhook\'s user name and password');
  }
}

const ZId = z.union([z.number().int(), z.string().min(1)]).transform((id) => String(id));
const ZTimestamp = z.union([z.string(), z.number()]);
const ZObject = z.record(z.string(), z.unknown());

// Webhooks v2: { meta, data, previous }, where previous holds only the fields that changed.
const ZWebhookV2 = z.object({
  meta: z.looseObject({
    action: z.string(),
    entity: z.string(),
    entity_id: ZId.optional(),
    company_id: ZId.optional(),
    host: z.string().optional(),
    timestamp: ZTimestamp.optional(),
    version: z.string().regex(/^2(\.\d+)?$/),
  }),
  data: ZObject.nullable().optional(),
  previous: ZObject.nullable().optional(),
});

// Webhooks v1: { v: 1, event: "updated.deal", meta, current, previous }, both full objects.
const ZWebhookV1 = z.object({
  event: z.string().optional(),
  meta: z.looseObject({
    action: z.string(),
    object: z.string(),
    id: ZId.optional(),
    company_id: ZId.optional(),
    host: z.string().optional(),
    timestamp: ZTimestamp.optional(),
  }),
  current: ZObject.nullable().optional(),
  previous: ZObject.nullable().optional(),
});

const ZPipedriveDeal = z.looseObject({
  id: ZId,
  title: z.string().nullable().optional(),
  value: z.union([z.number(), z.string()]).nullable().optional(),
  currency: z.string().nullable().optional(),
  status: z.string().nullable().optional(),
  lost_reason: z.string().nullable().optional(),
  lost_time: z.string().nullable().optional(),
  update_time: z.string().nullable().optional(),
  owner_id: z.unknown().optional(),
  owner_name: z.string().nullable().optional(),
  custom_fields: ZObject.nullable().optional(),
});
type TPipedriveDeal = z.infer<typeof ZPipedriveDeal>;

export type TPipedriveWebhookOptions = {
  /** "acme" for acme.pipedrive.com; the webhook's meta.host is used when this is unset. */
  companyDomain?: string;
  /**
   * Key (40-character hash) of a custom deal field holding the competitor. Only text fields
   * carry a readable value in the payload; an option field would only give its option id.
   */
  competitorFieldKey?: string;
  maxBytes?: number;
};

type TNormalisedEvent = {
  action: 'create' | 'change' | 'delete' | 'other';
  entity: string;
  host: string | null;
  timestamp: unknown;
  current: Record<string, unknown> | null;
  previous: Record<string, unknown> | null;
  version: 1 | 2;
};

// v1 used past-tense actions; v2 uses present tense. Both map to the same three.
const ACTIONS: Record<string, TNormalisedEvent['action']> = {
  create: 'create',
  added: 'create',
  change: 'change',
  updated: 'change',
  delete: 'delete',
  deleted: 'delete',
};

function normaliseEvent(body: unknown): TNormalisedEvent {
  const meta = z.object({ meta: z.looseObject({ version: z.unknown().optional(), v: z.unknown().optional() }) }).safeParse(body);
  if (!meta.success) throw new IntakeError(400, 'Pipedrive payload is malformed: meta: expected an object');
  if (typeof meta.data.meta.version === 'string' && meta.data.meta.version.startsWith('2')) {
    const event = parseWith(ZWebhookV2, body, 'Pipedrive v2');
    return {
      action: ACTIONS[event.meta.action] ?? 'other',
      entity: event.meta.entity,
      host: event.meta.host ?? null,
      timestamp: event.meta.timestamp,
      current: event.data ?? null,
      previous: event.previous ?? null,
      version: 2,
    };
  }
  const event = parseWith(ZWebhookV1, body, 'Pipedrive v1');
  return {
    action: ACTIONS[event.meta.action] ?? 'other',
    entity: event.meta.object,
    host: event.meta.host ?? null,
    timestamp: event.meta.timestamp,
    current: event.current ?? null,
    previous: event.previous ?? null,
    version: 1,
  };
}

/** v1 sends epoch seconds, v2 an ISO 8601 string (its docs also mention a 10-digit number). */
function parseMetaTimestamp(value: unknown): Date | null {
  if (typeof value === 'number') return parseCrmDate(value < 1e12 ? value * 1000 : value);
  if (typeof value === 'string' && /^\d{10}$/.test(value)) return parseCrmDate(Number(value) * 1000);
  return parseCrmDate(value);
}

function dealUrl(options: TPipedriveWebhookOptions, host: string | null, dealId: string): string | null {
  const configured = options.companyDomain?.trim().toLowerCase().replace(/\.pipedrive\.com$/, '');
  const fromHost = host?.trim().toLowerCase().match(/^([a-z0-9-]+)\.pipedrive\.com$/)?.[1];
  const domain = configured || fromHost;
  return domain && /^[a-z0-9-]+$/.test(domain) ? `https://${domain}.pipedrive.com/deal/${dealId}` : null;
}

function competitorOf(deal: TPipedriveDeal, version: 1 | 2, key: string | undefined): unknown {
  if (!key) return null;
  if (version === 1) return deal[key];
  // v2 moved custom fields into custom_fields, each as { type, value } (or { type, id } for options).
  const field = z.looseObject({ value: z.unknown().optional() }).safeParse(deal.custom_fields?.[key]);
  return field.success ? field.data.value : null;
}

/**
 * Turns a deal webhook (v1 or v2) into an intake result: lost when the status became "lost",
 * reopened when it left "lost", ignored otherwise. Pipedrive's payload has the owner's id but
 * not their e-mail, so owner is {} for v2 and { name } for v1 (which sends owner_name); the lead
 * may resolve the id through GET /v1/users/{id} if it needs the person.
 */
export function parsePipedriveWebhook(rawBody: TRawBody, options: TPipedriveWebhookOptions = {}): TIntakeResult {
  const event = normaliseEvent(parseJson(bodyText(rawBody, options.maxBytes), 'Pipedrive'));
  if (event.entity !== 'deal') return { kind: 'ignored', reason: `not a deal event (${event.entity})` };
  if (event.action === 'delete' || event.current === null) {
    return { kind: 'ignored', reason: `deal ${event.action} event` };
  }
  const deal = parseWith(ZPipedriveDeal, event.current, `Pipedrive v${event.version} deal`);
  const isLostNow = deal.status === 'lost';
  // A status key in previous means the status changed (v2 sends only changed fields; v1 sends
  // the full object, where an unchanged status equals the current one).
  const previousStatus =
    event.previous !== null && 'status' in event.previous && typeof event.previous.status === 'string'
      ? event.previous.status
      : null;

  // The event's own time orders deliveries (Pipedrive retries failed ones minutes later, after
  // newer events may have arrived); the deal's update time is the next best thing.
  const changedAt = parseMetaTimestamp(event.timestamp) ?? parseCrmDate(deal.update_time);
  const occurredAt = changedAt === null ? {} : { occurredAt: { [deal.id]: changedAt } };

  if (!isLostNow) {
    if (previousStatus === 'lost') return { kind: 'reopened', source: 'pipedrive', externalIds: [deal.id], ...occurredAt };
    return { kind: 'ignored', reason: `deal status is ${deal.status ?? 'unknown'}` };
  }
  const becameLost =
    event.action === 'create' || (previousStatus !== null && previousStatus !== 'lost');
  if (!becameLost) return { kind: 'ignored', reason: 'deal was already lost' };

  const lostAt =
    parseCrmDate(deal.lost_time) ??
    parseCrmDate(deal.update_time) ??
    parseMetaTimestamp(event.timestamp) ??
    new Date();

  return {
    kind: 'lost',
    deals: [
      buildLostDeal({
        source: 'pipedrive',
        externalId: deal.id,
        name: deal.title,
        amount: deal.value,
        currency: deal.currency,
        ownerName: deal.owner_name,
        competitor: competitorOf(deal, event.version, options.competitorFieldKey),
        lossReason: deal.lost_reason,
        crmUrl: dealUrl(options, event.host, deal.id),
        lostAt,
      }),
    ],
    ...occurredAt,
  };
}
