import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, verifySlackRequest } from '@slack/bolt';
import { ErrorCode, WebClient, type WebClientOptions } from '@slack/web-api';
import { FakeSlack } from '../../helpers/fakeSlack';
import { postCommand, postEvent, postInteraction, postRaw, signSlackRequest, type SlackHttp } from '../../helpers/slackRequests';
import { sleep, waitFor } from '../../helpers/wait';

const TOKEN = 'xoxb-test-token';

function errorData(err: unknown): Record<string, unknown> | undefined {
  if (typeof err === 'object' && err !== null && 'data' in err) {
    const data: unknown = err.data;
    if (typeof data === 'object' && data !== null) return data as Record<string, unknown>;
  }
  return undefined;
}

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject');
}

describe('FakeSlack', () => {
  let fake: FakeSlack;
  const client = (opts: WebClientOptions = {}): WebClient =>
    new WebClient(TOKEN, {
      slackApiUrl: fake.url,
      logLevel: LogLevel.ERROR,
      retryConfig: { retries: 0 },
      ...opts,
    });

  beforeAll(async () => {
    fake = await FakeSlack.start();
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    await fake.stop();
  });

  it('exposes a slackApiUrl with a trailing slash', () => {
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
  });

  it('records chat.postMessage from a real WebClient with decoded blocks and answers like Slack', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Lost:* Acme [renewal]' } }];
    const res = await client().chat.postMessage({ channel: 'C123', text: '[fallback] {not json', blocks });

    const [call] = fake.calls('chat.postMessage');
    expect(call).toBeDefined();
    expect(call?.token).toBe(TOKEN);
    expect(call?.args.blocks).toEqual(blocks);
    // Free text that merely looks like JSON stays a string.
    expect(call?.args.text).toBe('[fallback] {not json');
    expect(call?.args).not.toHaveProperty('token');

    expect(res.ok).toBe(true);
    expect(res.channel).toBe('C123');
    expect(res.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(res.message).toMatchObject({ text: '[fallback] {not json', blocks, ts: res.ts, user: 'U0BOT', bot_id: 'B0BOT' });

    const second = await client().chat.postMessage({ channel: 'U777', text: 'dm', thread_ts: res.ts });
    expect(second.channel).toBe('DU777');
    expect(Number(second.ts)).toBeGreaterThan(Number(res.ts));
    expect(second.message?.thread_ts).toBe(res.ts);
  });

  it('accepts application/json bodies and a token argument', async () => {
    const r = await fetch(`${fake.url}chat.update`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ token: 'xoxb-in-body', channel: 'C1', ts: '1700000000.000100', text: 'edited', blocks: [] }),
    });
    expect(await r.json()).toMatchObject({ ok: true, channel: 'C1', ts: '1700000000.000100', text: 'edited' });
    expect(fake.calls('chat.update')[0]).toMatchObject({ token: 'xoxb-in-body', args: { channel: 'C1', blocks: [] } });
  });

  it('answers the other common methods with Slack-shaped defaults', async () => {
    const web = client();
    await expect(web.auth.test()).resolves.toMatchObject({ ok: true, team_id: 'T0TEST', user_id: 'U0BOT', bot_id: 'B0BOT' });
    await expect(web.chat.postEphemeral({ channel: 'C1', user: 'U1', text: 'psst' })).resolves.toMatchObject({
      ok: true,
      message_ts: expect.stringMatching(/^\d+\.\d{6}$/) as unknown,
    });
    await expect(web.chat.getPermalink({ channel: 'C1', message_ts: '1700000000.000100' })).resolves.toMatchObject({
      permalink: 'https://test.slack.com/archives/C1/p1700000000000100',
    });
    await expect(web.conversations.open({ users: 'U42' })).resolves.toMatchObject({ channel: { id: 'DU42' } });
    await expect(web.conversations.info({ channel: 'C9' })).resolves.toMatchObject({
      channel: { id: 'C9', name: 'channel-C9', is_private: false, is_member: true },
    });
    await expect(web.apiCall('reactions.add', { channel: 'C1', name: 'eyes', timestamp: '1.2' })).resolves.toMatchObject({ ok: true });
    expect(fake.calls('reactions.add')).toHaveLength(1);
    const oauthErr = await caught(web.oauth.v2.access({ client_id: 'a', client_secret: 'b', code: 'c' }));
    expect(errorData(oauthErr)?.error).toBe('invalid_code');
  });

  it('views.open requires a trigger_id and echoes the view with an id and hash', async () => {
    const web = client();
    const view = {
      type: 'modal' as const,
      callback_id: 'retro',
      private_metadata: '{"dealId":"d1"}',
      title: { type: 'plain_text' as const, text: 'Retro' },
      blocks: [],
    };
    const err = await caught(web.views.open({ trigger_id: '', view }));
    expect(errorData(err)?.error).toBe('invalid_arguments');

    const opened = await web.views.open({ trigger_id: '123.456.abc', view });
    expect(opened.view).toMatchObject({ callback_id: 'retro', private_metadata: '{"dealId":"d1"}', type: 'modal' });
    expect(opened.view?.id).toMatch(/^V/);
    expect(fake.calls('views.open')[1]?.args.view).toEqual(view);

    const updated = await web.views.update({ view_id: opened.view?.id ?? '', view });
    expect(updated.view?.id).toBe(opened.view?.id);
    expect(updated.view?.hash).not.toBe(opened.view?.hash);
  });

  it('failNext surfaces as a WebAPIPlatformError with data.error, then recovers', async () => {
    fake.failNext('chat.postMessage', 'channel_not_found');
    const err = await caught(client().chat.postMessage({ channel: 'C404', text: 'hi' }));
    expect(err).toMatchObject({ code: ErrorCode.PlatformError });
    expect(errorData(err)).toMatchObject({ ok: false, error: 'channel_not_found' });

    await expect(client().chat.postMessage({ channel: 'C404', text: 'hi' })).resolves.toMatchObject({ ok: true });
    expect(fake.calls('chat.postMessage').map((c) => c.response?.ok)).toEqual([false, true]);
  });

  it('failNext with times fails that many calls', async () => {
    fake.failNext('users.info', 'ratelimited', 2);
    fake.addUser({ id: 'U1' });
    const web = client();
    await expect(web.users.info({ user: 'U1' })).rejects.toThrow('ratelimited');
    await expect(web.users.info({ user: 'U1' })).rejects.toThrow('ratelimited');
    await expect(web.users.info({ user: 'U1' })).resolves.toMatchObject({ ok: true });
  });

  it('HTTP 429 with Retry-After is honoured by the WebClient, which retries and succeeds', async () => {
    fake.rateLimitNext('chat.postMessage', 1);
    const web = client({ retryConfig: { retries: 1, factor: 1, minTimeout: 10, maxTimeout: 10 } });
    const started = Date.now();
    const res = await web.chat.postMessage({ channel: 'C1', text: 'eventually' });
    const elapsed = Date.now() - started;

    expect(res.ok).toBe(true);
    const calls = fake.calls('chat.postMessage');
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    const [first, second] = calls;
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('a 429 with no retries left surfaces as a request error; rejectRateLimitedCalls gives a rate-limited error', async () => {
    fake.rateLimitNext('chat.postMessage', 0, 2);
    const noRetries = await caught(client().chat.postMessage({ channel: 'C1', text: 'x' }));
    expect(noRetries).toMatchObject({ code: ErrorCode.RequestError });
    const rejecting = await caught(client({ rejectRateLimitedCalls: true }).chat.postMessage({ channel: 'C1', text: 'x' }));
    expect(rejecting).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 0 });
  });

  it('HTTP 500 is an HTTP error, and the WebClient retries it', async () => {
    fake.serverErrorNext('chat.postMessage');
    const err = await caught(client().chat.postMessage({ channel: 'C1', text: 'x' }));
    expect(err).toMatchObject({ code: ErrorCode.HTTPError, statusCode: 500 });

    fake.serverErrorNext('chat.postMessage');
    const retrying = client({ retryConfig: { retries: 1, factor: 1, minTimeout: 10, maxTimeout: 10 } });
    await expect(retrying.chat.postMessage({ channel: 'C1', text: 'x' })).resolves.toMatchObject({ ok: true });
    expect(fake.calls('chat.postMessage').map((c) => c.status)).toEqual([500, 500, 200]);
  });

  it('setResponse overrides the default answer (object or function) until reset', async () => {
    fake.setResponse('oauth.v2.access', { ok: true, access_token: 'xoxb-new', team: { id: 'T9' } });
    await expect(client().oauth.v2.access({ client_id: 'a', client_secret: 'b', code: 'c' })).resolves.toMatchObject({
      access_token: 'xoxb-new',
    });
    fake.setResponse('chat.postMessage', (args) => ({ ok: true, channel: args.channel, ts: '42.000000' }));
    await expect(client().chat.postMessage({ channel: 'C7', text: 't' })).resolves.toMatchObject({ channel: 'C7', ts: '42.000000' });

    fake.reset();
    expect(fake.calls()).toEqual([]);
    const err = await caught(client().oauth.v2.access({ client_id: 'a', client_secret: 'b', code: 'c' }));
    expect(errorData(err)?.error).toBe('invalid_code');
  });

  it('users.lookupByEmail and users.info find added users and miss unknown ones', async () => {
    fake.addUser({ id: 'U1', email: 'ada@example.com', name: 'ada', realName: 'Ada Lovelace', tz: 'Europe/London' });
    const web = client();
    const found = await web.users.lookupByEmail({ email: 'ADA@example.com' });
    expect(found.user).toMatchObject({
      id: 'U1',
      name: 'ada',
      real_name: 'Ada Lovelace',
      tz: 'Europe/London',
      is_bot: false,
      profile: { email: 'ada@example.com', real_name: 'Ada Lovelace', display_name: 'ada' },
    });
    const missing = await caught(web.users.lookupByEmail({ email: 'nobody@example.com' }));
    expect(errorData(missing)?.error).toBe('users_not_found');

    await expect(web.users.info({ user: 'U1' })).resolves.toMatchObject({ user: { id: 'U1' } });
    const noUser = await caught(web.users.info({ user: 'U2' }));
    expect(errorData(noUser)?.error).toBe('user_not_found');
  });

  it('filesUploadV2 round trip: upload URL, bytes, completion', async () => {
    const res = await client().filesUploadV2({
      channel_id: 'C1',
      filename: 'retro.csv',
      title: 'Retro export',
      content: 'deal,reason\nacme,price\n',
      initial_comment: 'here you go',
    });
    expect(res.ok).toBe(true);

    const [getUrl] = fake.calls('files.getUploadURLExternal');
    expect(getUrl?.args).toMatchObject({ filename: 'retro.csv', length: '23' });
    const uploads = fake.uploads();
    expect(uploads).toHaveLength(1);
    expect(uploads[0]?.bytes.toString('utf8')).toBe('deal,reason\nacme,price\n');
    expect(uploads[0]?.fileId).toBe(getUrl?.response?.file_id);

    const [complete] = fake.calls('files.completeUploadExternal');
    expect(complete?.args).toMatchObject({
      channel_id: 'C1',
      initial_comment: 'here you go',
      files: [{ id: uploads[0]?.fileId, title: 'Retro export' }],
    });
    expect(res.files).toEqual([
      expect.objectContaining({ ok: true, files: [expect.objectContaining({ id: uploads[0]?.fileId, title: 'Retro export' })] }),
    ]);
  });

  it('waitForCall resolves for past and future calls and times out with the methods seen', async () => {
    const web = client();
    await web.auth.test();
    await expect(fake.waitForCall('auth.test')).resolves.toMatchObject({ method: 'auth.test' });

    const pending = fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C2');
    await web.chat.postMessage({ channel: 'C1', text: 'one' });
    setTimeout(() => void web.chat.postMessage({ channel: 'C2', text: 'two' }), 20);
    await expect(pending).resolves.toMatchObject({ args: { channel: 'C2' } });

    const many = fake.waitForCalls('views.publish', 2, 2000);
    await web.views.publish({ user_id: 'U1', view: { type: 'home', blocks: [] } });
    await web.views.publish({ user_id: 'U2', view: { type: 'home', blocks: [] } });
    await expect(many).resolves.toHaveLength(2);

    await expect(fake.waitForCall('chat.update', undefined, 50)).rejects.toThrow(
      /timed out after 50ms waiting for chat\.update\. Methods seen: auth\.test, chat\.postMessage x2, views\.publish x2/,
    );
    await expect(fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'C9', 50)).rejects.toThrow(
      /2 call\(s\) to chat\.postMessage did not match the predicate/,
    );
    await expect(fake.waitForCalls('chat.postMessage', 3, 50)).rejects.toThrow(/wanted 3 call\(s\) to chat\.postMessage, got 2/);
  });

  it('records POSTs to a responseUrl()', async () => {
    const url = fake.responseUrl('cmd-1');
    const r = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'done', response_type: 'ephemeral' }),
    });
    expect(r.status).toBe(200);
    expect(fake.calls('response_url')[0]).toMatchObject({ path: '/response/cmd-1', args: { text: 'done' } });
  });
});

describe('signSlackRequest', () => {
  const secret = 'shhh-signing-secret';
  const body = 'payload=%7B%22type%22%3A%22block_actions%22%7D';

  it('is accepted by @slack/bolt verifySlackRequest', () => {
    const headers = signSlackRequest(secret, body);
    expect(() =>
      verifySlackRequest({
        signingSecret: secret,
        body,
        headers: {
          'x-slack-signature': headers['x-slack-signature'],
          'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']),
        },
      }),
    ).not.toThrow();
    expect(() =>
      verifySlackRequest({
        signingSecret: secret,
        body: `${body}x`,
        headers: {
          'x-slack-signature': headers['x-slack-signature'],
          'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']),
        },
      }),
    ).toThrow(/signature mismatch/);
  });

  it('matches the documented v0 algorithm', () => {
    const ts = 1531420618;
    const expected = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
    expect(signSlackRequest(secret, body, ts)).toEqual({ 'x-slack-signature': expected, 'x-slack-request-timestamp': String(ts) });
  });

  it('reproduces the example from Slack\u2019s signing documentation', () => {
    // https://api.slack.com/authentication/verifying-requests-from-slack
    const docBody =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(signSlackRequest('8f742231b10e8888abcd99yyyzzz85a5', docBody, 1531420618)['x-slack-signature']).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });
});

describe('Bolt app against FakeSlack (harness smoke test)', () => {
  const signingSecret = 'test-signing-secret';
  let fake: FakeSlack;
  let app: App;
  let http: SlackHttp;

  beforeAll(async () => {
    fake = await FakeSlack.start();
    app = new App({
      token: TOKEN,
      signingSecret,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.url, retryConfig: { retries: 0 } },
    });
    app.event('app_mention', async ({ event, say }) => {
      await say({ text: `hello <@${event.user}>`, thread_ts: event.ts });
    });
    app.command('/debrief', async ({ ack, respond, command }) => {
      await ack();
      await respond({ text: `got ${command.text}` });
    });
    app.view('retro', async ({ ack }) => {
      await ack({ response_action: 'errors', errors: { reason: 'Required' } });
    });
    const server = await app.start(0);
    http = { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, signingSecret };
  });
  afterAll(async () => {
    await app.stop();
    await fake.stop();
  });

  it('answers url_verification', async () => {
    const res = await postEvent(http, { type: 'url_verification', challenge: 'abc123', token: 'x' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ challenge: 'abc123' });
  });

  it('delivers an event and the app replies through the fake Web API', async () => {
    const res = await postEvent(http, {
      token: 'x',
      team_id: 'T0TEST',
      api_app_id: 'A0TEST',
      type: 'event_callback',
      event_id: 'Ev01',
      event_time: 1700000000,
      authorizations: [{ team_id: 'T0TEST', user_id: 'U0BOT', is_bot: true, is_enterprise_install: false }],
      event: { type: 'app_mention', user: 'U1', text: '<@U0BOT> hi', ts: '1700000000.000001', channel: 'C1', event_ts: '1700000000.000001' },
    });
    expect(res.status).toBe(200);
    const call = await fake.waitForCall('chat.postMessage');
    expect(call.args).toMatchObject({ channel: 'C1', text: 'hello <@U1>', thread_ts: '1700000000.000001' });
    expect(call.token).toBe(TOKEN);
  });

  it('rejects a bad signature and a stale timestamp with 401', async () => {
    expect((await postEvent(http, { type: 'url_verification', challenge: 'x' }, { signature: 'v0=deadbeef' })).status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 600;
    expect((await postEvent(http, { type: 'url_verification', challenge: 'x' }, { timestamp: stale })).status).toBe(401);
  });

  it('runs a slash command whose respond() reaches the fake response_url', async () => {
    const res = await postCommand(http, { command: '/debrief', text: 'acme', response_url: fake.responseUrl('c1') });
    expect(res.status).toBe(200);
    const call = await fake.waitForCall('response_url');
    expect(call.args).toMatchObject({ text: 'got acme' });
  });

  it('returns view_submission response_action acks as JSON', async () => {
    const res = await postInteraction(http, {
      type: 'view_submission',
      team: { id: 'T0TEST', domain: 'test' },
      user: { id: 'U1', team_id: 'T0TEST' },
      api_app_id: 'A0TEST',
      trigger_id: '1.2.abc',
      view: { id: 'V1', type: 'modal', callback_id: 'retro', private_metadata: '', state: { values: {} }, hash: 'h' },
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ response_action: 'errors', errors: { reason: 'Required' } });
  });

  it('does not crash on a malformed payload', async () => {
    const res = await postRaw(http, 'payload=%7Bnot-json', 'application/x-www-form-urlencoded');
    expect(res.status).toBe(400);
    await sleep(10);
    // The app keeps serving afterwards.
    const again = await waitFor(async () => {
      const r = await postEvent(http, { type: 'url_verification', challenge: 'still-up' });
      return r.status === 200 ? r : undefined;
    });
    expect(again.json).toEqual({ challenge: 'still-up' });
  });
});

describe('waitFor', () => {
  it('resolves with the first defined, non-false value', async () => {
    let n = 0;
    await expect(waitFor(() => (++n >= 3 ? n : undefined), { intervalMs: 1 })).resolves.toBe(3);
    await expect(waitFor(async () => 0, { intervalMs: 1 })).resolves.toBe(0);
  });

  it('times out with the message and the last error', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('not yet');
        },
        { timeoutMs: 30, intervalMs: 5, message: 'deal never closed' },
      ),
    ).rejects.toThrow(/deal never closed \(timed out after 30ms; last error: not yet\)/);
  });
});
