import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ZGenericWebhook,
  genericWebhookJsonSchema,
  parseGenericWebhook,
  signGenericWebhook,
  verifyGenericSignature,
  type TVerifyGenericSignatureInput,
} from '../../../src/crm/generic';
import { IntakeError } from '../../../src/crm/types';
import { z } from 'zod';
import { ZJsonObject, fixture, fixtureObject, messageOf, thrown } from './fixtures';

const SECRET = 'whsec-debrief-2b7f91';
const NOW = new Date('2025-11-20T10:16:00Z');
const body = fixture('generic-lost.json');

describe('verifyGenericSignature', () => {
  const timestamp = String(Math.floor(NOW.getTime() / 1000) - 30);
  const hex = createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex');
  const input = (overrides: Partial<TVerifyGenericSignatureInput> = {}): TVerifyGenericSignatureInput => ({
    secret: SECRET,
    rawBody: body,
    signature: `v1=${hex}`,
    timestamp,
    now: NOW,
    ...overrides,
  });
  const rejection = (overrides: Partial<TVerifyGenericSignatureInput>) => {
    const error = thrown(() => verifyGenericSignature(input(overrides)));
    expect(error).toBeInstanceOf(IntakeError);
    expect(error).toMatchObject({ status: 401 });
    expect(messageOf(error)).not.toContain(SECRET);
    return messageOf(error);
  };

  it('accepts a valid signature and matches signGenericWebhook', () => {
    expect(signGenericWebhook(SECRET, timestamp, body)).toBe(`v1=${hex}`);
    expect(() => verifyGenericSignature(input())).not.toThrow();
    expect(() => verifyGenericSignature(input({ rawBody: Buffer.from(body), signature: `v1=${hex.toUpperCase()}` }))).not.toThrow();
  });

  it('accepts any of several signatures and any of several secrets (rotation)', () => {
    expect(() => verifyGenericSignature(input({ signature: `v1=${'0'.repeat(64)}, v1=${hex}` }))).not.toThrow();
    expect(() => verifyGenericSignature(input({ secret: ['old-secret', SECRET] }))).not.toThrow();
  });

  it('rejects a wrong secret and a tampered body', () => {
    expect(rejection({ secret: 'old-secret' })).toContain('does not match');
    expect(rejection({ rawBody: body.replace('48000.00', '1.00') })).toContain('does not match');
  });

  it('rejects stale and future timestamps', () => {
    const stale = String(Math.floor(NOW.getTime() / 1000) - 301);
    expect(rejection({ timestamp: stale, signature: signGenericWebhook(SECRET, stale, body) })).toContain('older than 5 minutes');
    const future = String(Math.floor(NOW.getTime() / 1000) + 600);
    expect(rejection({ timestamp: future, signature: signGenericWebhook(SECRET, future, body) })).toContain('future');
  });

  it('rejects a signature over another timestamp', () => {
    expect(rejection({ timestamp: String(Number(timestamp) + 1) })).toContain('does not match');
  });

  it('names missing and malformed headers', () => {
    expect(rejection({ signature: undefined })).toBe('missing X-Debrief-Signature header');
    expect(rejection({ timestamp: undefined })).toBe('missing X-Debrief-Timestamp header');
    expect(rejection({ timestamp: '2025-11-20T10:16:00Z' })).toContain('not unix seconds');
    expect(rejection({ signature: hex })).toContain('no v1= signature');
  });

  it('refuses to run without a secret', () => {
    expect(thrown(() => verifyGenericSignature(input({ secret: '' })))).not.toBeInstanceOf(IntakeError);
    expect(thrown(() => verifyGenericSignature(input({ secret: [] })))).not.toBeInstanceOf(IntakeError);
  });
});

describe('parseGenericWebhook', () => {
  const withBody = (changes: Record<string, unknown>) => JSON.stringify({ ...fixtureObject('generic-lost.json'), ...changes });

  it('turns the documented body into a lost deal', () => {
    expect(parseGenericWebhook(body, { now: NOW })).toEqual({
      kind: 'lost',
      deals: [
        {
          source: 'generic',
          externalId: 'OPP-2025-0415',
          name: 'Northwind platform renewal',
          amount: '48000.00',
          currency: 'EUR',
          owner: { email: 'dana.reyes@northwind.example', name: 'Dana Reyes' },
          competitor: 'Globex',
          lossReason: 'Chose a cheaper vendor after the pilot',
          crmUrl: 'https://crm.northwind.example/deals/OPP-2025-0415',
          lostAt: new Date('2025-11-20T10:15:01Z'),
        },
      ],
    });
  });

  it('needs only dealId and name, defaulting lostAt to now', () => {
    expect(parseGenericWebhook('{"dealId":"7","name":"Tiny","amount":1999.5,"currency":null}', { now: NOW })).toEqual({
      kind: 'lost',
      deals: [
        {
          source: 'generic',
          externalId: '7',
          name: 'Tiny',
          amount: '1999.5',
          currency: null,
          owner: {},
          competitor: null,
          lossReason: null,
          crmUrl: null,
          lostAt: NOW,
        },
      ],
    });
  });

  it('reports status "reopened"', () => {
    expect(parseGenericWebhook(withBody({ status: 'reopened' }))).toEqual({ kind: 'reopened', source: 'generic', externalIds: ['OPP-2025-0415'] });
  });

  it('reports the reopen of a deal sent with a CRM record link under that CRM, as its loss was', () => {
    const crmUrl = 'https://northwind.pipedrive.com/deal/1045';
    expect(parseGenericWebhook(withBody({ status: 'reopened', crmUrl }))).toEqual({ kind: 'reopened', source: 'pipedrive', externalIds: ['1045'] });
  });

  it.each([
    ['malformed JSON', '{"dealId":', 'not valid JSON'],
    ['a misspelt field', withBody({ ownerEmial: 'x@y.z' }), 'ownerEmial'],
    ['a bad e-mail', withBody({ ownerEmail: 'dana' }), 'ownerEmail'],
    ['a local lostAt', withBody({ lostAt: '2025-11-20 10:15' }), 'lostAt'],
    ['a three-decimal amount', withBody({ amount: '1.234' }), 'amount'],
    ['an unknown status', withBody({ status: 'won' }), 'status'],
    ['a javascript: link', withBody({ crmUrl: 'javascript:alert(1)' }), 'crmUrl'],
    ['an array', '[]', '(root)'],
  ])('rejects %s with 400', (_label, raw, text) => {
    const error = thrown(() => parseGenericWebhook(raw));
    expect(error).toBeInstanceOf(IntakeError);
    expect(error).toMatchObject({ status: 400 });
    expect(messageOf(error)).toContain(text);
  });
});

// ---------------------------------------------------------------------------------------------
// The published JSON Schema must say what the zod schema enforces.

type TSchema = {
  type?: string | undefined;
  anyOf?: TSchema[] | undefined;
  enum?: unknown[] | undefined;
  pattern?: string | undefined;
  minLength?: number | undefined;
  maxLength?: number | undefined;
  minimum?: number | undefined;
  exclusiveMaximum?: number | undefined;
  properties?: Record<string, TSchema> | undefined;
  required?: string[] | undefined;
  additionalProperties?: boolean | undefined;
};

// Keywords outside this list (description, format, title) do not constrain validation here.
const ZSchema: z.ZodType<TSchema> = z.lazy(() =>
  z.object({
    type: z.string().optional(),
    anyOf: z.array(ZSchema).optional(),
    enum: z.array(z.unknown()).optional(),
    pattern: z.string().optional(),
    minLength: z.number().optional(),
    maxLength: z.number().optional(),
    minimum: z.number().optional(),
    exclusiveMaximum: z.number().optional(),
    properties: z.record(z.string(), ZSchema).optional(),
    required: z.array(z.string()).optional(),
    additionalProperties: z.boolean().optional(),
  }),
);

/** Just enough of JSON Schema 2020-12 for the keywords the published schema uses. */
function conforms(schema: TSchema, value: unknown): boolean {
  if (schema.anyOf && !schema.anyOf.some((option) => conforms(option, value))) return false;
  if (schema.enum && !schema.enum.includes(value)) return false;
  switch (schema.type) {
    case undefined:
      break;
    case 'null':
      if (value !== null) return false;
      break;
    case 'string':
      if (typeof value !== 'string') return false;
      if (schema.minLength !== undefined && [...value].length < schema.minLength) return false;
      if (schema.maxLength !== undefined && [...value].length > schema.maxLength) return false;
      if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) return false;
      break;
    case 'number':
      if (typeof value !== 'number') return false;
      if (schema.minimum !== undefined && value < schema.minimum) return false;
      if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) return false;
      break;
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
      const record = ZJsonObject.parse(value);
      if ((schema.required ?? []).some((key) => !(key in record))) return false;
      for (const [key, child] of Object.entries(record)) {
        const property = schema.properties?.[key];
        if (property === undefined) {
          if (schema.additionalProperties === false) return false;
        } else if (!conforms(property, child)) {
          return false;
        }
      }
      break;
    }
    default:
      throw new Error(`the test validator does not know type ${schema.type}`);
  }
  return true;
}

describe('docs/generic-webhook.schema.json', () => {
  const text = readFileSync(join(__dirname, '../../../docs/generic-webhook.schema.json'), 'utf8');
  const raw = ZJsonObject.parse(JSON.parse(text));
  const published = ZSchema.parse(raw);

  it('is what the zod schema generates (run npx tsx src/crm/writeGenericWebhookSchema.ts after changing it)', () => {
    expect(raw).toEqual(genericWebhookJsonSchema());
  });

  it('is draft 2020-12 with the same properties and required keys as the zod schema', () => {
    expect(raw.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(published.properties ?? {}).sort()).toEqual(Object.keys(ZGenericWebhook.shape).sort());
    const requiredInZod = Object.entries(ZGenericWebhook.shape)
      .filter(([, field]) => !field.safeParse(undefined).success)
      .map(([key]) => key);
    expect([...(published.required ?? [])].sort()).toEqual(requiredInZod.sort());
    expect(published.additionalProperties).toBe(false);
  });

  const valid = fixtureObject('generic-lost.json');
  it.each<[string, unknown]>([
    ['the documented example', valid],
    ['the minimum', { dealId: '1', name: 'A' }],
    ['nulls for optional fields', { dealId: '1', name: 'A', amount: null, ownerEmail: null, lostAt: null }],
    ['a numeric amount and an offset date', { dealId: '1', name: 'A', amount: 10.5, lostAt: '2025-11-20T12:00:00+02:00' }],
    ['a reopen', { dealId: '1', name: 'A', status: 'reopened' }],
    ['a missing name', { dealId: '1' }],
    ['a blank dealId', { dealId: '   ', name: 'A' }],
    ['an unknown key', { dealId: '1', name: 'A', stage: 'lost' }],
    ['a negative amount', { dealId: '1', name: 'A', amount: -1 }],
    ['a string amount with three decimals', { dealId: '1', name: 'A', amount: '1.234' }],
    ['a four-letter currency', { dealId: '1', name: 'A', currency: 'EURO' }],
    ['a bad e-mail', { dealId: '1', name: 'A', ownerEmail: 'dana@' }],
    ['an ftp link', { dealId: '1', name: 'A', crmUrl: 'ftp://crm.example.com/1' }],
    ['a date without offset', { dealId: '1', name: 'A', lostAt: '2025-11-20T10:15:01' }],
    ['an unknown status', { dealId: '1', name: 'A', status: 'won' }],
    ['a number for the name', { dealId: '1', name: 42 }],
    ['an array', [valid]],
  ])('zod and the JSON Schema agree on %s', (_label, example) => {
    expect(conforms(published, example)).toBe(ZGenericWebhook.safeParse(example).success);
  });
});
