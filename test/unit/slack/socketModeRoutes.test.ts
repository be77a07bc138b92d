import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseConfig } from '../../../src/config/env';
import { createBackgroundTasks } from '../../../src/lib/backgroundTasks';
import { createApp } from '../../../src/slack/app';
import type { TWebhookDeps } from '../../../src/webhooks/deps';
import { createWebhookRoutes } from '../../../src/webhooks/routes';

// In Socket Mode Slack needs no public URL, but CRMs do: the webhooks must be served by the same
// HTTP server as /healthz. Bolt starts that server together with the WebSocket connection, so this
// test starts the server alone (Bolt keeps it private) and checks what it answers.

// The real parser, so that the test keeps up with what createApp reads from the configuration.
const config = parseConfig({
  SLACK_BOT_TOKEN: 'xoxb-test-token',
  SLACK_SIGNING_SECRET: 'abcdef0123456789abcdef0123456789',
  SLACK_APP_TOKEN: 'xapp-1-A0TEST-1-abc',
  SLACK_API_URL: 'http://127.0.0.1:9/api/',
  RETRO_CHANNEL: 'C0RETROS01',
  LOG_LEVEL: 'error',
  WEBHOOK_SIGNING_SECRET: 'whsec-socket-mode-0123',
});
const crm = config.crm;

describe('CRM webhooks in Socket Mode', () => {
  let server: Server;
  let baseUrl: string;
  const warnings: string[] = [];

  beforeAll(async () => {
    const logger = { debug: () => undefined, info: () => undefined, warn: (message: string) => void warnings.push(message), error: () => undefined };
    // A refusal needs only the logger and the clock; nothing here reaches the database or Slack.
    const deps = { crm, logger, backgroundTasks: createBackgroundTasks(logger), hubspot: undefined, answerWithinMs: 100, intake: { now: () => new Date() } } as unknown as TWebhookDeps;
    const app = createApp({ config, isDatabaseReachable: async () => true, extraRoutes: createWebhookRoutes(crm, () => deps) });
    const receiver = (app as unknown as { receiver: { httpServer?: Server } }).receiver;
    if (!receiver.httpServer) throw new Error('Socket Mode app has no HTTP server for its routes');
    server = receiver.httpServer;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  it('serves /healthz and the webhook routes on one port', async () => {
    expect((await fetch(`${baseUrl}/healthz`)).status).toBe(200);

    const unsigned = await fetch(`${baseUrl}/webhooks/generic`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toEqual({ ok: false, error: 'missing X-Debrief-Signature header' });

    const unconfigured = await fetch(`${baseUrl}/webhooks/hubspot`, { method: 'POST', body: '[]' });
    expect(unconfigured.status).toBe(404);
    expect(warnings.join('\n')).toContain('HubSpot intake is not configured');
  });
});
