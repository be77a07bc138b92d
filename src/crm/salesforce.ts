import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import type { TLostDeal } from '../domain/lostDeal';
import { buildLostDeal, bodyText, parseCrmDate, parseJson, parseWith } from './normalise';
import { assertConfigured, getHeader, timingSafeEqualString } from './signatures';
import { IntakeError, type THeaders, type TIntakeResult, type TRawBody } from './types';

export const SALESFORCE_DEFAULT_LOST_STAGES = ['Closed Lost'] as const;
export const SALESFORCE_FLOW_SECRET_HEADER = 'X-Debrief-Secret';
/** Salesforce reads the acknowledgement as SOAP; the route must answer with this content type. */
export const SALESFORCE_ACK_CONTENT_TYPE = 'text/xml; charset=utf-8';

/**
 * The acknowledgement an Outbound Message endpoint must return. Anything else (or Ack false)
 * makes Salesforce queue the message and retry it for up to 24 hours.
 */
export function salesforceAck(ack = true): string {
  return (
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">' +
    '<soapenv:Body>' +
    '<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound">' +
    `<Ack>${ack ? 'true' : 'false'}</Ack>` +
    '</notificationsResponse>' +
    '</soapenv:Body>' +
    '</soapenv:Envelope>'
  );
}

/** API names of the Opportunity fields Debrief reads beyond the standard ones. */
export type TSalesforceFieldNames = {
  /** Outbound Messages cannot follow Owner.Email, hence a formula field (Text: Owner.Email). */
  ownerEmail: string;
  /** Formula field (Text: Owner.FirstName & " " & Owner.LastName). */
  ownerName: string;
  lossReason: string;
  competitor: string;
};

export const SALESFORCE_DEFAULT_FIELDS: TSalesforceFieldNames = {
  ownerEmail: 'Owner_Email__c',
  ownerName: 'Owner_Name__c',
  lossReason: 'Loss_Reason__c',
  competitor: 'Competitor__c',
};

const ORG_ID = /^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/;
const RECORD_ID = /^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/;
// Hosts Salesforce serves orgs from; a link to anywhere else in a Slack thread would be a
// phishing vector for whoever knows (or guesses) the org id.
export const SALESFORCE_HOST = /(^|\.)(salesforce\.com|force\.com|cloudforce\.com|salesforce\.mil)$/i;

/** Compares the case-sensitive 15-character form, which both the 15- and 18-character ids begin with. */
function sameOrg(received: string, configured: string): boolean {
  return ORG_ID.test(received) && timingSafeEqualString(received.slice(0, 15), configured.slice(0, 15));
}

function assertOrgIdConfigured(orgId: string): void {
  assertConfigured(orgId, 'SALESFORCE_ORG_ID');
  if (!ORG_ID.test(orgId.trim())) {
    throw new Error('SALESFORCE_ORG_ID must be a 15- or 18-character organisation id');
  }
}

function recordUrl(base: string | null, opportunityId: string): string | null {
  return base === null ? null : `${base}/lightning/r/Opportunity/${opportunityId}/view`;
}

function originOf(url: string | null | undefined, requireSalesforceHost: boolean): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:') return null;
    if (requireSalesforceHost && !SALESFORCE_HOST.test(parsed.hostname)) return null;
    return parsed.origin;
  } catch {
    return null;
  }
}

type TOpportunityState = { isClosed: boolean | null; isWon: boolean | null; stageName: string | null };

function isLost(state: TOpportunityState, lostStages: ReadonlySet<string>): boolean {
  if (state.isWon === true) return false;
  if (state.isClosed === true && state.isWon === false) return true;
  return state.stageName !== null && lostStages.has(state.stageName);
}

function hasState(state: TOpportunityState): boolean {
  return state.isClosed !== null || state.stageName !== null;
}

function stageSet(names: readonly string[] | undefined): ReadonlySet<string> {
  return new Set((names ?? SALESFORCE_DEFAULT_LOST_STAGES).map((name) => name.trim()).filter((name) => name !== ''));
}

// ---------------------------------------------------------------------------------------------
// Outbound Message (SOAP)
// ---------------------------------------------------------------------------------------------

const NOTIFICATION_PATH = 'Envelope.Body.notifications.Notification';

const xmlParser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Ids and amounts must stay text: "006..." ids and "1.0E5" amounts are not numbers to us.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (_tagName, jPath) => typeof jPath === 'string' && jPath === NOTIFICATION_PATH,
});

/** A leaf is text, text with attributes, or an xsi:nil element; all become string or null. */
const ZXmlText = z
  .union([z.string(), z.looseObject({ '#text': z.union([z.string(), z.number()]).optional() })])
  .transform((node): string | null => {
    const text = typeof node === 'string' ? node : node['#text'] === undefined ? '' : String(node['#text']);
    return text.trim() === '' ? null : text.trim();
  });

function xmlText(node: unknown): string | null {
  const result = ZXmlText.safeParse(node);
  return result.success ? result.data : null;
}

function xmlBoolean(node: unknown): boolean | null {
  const text = xmlText(node)?.toLowerCase();
  return text === 'true' ? true : text === 'false' ? false : null;
}

const ZOutboundMessage = z.object({
  Envelope: z.object({
    Body: z.object({
      notifications: z.object({
        OrganizationId: ZXmlText.pipe(z.string({ error: 'OrganizationId is required' })),
        ActionId: ZXmlText.optional(),
        SessionId: ZXmlText.optional(),
        EnterpriseUrl: ZXmlText.optional(),
        PartnerUrl: ZXmlText.optional(),
        Notification: z
          .array(
            z.object({
              Id: ZXmlText,
              sObject: z.record(z.string(), z.unknown()),
            }),
          )
          .min(1),
      }),
    }),
  }),
});

/**
 * The change that triggered the message is the loss, so its modification time is the closest
 * thing Salesforce sends to "lost at". CloseDate is a forecast that reps often leave in the
 * future, so it is only trusted when it is not.
 */
function outboundLostAt(sObject: Record<string, unknown>, now: Date): Date {
  const modified = parseCrmDate(xmlText(sObject.LastModifiedDate));
  if (modified !== null) return modified;
  const closeDate = parseCrmDate(xmlText(sObject.CloseDate));
  return closeDate !== null && closeDate.getTime() <= now.getTime() ? closeDate : now;
}

export type TSalesforceOutboundOptions = {
  orgId: string;
  lostStageNames?: readonly string[];
  /** e.g. https://acme.lightning.force.com; overrides the host taken from the message. */
  instanceUrl?: string;
  fields?: Partial<TSalesforceFieldNames>;
  /** lostAt when the message has neither LastModifiedDate nor a past CloseDate. */
  now?: Date;
  maxBytes?: number;
};

/**
 * Parses an Outbound Message. A message carries up to 100 notifications, which may mix losses
 * and other changes, so this returns one result per kind present: a 'lost' entry with every
 * lost opportunity and/or a 'reopened' entry with every opportunity that is not lost (the
 * message does not say what the stage was before, so these are candidates), or a single
 * 'ignored'. Answer salesforceAck() once all of them are stored.
 */
export function parseSalesforceOutboundMessage(xml: TRawBody, options: TSalesforceOutboundOptions): TIntakeResult[] {
  assertOrgIdConfigured(options.orgId);
  const text = bodyText(xml, options.maxBytes);
  // SOAP forbids DTDs; refusing them outright also rules out entity-expansion tricks.
  if (/<!DOCTYPE/i.test(text)) throw new IntakeError(400, 'Salesforce message must not contain a DOCTYPE');
  // The parser accepts broken XML silently, so validate first.
  if (XMLValidator.validate(text) !== true) throw new IntakeError(400, 'Salesforce message is not well-formed XML');

  let tree: unknown;
  try {
    tree = xmlParser.parse(text);
  } catch {
    throw new IntakeError(400, 'Salesforce message is not well-formed XML');
  }
  const message = parseWith(ZOutboundMessage, tree, 'Salesforce Outbound Message').Envelope.Body.notifications;

  // The org id is the only thing an Outbound Message proves about its sender; check it before
  // acting on anything else in the message.
  if (!sameOrg(message.OrganizationId, options.orgId.trim())) {
    throw new IntakeError(401, 'OrganizationId does not match SALESFORCE_ORG_ID');
  }

  const fields = { ...SALESFORCE_DEFAULT_FIELDS, ...options.fields };
  const lostStages = stageSet(options.lostStageNames);
  const base =
    originOf(options.instanceUrl, false) ??
    originOf(message.EnterpriseUrl, true) ??
    originOf(message.PartnerUrl, true);

  const lost: TLostDeal[] = [];
  const reopened: string[] = [];
  const occurredAt: Record<string, Date> = {};
  let skipped = 0;
  for (const notification of message.Notification) {
    const sObject = notification.sObject;
    const type = typeof sObject['@_type'] === 'string' ? sObject['@_type'] : '';
    const id = xmlText(sObject.Id);
    if (type.split(':').pop() !== 'Opportunity' || id === null || !RECORD_ID.test(id)) {
      skipped += 1;
      continue;
    }
    const state: TOpportunityState = {
      isClosed: xmlBoolean(sObject.IsClosed),
      isWon: xmlBoolean(sObject.IsWon),
      stageName: xmlText(sObject.StageName),
    };
    if (!hasState(state)) {
      skipped += 1;
      continue;
    }
    // LastModifiedDate is the time of the change that sent the message; Salesforce retries
    // messages out of order, so it is what orders them.
    const modified = parseCrmDate(xmlText(sObject.LastModifiedDate));
    if (modified !== null) occurredAt[id] = modified;
    if (!isLost(state, lostStages)) {
      reopened.push(id);
      continue;
    }
    lost.push(
      buildLostDeal({
        source: 'salesforce',
        externalId: id,
        name: xmlText(sObject.Name),
        amount: xmlText(sObject.Amount),
        currency: xmlText(sObject.CurrencyIsoCode),
        ownerEmail: xmlText(sObject[fields.ownerEmail]),
        ownerName: xmlText(sObject[fields.ownerName]),
        competitor: xmlText(sObject[fields.competitor]),
        lossReason: xmlText(sObject[fields.lossReason]),
        crmUrl: recordUrl(base, id),
        lostAt: outboundLostAt(sObject, options.now ?? new Date()),
      }),
    );
  }

  const results: TIntakeResult[] = [];
  const times = Object.keys(occurredAt).length > 0 ? { occurredAt } : {};
  if (lost.length > 0) results.push({ kind: 'lost', deals: lost, ...times });
  if (reopened.length > 0) results.push({ kind: 'reopened', source: 'salesforce', externalIds: reopened, ...times });
  if (results.length === 0) {
    results.push({
      kind: 'ignored',
      reason: `no Opportunity notification with a StageName or IsClosed field (${skipped} skipped)`,
    });
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// Flow HTTP callout (JSON)
// ---------------------------------------------------------------------------------------------

const ZFlowBoolean = z
  .union([z.boolean(), z.enum(['true', 'false', 'TRUE', 'FALSE', 'True', 'False'])])
  .transform((value) => (typeof value === 'boolean' ? value : value.toLowerCase() === 'true'));

const optionalText = z.string().nullable().optional();

/** The JSON body a Flow HTTP Callout sends; documented in docs/crm/salesforce.md. */
export const ZSalesforceFlowCallout = z.object({
  opportunityId: z.string().trim().regex(RECORD_ID, 'must be a 15- or 18-character Salesforce id'),
  name: z.string().trim().min(1).max(255),
  amount: z.union([z.number(), z.string()]).nullable().optional(),
  currencyIsoCode: optionalText,
  stageName: optionalText,
  /** {!$Record__Prior.StageName}: lets Debrief tell a reopen from an ordinary stage change. */
  priorStageName: optionalText,
  isClosed: ZFlowBoolean.nullable().optional(),
  isWon: ZFlowBoolean.nullable().optional(),
  closeDate: optionalText,
  /** When the loss happened; defaults to the time of the callout. */
  lostAt: optionalText,
  lossReason: optionalText,
  competitor: optionalText,
  ownerEmail: optionalText,
  ownerName: optionalText,
  recordUrl: optionalText,
});
export type TSalesforceFlowCallout = z.infer<typeof ZSalesforceFlowCallout>;

export type TSalesforceFlowOptions = {
  secret: string;
  lostStageNames?: readonly string[];
  /** Used to build the record link when the Flow sends no recordUrl. */
  instanceUrl?: string;
  now?: Date;
  maxBytes?: number;
};

export function verifySalesforceFlowSecret(headers: THeaders, secret: string): void {
  assertConfigured(secret, 'SALESFORCE_FLOW_SECRET');
  const provided = getHeader(headers, SALESFORCE_FLOW_SECRET_HEADER);
  if (provided === undefined || provided === '') {
    throw new IntakeError(401, `missing ${SALESFORCE_FLOW_SECRET_HEADER} header`);
  }
  if (!timingSafeEqualString(provided, secret)) {
    throw new IntakeError(401, `${SALESFORCE_FLOW_SECRET_HEADER} does not match SALESFORCE_FLOW_SECRET`);
  }
}

export function parseSalesforceFlowCallout(
  rawBody: TRawBody,
  headers: THeaders,
  options: TSalesforceFlowOptions,
): TIntakeResult {
  verifySalesforceFlowSecret(headers, options.secret);
  const body = parseWith(
    ZSalesforceFlowCallout,
    parseJson(bodyText(rawBody, options.maxBytes), 'Salesforce Flow'),
    'Salesforce Flow',
  );
  const lostStages = stageSet(options.lostStageNames);
  const state: TOpportunityState = {
    isClosed: body.isClosed ?? null,
    isWon: body.isWon ?? null,
    stageName: body.stageName?.trim() || null,
  };
  if (!hasState(state)) {
    return { kind: 'ignored', reason: 'the callout has neither stageName nor isClosed' };
  }

  const priorStage = body.priorStageName?.trim() || null;
  const priorWasLost = priorStage !== null && lostStages.has(priorStage);
  if (!isLost(state, lostStages)) {
    // Without the prior stage every non-lost update is a reopen candidate; with it, only a
    // move out of a lost stage is.
    if (priorStage !== null && !priorWasLost) {
      return { kind: 'ignored', reason: `stage changed from ${priorStage} to ${state.stageName ?? 'an open stage'}` };
    }
    return { kind: 'reopened', source: 'salesforce', externalIds: [body.opportunityId] };
  }
  if (priorWasLost) {
    return { kind: 'ignored', reason: 'the opportunity was already lost' };
  }

  const now = options.now ?? new Date();
  return {
    kind: 'lost',
    deals: [
      buildLostDeal({
        source: 'salesforce',
        externalId: body.opportunityId,
        name: body.name,
        amount: body.amount,
        currency: body.currencyIsoCode,
        ownerEmail: body.ownerEmail,
        ownerName: body.ownerName,
        competitor: body.competitor,
        lossReason: body.lossReason,
        crmUrl: originOf(body.recordUrl, false) ? body.recordUrl : recordUrl(originOf(options.instanceUrl, false), body.opportunityId),
        lostAt: parseCrmDate(body.lostAt) ?? now,
      }),
    ],
  };
}
