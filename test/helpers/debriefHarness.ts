import type { AddressInfo } from 'node:net';
import type { TConfig } from '../../src/config/env';
import type { TOutboxTuning } from '../../src/outbox/worker';
import { startDebrief, type TDebrief } from '../../src/server';
import { createTestDatabase, type TTestDatabase } from './database';
import { FakeSlack } from './fakeSlack';
import { MANAGER } from './payloads';
import type { SlackHttp } from './slackRequests';

export const TEST_SIGNING_SECRET = 'abcdef0123456789abcdef0123456789';
export const TEST_RETRO_CHANNEL = 'C0RETROS01';

export interface THarness {
  debrief: TDebrief;
  slack: FakeSlack;
  http: SlackHttp;
  database: TTestDatabase;
  stop(): Promise<void>;
}

/** The real app in HTTP mode on a free port, talking to a fake Slack and a fresh database. */
export async function startHarness(
  kind: 'pglite' | 'postgres',
  options: { now?: () => Date; crm?: Partial<TConfig['crm']>; reminders?: Partial<TConfig['reminders']>; database?: TTestDatabase; managers?: Partial<TConfig['managers']>; digest?: Partial<TConfig['digest']>;
    /** OAuth mode: pass { botToken: undefined, oauth: {...} } with encryptionKeys. */
    slack?: Partial<TConfig['slack']>;
    /** HubSpot API retries; by default three, 20 ms apart and doubling, honouring a Retry-After up to 2 s. */
    hubSpotClientOptions?: { retries?: number; baseDelayMs?: number; maxDelayMs?: number };
    encryptionKeys?: Buffer[];
    /** RETRO_CHANNEL; TEST_RETRO_CHANNEL unless given (undefined: unset, as OAuth installs may leave it). */
    retroChannelId?: string | undefined;
    /** Graceful-shutdown tests give the drain a moment; by default stop() is immediate. */
    shutdown?: Partial<TConfig['shutdown']>;
    /** The outbox worker's poll interval, backoff and attempts (by default fast, for tests). */
    outbox?: TOutboxTuning;
  } = {},
): Promise<THarness> {
  const slack = await FakeSlack.start();
  // A test that restarts the app passes the database of the first one; it then drops it itself.
  const ownsDatabase = options.database === undefined;
  const database = options.database ?? (await createTestDatabase(kind));
  const config: TConfig = {
    slack: { botToken: 'xoxb-test-token', oauth: undefined, signingSecret: TEST_SIGNING_SECRET, appToken: undefined, apiUrl: slack.url, ...options.slack },
    encryptionKeys: options.encryptionKeys,
    dataRetentionDays: 90,
    workThread: false,
    port: 0,
    database: database.config,
    retroChannelId: 'retroChannelId' in options ? options.retroChannelId : TEST_RETRO_CHANNEL,
    logLevel: (process.env.TEST_LOG_LEVEL as TConfig['logLevel'] | undefined) ?? 'error',
    logFormat: 'pretty',
    // Nothing balances load in front of a test: stop at once.
    shutdown: { drainSeconds: 0, timeoutSeconds: 15, ...options.shutdown },
    crm: { publicUrl: undefined, hubspot: undefined, salesforce: undefined, pipedrive: undefined, generic: undefined, ...options.crm },
    reminders: { debriefNudgeAfter: { workingDays: 1 }, defaultTimeZone: 'UTC', ...options.reminders },
    // payloads.MANAGER is a manager unless a test says otherwise.
    managers: { userGroupId: undefined, userIds: [MANAGER], ...options.managers },
    digest: { channelId: undefined, timeZone: undefined, ...options.digest },
  };
  const debrief = await startDebrief(config, {
    port: 0,
    now: options.now,
    startScheduler: false,
    clientOptions: { retryConfig: { retries: 1, factor: 1, minTimeout: 10, maxTimeout: 10 } },
    hubSpotClientOptions: options.hubSpotClientOptions ?? { retries: 3, baseDelayMs: 20, maxDelayMs: 2000 },
    // Retries of Slack writes come back in milliseconds, not seconds; a 429's Retry-After is still honoured.
    outbox: { pollMs: 100, backoff: { baseDelayMs: 20, maxDelayMs: 200 }, ...options.outbox },
  });
  const address = debrief.server?.address() as AddressInfo;
  return {
    debrief,
    slack,
    database,
    http: { baseUrl: `http://127.0.0.1:${address.port}`, signingSecret: TEST_SIGNING_SECRET },
    stop: async () => {
      await debrief.stop();
      await slack.stop();
      if (ownsDatabase) await database.drop();
    },
  };
}
