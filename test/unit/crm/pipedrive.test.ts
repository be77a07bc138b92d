import { parsePipedriveWebhook, verifyPipedriveBasicAuth } from '../../../src/crm/pipedrive';
import { IntakeError } from '../../../src/crm/types';
import { z } from 'zod';
import { ZJsonObject, fixture, fixtureObject, messageOf, thrown } from './fixtures';

const ZV2 = z.object({ meta: ZJsonObject, data: ZJsonObject, previous: ZJsonObject.nullable() });
const ZV1 = z.looseObject({ meta: ZJsonObject, current: ZJsonObject, previous: ZJsonObject });

const COMPETITOR_KEY = '5c6f3e2a9b1d4c7e8f0a1b2c3d4e5f6a7b8c9d0e';
const credentials = { user: 'debrief', password: 'pd-hook-pass:with-colon' };
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('verifyPipedriveBasicAuth', () => {
  it('accepts the configured credentials, even with a colon in the password', () => {
    expect(() => verifyPipedriveBasicAuth(basic('debrief', 'pd-hook-pass:with-colon'), credentials)).not.toThrow();
    expect(() => verifyPipedriveBasicAuth(`basic ${Buffer.from('debrief:pd-hook-pass:with-colon').toString('base64')}`, credentials)).not.toThrow();
  });

  it.each([
    ['a missing header', undefined, 'missing Authorization header'],
    ['a bearer token', 'Bearer abc', 'not HTTP Basic'],
    ['no colon', `Basic ${Buffer.from('debrief').toString('base64')}`, 'no user:password'],
    ['a wrong password', basic('debrief', 'nope'), 'do not match'],
    ['a wrong user', basic('admin', 'pd-hook-pass:with-colon'), 'do not match'],
  ])('rejects %s with 401', (_label, header, text) => {
    const error = thrown(() => verifyPipedriveBasicAuth(header, credentials));
    expect(error).toBeInstanceOf(IntakeError);
    expect(error).toMatchObject({ status: 401 });
    expect(messageOf(error)).toContain(text);
    expect(messageOf(error)).not.toContain(credentials.password);
  });

  it('refuses to run with empty credentials', () => {
    expect(thrown(() => verifyPipedriveBasicAuth(basic('', ''), { user: '', password: '' }))).not.toBeInstanceOf(IntakeError);
  });
});

describe('parsePipedriveWebhook (v2)', () => {
  const lostV2 = ZV2.parse(fixtureObject('pipedrive-v2-deal-lost.json'));
  const variant = (changes: { data?: Record<string, unknown> | null; previous?: Record<string, unknown> | null; meta?: Record<string, unknown> }) =>
    JSON.stringify({
      meta: { ...lostV2.meta, ...changes.meta },
      data: changes.data === null ? null : { ...lostV2.data, ...changes.data },
      previous: changes.previous === undefined ? lostV2.previous : changes.previous,
    });

  it('turns the documented open → lost change into a lost deal', () => {
    expect(parsePipedriveWebhook(fixture('pipedrive-v2-deal-lost.json'), { competitorFieldKey: COMPETITOR_KEY })).toEqual({
      kind: 'lost',
      deals: [
        {
          source: 'pipedrive',
          externalId: '1045',
          name: 'Northwind platform renewal',
          amount: '48000',
          currency: 'EUR',
          owner: {},
          competitor: 'Globex',
          lossReason: 'Chose a competitor',
          crmUrl: 'https://northwind.pipedrive.com/deal/1045',
          lostAt: new Date('2025-11-20T10:15:01Z'),
        },
      ],
      occurredAt: { '1045': new Date('2025-11-20T10:15:01.874Z') },
    });
  });

  it('prefers the configured company domain for the link', () => {
    const result = parsePipedriveWebhook(fixture('pipedrive-v2-deal-lost.json'), { companyDomain: 'acme' });
    expect(result).toMatchObject({ kind: 'lost', deals: [{ crmUrl: 'https://acme.pipedrive.com/deal/1045', competitor: null }] });
  });

  it('ignores an edit of a deal that was already lost (status absent from previous)', () => {
    const raw = variant({ previous: { title: 'Old title', update_time: '2025-11-19T08:02:13Z' } });
    expect(parsePipedriveWebhook(raw)).toEqual({ kind: 'ignored', reason: 'deal was already lost' });
  });

  it.each(['open', 'won'])('reports lost → %s as reopened', (status) => {
    const raw = variant({ data: { status, lost_time: null }, previous: { status: 'lost' }, meta: { timestamp: '2025-11-21T08:00:00.000Z' } });
    expect(parsePipedriveWebhook(raw)).toEqual({
      kind: 'reopened',
      source: 'pipedrive',
      externalIds: ['1045'],
      occurredAt: { '1045': new Date('2025-11-21T08:00:00.000Z') },
    });
  });

  it('ignores open → won and other non-loss changes', () => {
    expect(parsePipedriveWebhook(variant({ data: { status: 'won' }, previous: { status: 'open' } }))).toEqual({
      kind: 'ignored',
      reason: 'deal status is won',
    });
    expect(parsePipedriveWebhook(variant({ data: { status: 'open' }, previous: { stage_id: 3 } })).kind).toBe('ignored');
  });

  it('opens a retro for a deal created as lost', () => {
    const raw = variant({ meta: { action: 'create' }, previous: null });
    expect(parsePipedriveWebhook(raw).kind).toBe('lost');
  });

  it('ignores deletions and other entities', () => {
    expect(parsePipedriveWebhook(variant({ meta: { action: 'delete' }, data: null, previous: { status: 'lost' } })).kind).toBe('ignored');
    expect(parsePipedriveWebhook(variant({ meta: { entity: 'person' } }))).toEqual({ kind: 'ignored', reason: 'not a deal event (person)' });
  });

  it('falls back to the update time when lost_time is missing', () => {
    const raw = variant({ data: { lost_time: null, update_time: '2025-11-20T11:00:00Z' } });
    expect(parsePipedriveWebhook(raw)).toMatchObject({ deals: [{ lostAt: new Date('2025-11-20T11:00:00Z') }] });
  });

  it('times the change by the deal’s update time when meta has no timestamp', () => {
    const raw = variant({ meta: { timestamp: undefined }, data: { update_time: '2025-11-20T11:00:00Z' } });
    expect(parsePipedriveWebhook(raw)).toMatchObject({ occurredAt: { '1045': new Date('2025-11-20T11:00:00Z') } });
  });
});

describe('parsePipedriveWebhook (v1)', () => {
  const lostV1 = ZV1.parse(fixtureObject('pipedrive-v1-deal-lost.json'));

  it('turns the documented updated.deal into a lost deal with the owner’s name', () => {
    expect(parsePipedriveWebhook(fixture('pipedrive-v1-deal-lost.json'), { competitorFieldKey: COMPETITOR_KEY })).toEqual({
      kind: 'lost',
      deals: [
        {
          source: 'pipedrive',
          externalId: '1045',
          name: 'Northwind platform renewal',
          amount: '48000',
          currency: 'EUR',
          owner: { name: 'Dana Reyes' },
          competitor: 'Globex',
          lossReason: 'Chose a competitor',
          crmUrl: 'https://northwind.pipedrive.com/deal/1045',
          lostAt: new Date('2025-11-20T10:15:01Z'),
        },
      ],
      // v1 sends epoch seconds.
      occurredAt: { '1045': new Date('2025-11-20T10:15:01Z') },
    });
  });

  it('reports lost → open as reopened and lost → lost as ignored', () => {
    const reopened = { ...lostV1, current: { ...lostV1.current, status: 'open' }, previous: { ...lostV1.previous, status: 'lost' } };
    expect(parsePipedriveWebhook(JSON.stringify(reopened))).toMatchObject({ kind: 'reopened', source: 'pipedrive', externalIds: ['1045'] });
    const again = { ...lostV1, previous: { ...lostV1.previous, status: 'lost' } };
    expect(parsePipedriveWebhook(JSON.stringify(again)).kind).toBe('ignored');
  });

  it('opens a retro for added.deal created as lost, dated by meta.timestamp when needed', () => {
    const added = {
      ...lostV1,
      event: 'added.deal',
      meta: { ...lostV1.meta, action: 'added' },
      current: { ...lostV1.current, lost_time: null, update_time: null },
      previous: null,
    };
    expect(parsePipedriveWebhook(JSON.stringify(added))).toMatchObject({ kind: 'lost', deals: [{ lostAt: new Date(1763633701 * 1000) }] });
  });
});

describe('parsePipedriveWebhook (malformed)', () => {
  it.each([
    ['not JSON', '{', 'not valid JSON'],
    ['no meta', '{"data":{}}', 'meta'],
    ['a v2 deal without an id', JSON.stringify({ meta: { action: 'change', entity: 'deal', version: '2.0' }, data: { status: 'lost' }, previous: { status: 'open' } }), 'id'],
    ['a v1 event without meta.object', JSON.stringify({ v: 1, meta: { action: 'updated' }, current: {} }), 'meta.object'],
  ])('rejects %s with 400', (_label, raw, text) => {
    const error = thrown(() => parsePipedriveWebhook(raw));
    expect(error).toBeInstanceOf(IntakeError);
    expect(error).toMatchObject({ status: 400 });
    expect(messageOf(error)).toContain(text);
  });
});
