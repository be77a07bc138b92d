import { z } from 'zod';
import { crmRecordFromUrl } from './recordUrl';
import { buildLostDeal, bodyText, parseCrmDate, parseJson, parseWith } from './normalise';
import { assertConfigured, assertFreshTimestamp, hmacSha256, timingSafeEqualString, toBuffer } from './signatures';
import { IntakeError, type TIntakeResult, type TRawBody } from './types';

export const GENERIC_SIGNATURE_HEADER = 'X-Debrief-Signature';
export const GENERIC_TIMESTAMP_HEADER = 'X-Debrief-Timestamp';

const nonBlank = (max: number) => z.string().min(1).max(max).regex(/\S/, 'must not be blank');

/**
 * The generic webhook body. docs/generic-webhook.schema.json is generated from this schema
 * (npx tsx src/crm/writeGenericWebhookSchema.ts) and a test fails when the two drift apart.
 * Unknown keys are rejected so that a misspelt optional field is reported, not silently lost.
 */
export const ZGenericWebhook = z
  .strictObject({
    dealId: nonBlank(255).describe("The deal's id in your system; repeat deliveries with the same id are the same deal."),
    name: nonBlank(255).describe('Deal name shown in the retro thread.'),
    amount: z
      .union([
        z.string().regex(/^\d{1,14}(\.\d{1,2})?$/, 'must be a non-negative decimal with at most two decimals'),
        z.number().nonnegative().lt(1e14),
      ])
      .nullable()
      .optional()
      .describe('Deal value, e.g. "12500.00" or 12500. Numbers are rounded to cents.'),
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO 4217 code')
      .nullable()
      .optional()
      .describe('ISO 4217 code, e.g. "EUR".'),
    ownerEmail: z.email().max(320).nullable().optional().describe("Deal owner's e-mail; Debrief finds their Slack user by it."),
    ownerName: nonBlank(200).nullable().optional(),
    competitor: nonBlank(255).nullable().optional().describe('Who won the deal, if known.'),
    reason: nonBlank(2000).nullable().optional().describe('Loss reason as recorded in your system.'),
    crmUrl: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .regex(/^https?:\/\//i, 'must be an http(s) URL')
      .nullable()
      .optional()
      .describe('Link back to the deal.'),
    lostAt: z.iso
      .datetime({ offset: true })
      .nullable()
      .optional()
      .describe('ISO 8601 date-time with Z or an offset; defaults to the time of delivery.'),
    status: z
      .enum(['lost', 'reopened'])
      .optional()
      .describe('"lost" (default) opens a retro; "reopened" marks the retro of a deal that is no longer lost.'),
  })
  .meta({
    title: 'Debrief generic CRM webhook',
    description:
      'POST /webhooks/generic. Sign with HMAC-SHA256 over `${timestamp}.${body}`: headers X-Debrief-Timestamp (unix seconds) and X-Debrief-Signature: v1=<hex>.',
  });
export type TGenericWebhook = z.infer<typeof ZGenericWebhook>;

/** The JSON Schema published at docs/generic-webhook.schema.json. */
export function genericWebhookJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ZGenericWebhook, { target: 'draft-2020-12', io: 'input' });
}

function signatureHex(secret: string, timestamp: string, rawBody: TRawBody): string {
  return hmacSha256(secret, [timestamp, '.', toBuffer(rawBody)]).toString('hex');
}

/** The X-Debrief-Signature value for a body; for senders' tests and the docs' examples. */
export function signGenericWebhook(secret: string, timestamp: string, rawBody: TRawBody): string {
  return `v1=${signatureHex(secret, timestamp, rawBody)}`;
}

export type TVerifyGenericSignatureInput = {
  /** WEBHOOK_SIGNING_SECRET; several are accepted while a secret is being rotated. */
  secret: string | readonly string[];
  rawBody: TRawBody;
  /** The X-Debrief-Signature header. */
  signature: string | undefined;
  /** The X-Debrief-Timestamp header (unix seconds). */
  timestamp: string | undefined;
  now?: Date;
};

/**
 * Verifies X-Debrief-Signature: v1=<hex HMAC-SHA256(secret, `${timestamp}.${rawBody}`)>. The
 * header may list several comma-separated v1= values (a sender mid-rotation signs with both).
 */
export function verifyGenericSignature(input: TVerifyGenericSignatureInput): void {
  const secrets = (typeof input.secret === 'string' ? [input.secret] : [...input.secret]).filter((s) => s.trim() !== '');
  if (secrets.length === 0) assertConfigured('', 'WEBHOOK_SIGNING_SECRET');
  const header = input.signature?.trim();
  if (!header) throw new IntakeError(401, `missing ${GENERIC_SIGNATURE_HEADER} header`);
  const timestamp = input.timestamp?.trim();
  if (!timestamp) throw new IntakeError(401, `missing ${GENERIC_TIMESTAMP_HEADER} header`);
  if (!/^\d{1,12}$/.test(timestamp)) throw new IntakeError(401, `${GENERIC_TIMESTAMP_HEADER} is not unix seconds`);
  assertFreshTimestamp(Number(timestamp) * 1000, (input.now ?? new Date()).getTime(), GENERIC_TIMESTAMP_HEADER);

  const provided = header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .map((part) => part.slice(3).toLowerCase());
  if (provided.length === 0) throw new IntakeError(401, `${GENERIC_SIGNATURE_HEADER} has no v1= signature`);

  let matched = false;
  // Every pair is compared, without stopping early, so timing says nothing about which matched.
  for (const secret of secrets) {
    const expected = signatureHex(secret, timestamp, input.rawBody);
    for (const candidate of provided) {
      if (timingSafeEqualString(candidate, expected)) matched = true;
    }
  }
  if (!matched) throw new IntakeError(401, `${GENERIC_SIGNATURE_HEADER} does not match the body and timestamp`);
}

export function parseGenericWebhook(rawBody: TRawBody, options: { now?: Date; maxBytes?: number } = {}): TIntakeResult {
  const body = parseWith(ZGenericWebhook, parseJson(bodyText(rawBody, options.maxBytes), 'generic webhook'), 'generic webhook');
  const dealId = body.dealId.trim();
  if (body.status === 'reopened') {
    // A loss sent with a HubSpot, Salesforce or Pipedrive link is filed under that CRM's deal
    // (see withCrmIdentity), so its reopen must be too.
    const record = body.crmUrl ? crmRecordFromUrl(body.crmUrl) : null;
    return record
      ? { kind: 'reopened', source: record.source, externalIds: [record.externalId] }
      : { kind: 'reopened', source: 'generic', externalIds: [dealId] };
  }
  return {
    kind: 'lost',
    deals: [
      buildLostDeal({
        source: 'generic',
        externalId: dealId,
        name: body.name,
        amount: body.amount,
        currency: body.currency,
        ownerEmail: body.ownerEmail,
        ownerName: body.ownerName,
        competitor: body.competitor,
        lossReason: body.reason,
        crmUrl: body.crmUrl,
        lostAt: parseCrmDate(body.lostAt) ?? options.now ?? new Date(),
      }),
    ],
  };
}
