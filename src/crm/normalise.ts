import type { z } from 'zod';
import { ZDealOwner, ZLostDeal, type TDealOwner, type TDealSource, type TLostDeal } from '../domain/lostDeal';
import { IntakeError, type TRawBody } from './types';

/** Far above any real CRM delivery (HubSpot batches 100 events, Salesforce 100 notifications). */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

export function assertBodySize(rawBody: TRawBody, maxBytes = MAX_WEBHOOK_BODY_BYTES): void {
  const size = typeof rawBody === 'string' ? Buffer.byteLength(rawBody, 'utf8') : rawBody.length;
  if (size > maxBytes) {
    throw new IntakeError(413, `body is ${size} bytes; the limit is ${maxBytes}`);
  }
}

export function bodyText(rawBody: TRawBody, maxBytes?: number): string {
  assertBodySize(rawBody, maxBytes);
  return typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
}

/**
 * Summarises zod issues by path and message only: zod's messages describe the expected shape
 * and never quote the input, so nothing from the body (or a secret in it) reaches the error.
 */
export function describeIssues(error: z.ZodError, limit = 5): string {
  const parts = error.issues.slice(0, limit).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    return `${path}: ${issue.message}`;
  });
  const more = error.issues.length > limit ? ` (and ${error.issues.length - limit} more)` : '';
  return parts.join('; ') + more;
}

export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // JSON.parse's own message quotes the body, so it is deliberately not passed on.
    throw new IntakeError(400, `${what} body is not valid JSON`);
  }
}

export function parseWith<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new IntakeError(400, `${what} payload is malformed: ${describeIssues(result.error)}`);
  }
  return result.data;
}

const PLAIN_AMOUNT = /^\d{1,14}(\.\d{1,2})?$/;
const DECIMAL = /^\d+(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * CRMs send amounts as numbers, as strings, with more decimals ("1234.5678" from a currency field
 * with a wider scale) or in exponent form (SOAP doubles). Rounding to cents here is acceptable
 * because the amount is shown for context, not booked; an unusable amount becomes null rather
 * than rejecting the loss.
 */
export function normaliseAmount(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return null;
    text = String(value);
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return null;
  }
  if (text === '') return null;
  if (PLAIN_AMOUNT.test(text)) return text;
  if (!DECIMAL.test(text)) return null;
  const number = Number(text);
  if (!Number.isFinite(number) || number >= 1e14) return null;
  const cents = Math.round(number * 100);
  return cents % 100 === 0 ? String(cents / 100) : (cents / 100).toFixed(2);
}

export function normaliseCurrency(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const code = value.trim().toUpperCase();
  return /^[A-Z]{3}$/.test(code) ? code : null;
}

/** Trims, turns blanks into null and shortens to the column's limit instead of rejecting the deal. */
export function cleanText(value: unknown, max: number): string | null {
  if (typeof value === 'number' || typeof value === 'boolean') value = String(value);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text === '') return null;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Dates from the CRMs covered here: ISO 8601 (with or without offset; a bare offset-less
 * date-time is read as UTC, which is what Pipedrive v1's "YYYY-MM-DD HH:MM:SS" means), plain
 * dates (Salesforce CloseDate), and epoch milliseconds (HubSpot).
 */
export function parseCrmDate(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'number') {
    const date = new Date(value);
    return Number.isFinite(value) && !Number.isNaN(date.getTime()) ? date : null;
  }
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text === '') return null;
  // Epoch milliseconds as text (HubSpot date properties); ten digits would be ambiguous seconds.
  if (/^\d{12,}$/.test(text)) return parseCrmDate(Number(text));
  let iso = text;
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) iso = `${iso}T00:00:00Z`;
  else if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(iso)) iso = `${iso.replace(' ', 'T')}Z`;
  else if (!/^\d{4}-\d{2}-\d{2}T/.test(iso)) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

export type TLostDealDraft = {
  source: TDealSource;
  externalId: string;
  name: unknown;
  amount: unknown;
  currency: unknown;
  ownerEmail?: unknown;
  ownerName?: unknown;
  competitor?: unknown;
  lossReason?: unknown;
  crmUrl?: unknown;
  lostAt: Date;
};

const SOURCE_LABEL: Record<TDealSource, string> = {
  manual: 'Manual',
  hubspot: 'HubSpot',
  salesforce: 'Salesforce',
  pipedrive: 'Pipedrive',
  generic: 'CRM',
};

/**
 * Builds a TLostDeal from what a CRM sent, dropping individual fields that do not validate (a
 * malformed owner e-mail, an odd currency) so that one bad field never costs the team its retro.
 * Only a missing deal id is fatal.
 */
export function buildLostDeal(draft: TLostDealDraft): TLostDeal {
  const owner: TDealOwner = {};
  const email = ZDealOwner.shape.email.safeParse(typeof draft.ownerEmail === 'string' ? draft.ownerEmail.trim() : undefined);
  if (email.success && email.data !== undefined) owner.email = email.data;
  const ownerName = cleanText(draft.ownerName, 200);
  if (ownerName !== null) owner.name = ownerName;

  const crmUrl = ZLostDeal.shape.crmUrl.safeParse(typeof draft.crmUrl === 'string' ? draft.crmUrl.trim() : null);

  const candidate = {
    source: draft.source,
    externalId: draft.externalId,
    name: cleanText(draft.name, 255) ?? `${SOURCE_LABEL[draft.source]} deal ${draft.externalId}`.slice(0, 255),
    amount: normaliseAmount(draft.amount),
    currency: normaliseCurrency(draft.currency),
    owner,
    competitor: cleanText(draft.competitor, 255),
    lossReason: cleanText(draft.lossReason, 2000),
    crmUrl: crmUrl.success ? crmUrl.data : null,
    lostAt: draft.lostAt,
  };
  const result = ZLostDeal.safeParse(candidate);
  if (!result.success) {
    throw new IntakeError(400, `${SOURCE_LABEL[draft.source]} deal is unusable: ${describeIssues(result.error)}`);
  }
  return result.data;
}
