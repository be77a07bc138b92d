import type { TDealSource } from '../domain/lostDeal';
import { SALESFORCE_HOST } from './salesforce';

// A deal logged by hand with a link to its CRM record is the same deal the CRM's webhook reports.
// Reading the CRM's id out of the link lets both land on one deal row, and so on one retro.

export type TCrmRecord = { source: Exclude<TDealSource, 'manual' | 'generic'>; externalId: string };

const HUBSPOT_APP_HOST = /^app(-[a-z0-9]+)?\.hubspot\.com$/i;
// /contacts/{portal}/record/0-3/{deal} is today's record page (0-3 is the deal object type);
// /contacts/{portal}/deal/{deal} is the older form, still in bookmarks and notes.
const HUBSPOT_DEAL_PATH = /^\/contacts\/\d+\/(?:record\/0-3|deal)\/(\d+)(?:\/|$)/;

const PIPEDRIVE_HOST = /^[a-z0-9-]+\.pipedrive\.com$/i;
const PIPEDRIVE_DEAL_PATH = /^\/deal\/(\d+)(?:\/|$)/;

// Opportunity ids always begin with the key prefix 006; other records (accounts, contacts)
// have links of the same shape and must not be taken for a deal.
const SALESFORCE_OPPORTUNITY_ID = '(006[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?)';
const SALESFORCE_LIGHTNING_PATH = new RegExp(`^/lightning/r/(?:Opportunity/)?${SALESFORCE_OPPORTUNITY_ID}(?:/|$)`);
const SALESFORCE_CLASSIC_PATH = new RegExp(`^/${SALESFORCE_OPPORTUNITY_ID}(?:/|$)`);

const SALESFORCE_SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/**
 * Salesforce shows a record's id in 15 case-sensitive characters (Classic links, reports) or 18
 * (the API, Lightning links, Outbound Messages). The 18-character form appends a checksum of the
 * letter case, so one record always has one 18-character id; 15-character ids are extended to it.
 */
export function salesforceId18(id: string): string {
  if (!/^[A-Za-z0-9]{15}$/.test(id)) return id;
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let bits = 0;
    for (let i = 0; i < 5; i += 1) {
      const char = id.charAt(chunk * 5 + i);
      if (char >= 'A' && char <= 'Z') bits |= 1 << i;
    }
    suffix += SALESFORCE_SUFFIX_CHARS.charAt(bits);
  }
  return id + suffix;
}

/** The one form of a CRM's deal id that Debrief stores, whichever way the id arrived. */
export function canonicalExternalId(source: TDealSource, externalId: string): string {
  return source === 'salesforce' ? salesforceId18(externalId) : externalId;
}

/**
 * The CRM deal a record link points to, or null for any other link (another CRM, a list view,
 * a non-deal record). Only https links on the CRMs' own hosts count.
 */
export function crmRecordFromUrl(url: string): TCrmRecord | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:') return null;
  const host = parsed.hostname;
  const path = parsed.pathname;

  if (HUBSPOT_APP_HOST.test(host)) {
    const dealId = HUBSPOT_DEAL_PATH.exec(path)?.[1];
    return dealId ? { source: 'hubspot', externalId: dealId } : null;
  }
  if (PIPEDRIVE_HOST.test(host)) {
    const dealId = PIPEDRIVE_DEAL_PATH.exec(path)?.[1];
    return dealId ? { source: 'pipedrive', externalId: dealId } : null;
  }
  if (SALESFORCE_HOST.test(host)) {
    const id = SALESFORCE_LIGHTNING_PATH.exec(path)?.[1] ?? SALESFORCE_CLASSIC_PATH.exec(path)?.[1];
    return id ? { source: 'salesforce', externalId: salesforceId18(id) } : null;
  }
  return null;
}

/**
 * The identity a loss is stored under, so that every report of one CRM deal lands on one deal
 * row: a CRM's id in its one stored form, and a hand-logged or generic-webhook loss whose link
 * points at a HubSpot, Salesforce or Pipedrive deal under that CRM's id. Anything else keeps
 * the identity it came with.
 */
export function withCrmIdentity<T extends { source: TDealSource; externalId: string; crmUrl: string | null }>(deal: T): T {
  if (deal.source === 'manual' || deal.source === 'generic') {
    const record = deal.crmUrl === null ? null : crmRecordFromUrl(deal.crmUrl);
    return record ? { ...deal, source: record.source, externalId: record.externalId } : deal;
  }
  const externalId = canonicalExternalId(deal.source, deal.externalId);
  return externalId === deal.externalId ? deal : { ...deal, externalId };
}
