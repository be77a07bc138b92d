import { Writable } from 'node:stream';
import { LogLevel } from '@slack/bolt';
import { configSecrets, parseConfig } from '../../../src/config/env';
import { createLogger, redactSecrets } from '../../../src/lib/logger';
import { runWithRequestContext } from '../../../src/lib/requestContext';

function collector(): { stream: Writable; lines: () => string[]; records: () => Array<Record<string, unknown>> } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  const lines = () => text.split('\n').filter((line) => line !== '');
  return { stream, lines, records: () => lines().map((line) => JSON.parse(line) as Record<string, unknown>) };
}

const BOT_TOKEN = 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx';
const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5'.replace(/[yz]/g, 'a');

describe('redactSecrets', () => {
  it.each([
    ['a bot token', `posting with ${BOT_TOKEN} now`, 'posting with xoxb-[REDACTED] now'],
    ['a user token', 'token xoxp-111-222-333-abcdef', 'token xoxp-[REDACTED]'],
    ['an app-level token', 'xapp-1-A0123-456-deadbeef', 'xapp-[REDACTED]'],
    ['a refresh token', 'xoxe-1-My0xLTEtMTIz', 'xoxe-[REDACTED]'],
    ['a rotating bot token', 'xoxe.xoxb-1-MS0yLTEy', 'xoxe.xoxb-[REDACTED]'],
    ['a Bearer credential', 'authorization: Bearer pat-na1-11111111-2222', 'authorization: Bearer [REDACTED]'],
    ['a Basic credential', 'Basic dXNlcjpwYXNzd29yZA==', 'Basic [REDACTED]'],
    ['a signing secret', `secret is ${SIGNING_SECRET}.`, 'secret is [REDACTED].'],
    ['a Slack signature', 'x v0=a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90 y', 'x v0=[REDACTED] y'],
    ['a database password', 'postgresql://debrief:s3cr%3Et@db:5432/debrief', 'postgresql://debrief:[REDACTED]@db:5432/debrief'],
    ['a JSON field named like a secret', '{"client_secret":"abc","name":"Acme","signingSecret":"x\\"y"}', '{"client_secret":"[REDACTED]","name":"Acme","signingSecret":"[REDACTED]"}'],
    ['an Authorization header field', '{"headers":{"Authorization":"Token abc123"}}', '{"headers":{"Authorization":"[REDACTED]"}}'],
    ['a JSON field inside a logged JSON string', '{"msg":"{\\"token\\":\\"verif-token\\",\\"team\\":\\"T1\\"}"}', '{"msg":"{\\"token\\":\\"[REDACTED]\\",\\"team\\":\\"T1\\"}"}'],
    ['a form field', 'token=verif-token&team_id=T0123&password=hunter22', 'token=[REDACTED]&team_id=T0123&password=[REDACTED]'],
  ])('removes %s', (_name, text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it('removes configured secrets, however they look, and keeps the rest of the text', () => {
    expect(redactSecrets('hubspot said pat-eu1-custom-value and "pat-eu1-custom-value"', ['pat-eu1-custom-value'])).toBe('hubspot said [REDACTED] and "[REDACTED]"');
    // Values too short to be secrets are left alone rather than blanking out unrelated text.
    expect(redactSecrets('port 3000', ['3000'])).toBe('port 3000');
  });

  it('leaves Slack ids, request ids, uuids and messages alone', () => {
    const text = 'retro 0c8e3c1e-2f4b-4b8a-9d0e-1b2c3d4e5f60 for U0123ABCD in C0RETROS01, team T0TEST, request 9f86d081884c7d65: Acme lost to Globex';
    expect(redactSecrets(text)).toBe(text);
  });
});

describe('createLogger', () => {
  it('writes one JSON object a line with level, time, message, error and the request context', () => {
    const out = collector();
    const logger = createLogger({ level: 'info', format: 'json', destination: out.stream });
    runWithRequestContext({ requestId: 'req-1', teamId: 'T0TEST', kind: 'command' }, () => logger.error('Posting failed', new Error('channel_not_found'), { channel: 'C1' }));
    logger.info('outside', 42);
    const [inside, outside] = out.records();
    expect(inside).toMatchObject({ level: 'error', msg: 'Posting failed', request_id: 'req-1', team_id: 'T0TEST', kind: 'command', details: { channel: 'C1' } });
    expect(inside?.err).toMatchObject({ type: 'Error', message: 'channel_not_found' });
    expect(typeof inside?.time).toBe('string');
    expect(outside).toMatchObject({ level: 'info', msg: 'outside 42' });
    expect(outside).not.toHaveProperty('request_id');
  });

  it('never writes a secret, in the message, a field or an error', () => {
    const out = collector();
    const config = parseConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, RETRO_CHANNEL: 'C0123456789', WEBHOOK_SIGNING_SECRET: 'generic-shared-secret-value', DATABASE_URL: 'postgresql://debrief:pw-in-url-123@db/debrief' });
    const logger = createLogger({ level: 'debug', format: 'json', destination: out.stream, secrets: configSecrets(config) });
    logger.debug(JSON.stringify({ token: 'verification', headers: { authorization: `Bearer ${BOT_TOKEN}` } }));
    logger.warn('request failed', { headers: { Authorization: `Bearer ${BOT_TOKEN}`, 'x-slack-signature': 'v0=abc' }, secret: 'generic-shared-secret-value' });
    logger.error('boom', Object.assign(new Error(`invalid_auth for ${BOT_TOKEN} with ${SIGNING_SECRET}`), { data: { url: 'postgresql://debrief:pw-in-url-123@db/debrief' } }));
    const written = out.lines().join('\n');
    expect(out.lines()).toHaveLength(3);
    for (const secret of [BOT_TOKEN, SIGNING_SECRET, 'generic-shared-secret-value', 'pw-in-url-123', 'verification']) {
      expect(written).not.toContain(secret);
    }
    expect(written).toContain('[REDACTED]');
    expect(written).toContain('invalid_auth');
  });

  it('drops lines below its level and works as Bolt sets it', () => {
    const out = collector();
    const logger = createLogger({ level: 'warn', format: 'json', destination: out.stream });
    logger.info('hidden');
    logger.setLevel(LogLevel.DEBUG);
    expect(logger.getLevel()).toBe(LogLevel.DEBUG);
    logger.setName('web-api:WebClient:0');
    logger.debug('shown');
    expect(out.records()).toEqual([expect.objectContaining({ msg: 'shown', level: 'debug', logger: 'web-api:WebClient:0' })]);
  });

  it('writes readable lines in the pretty format, redacted too', () => {
    const out = collector();
    const logger = createLogger({ level: 'info', format: 'pretty', destination: out.stream });
    logger.info(`Debrief is running with ${BOT_TOKEN}`);
    const [line] = out.lines();
    expect(line).toMatch(/INFO.*Debrief is running with xoxb-\[REDACTED\]/);
    expect(() => {
      JSON.parse(line ?? '');
    }).toThrow();
  });
});
