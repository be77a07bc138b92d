import { ConfigError, parseConfig } from '../../../src/config/env';
import { MINIMAL_ENV, configProblemsOf } from '../../helpers/configEnv';

const minimal = MINIMAL_ENV;

const problemsOf = configProblemsOf;

describe('parseConfig', () => {
  it('runs in HTTP mode on port 3000 with the embedded database in ./data from the three required variables', () => {
    const config = parseConfig(minimal);
    expect(config.slack).toEqual({ botToken: minimal.SLACK_BOT_TOKEN, signingSecret: minimal.SLACK_SIGNING_SECRET, appToken: undefined, apiUrl: undefined });
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ kind: 'pglite', dataDir: './data' });
    expect(config.retroChannelId).toBe('C0123456789');
    expect(config.logLevel).toBe('info');
    expect(config.crm.hubspot).toBeUndefined();
  });

  it('uses Socket Mode, PostgreSQL, another port and a fake Slack when they are set', () => {
    const config = parseConfig({
      ...minimal,
      SLACK_APP_TOKEN: 'xapp-1-A0-123-abc',
      DATABASE_URL: 'postgresql://debrief:secret@db:5432/debrief',
      PORT: '8080',
      SLACK_API_URL: 'http://127.0.0.1:9999/api/',
      LOG_LEVEL: 'debug',
    });
    expect(config.slack.appToken).toBe('xapp-1-A0-123-abc');
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgresql://debrief:secret@db:5432/debrief' });
    expect(config.port).toBe(8080);
    expect(config.slack.apiUrl).toBe('http://127.0.0.1:9999/api/');
    expect(config.logLevel).toBe('debug');
  });

  it('names every missing variable and says where to get the Slack tokens', () => {
    const problems = problemsOf({});
    expect(problems.map((problem) => problem.split(' ')[0]).sort()).toEqual(['RETRO_CHANNEL', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET']);
    const botToken = problems.find((problem) => problem.startsWith('SLACK_BOT_TOKEN')) as string;
    expect(botToken).toMatch(/slack-manifest\.yml/);
    expect(botToken).toMatch(/OAuth & Permissions/);
    expect(problems.find((problem) => problem.startsWith('SLACK_SIGNING_SECRET'))).toMatch(/Basic Information/);
  });

  it('treats an empty value as unset, as a .env file line "NAME=" means', () => {
    expect(problemsOf({ ...minimal, RETRO_CHANNEL: '  ' })).toEqual([expect.stringMatching(/^RETRO_CHANNEL is not set/)]);
  });

  it.each([
    ['SLACK_BOT_TOKEN', 'xapp-wrong-kind', /must start with xoxb-/],
    ['RETRO_CHANNEL', '#sales-losses', /channel ID like C0123456789, not a channel name/],
    ['PORT', '70000', /PORT/],
    ['SLACK_APP_TOKEN', 'xoxb-not-an-app-token', /SLACK_APP_TOKEN/],
    ['DATABASE_URL', 'mysql://nope', /DATABASE_URL/],
    ['LOG_LEVEL', 'verbose', /LOG_LEVEL/],
    ['HUBSPOT_LOST_STAGE_IDS', ' , ', /at least one value/],
  ])('refuses a malformed %s with a message naming it', (variable, value, message) => {
    const problems = problemsOf({ ...minimal, [variable]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.startsWith(variable)).toBe(true);
    expect(problems[0]).toMatch(message);
  });

  it('reads the weekly digest defaults, canonical zone spelling included, and refuses a bad zone or channel', () => {
    expect(parseConfig(minimal).digest).toEqual({ channelId: undefined, timeZone: undefined });
    expect(parseConfig({ ...minimal, DIGEST_CHANNEL: 'C0DIGEST01', DIGEST_TZ: 'europe/berlin' }).digest).toEqual({ channelId: 'C0DIGEST01', timeZone: 'Europe/Berlin' });
    const problems = problemsOf({ ...minimal, DIGEST_CHANNEL: '#sales', DIGEST_TZ: 'Mars/Olympus' });
    expect(problems).toEqual([expect.stringMatching(/^DIGEST_CHANNEL must be a channel ID/), expect.stringMatching(/^DIGEST_TZ is not a time zone this system knows/)]);
  });

  it('refuses half of a pair of CRM variables', () => {
    expect(problemsOf({ ...minimal, HUBSPOT_CLIENT_SECRET: 'shh-secret' })).toEqual([expect.stringMatching(/^HUBSPOT_ACCESS_TOKEN is not set, but HUBSPOT_CLIENT_SECRET is/)]);
  });

  it('never echoes a secret value back in its message', () => {
    const secret = 'xoxb-THIS-IS-SECRET';
    const problems = problemsOf({ ...minimal, SLACK_SIGNING_SECRET: 'not hex but secret', SLACK_BOT_TOKEN: secret.replace('xoxb', 'xoxz') });
    expect(problems.join('\n')).not.toContain('THIS-IS-SECRET');
    expect(problems.join('\n')).not.toContain('not hex but secret');
  });

  it('builds one message to print at start-up, listing each problem', () => {
    try {
      parseConfig({});
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message.split('\n')[0]).toBe('Debrief cannot start: its configuration is incomplete.');
      expect((error as Error).message).toMatch(/\.env\.example/);
      return;
    }
    throw new Error('parseConfig accepted an empty environment');
  });

  describe('OAuth installs in several workspaces', () => {
    const oauth = {
      SLACK_SIGNING_SECRET: minimal.SLACK_SIGNING_SECRET,
      RETRO_CHANNEL: minimal.RETRO_CHANNEL,
      SLACK_CLIENT_ID: '1234567890.0987654321',
      SLACK_CLIENT_SECRET: 'abcdef0123456789abcdef0123456789',
      SLACK_STATE_SECRET: 'a-long-random-state-secret',
      ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    };

    it('replaces the bot token with the OAuth trio and the encryption key', () => {
      const config = parseConfig({ ...oauth, ENCRYPTION_KEYS_PREVIOUS: Buffer.alloc(32, 9).toString('hex') });
      expect(config.slack.botToken).toBeUndefined();
      expect(config.slack.oauth).toEqual({ clientId: oauth.SLACK_CLIENT_ID, clientSecret: oauth.SLACK_CLIENT_SECRET, stateSecret: oauth.SLACK_STATE_SECRET });
      expect(config.encryptionKeys?.map((key) => key[0])).toEqual([7, 9]);
      expect(config.dataRetentionDays).toBe(90);
    });

    it('names what an OAuth set-up still lacks, and refuses a bot token beside it', () => {
      const problems = problemsOf({ ...oauth, ENCRYPTION_KEY: undefined, SLACK_STATE_SECRET: undefined, SLACK_BOT_TOKEN: minimal.SLACK_BOT_TOKEN });
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^SLACK_STATE_SECRET is not set, but installing through OAuth needs it/),
          expect.stringMatching(/^ENCRYPTION_KEY is not set, but installing through OAuth needs it/),
          expect.stringMatching(/^SLACK_BOT_TOKEN must be left unset when SLACK_CLIENT_ID is set/),
        ]),
      );
    });

    it('needs no RETRO_CHANNEL: each workspace chooses its channel with /losses settings', () => {
      expect(parseConfig({ ...oauth, RETRO_CHANNEL: undefined }).retroChannelId).toBeUndefined();
      expect(parseConfig(oauth).retroChannelId).toBe(oauth.RETRO_CHANNEL);
      // With a bot token there is no settings flow to fall back on.
      expect(problemsOf({ ...minimal, RETRO_CHANNEL: undefined })).toEqual([expect.stringMatching(/^RETRO_CHANNEL is not set/)]);
    });

    it('refuses an encryption key that is not 32 bytes, without echoing it', () => {
      const problems = problemsOf({ ...oauth, ENCRYPTION_KEY: 'c2hvcnQta2V5' });
      expect(problems).toEqual([expect.stringMatching(/^ENCRYPTION_KEY must be 32 bytes/)]);
      expect(problems[0]).not.toContain('c2hvcnQta2V5');
    });
  });

  describe('WORK_THREAD', () => {
    const postgres = { ...minimal, DATABASE_URL: 'postgresql://debrief:secret@db:5432/debrief' };

    it('is on by default with PostgreSQL in HTTP mode, and can be turned off', () => {
      expect(parseConfig(postgres).workThread).toBe(true);
      expect(parseConfig({ ...postgres, WORK_THREAD: 'off' }).workThread).toBe(false);
    });

    it('is off with the embedded database and in Socket Mode, even when asked for', () => {
      expect(parseConfig(minimal).workThread).toBe(false);
      expect(parseConfig({ ...minimal, WORK_THREAD: 'on' }).workThread).toBe(false);
      expect(parseConfig({ ...postgres, WORK_THREAD: 'on', SLACK_APP_TOKEN: 'xapp-1-A0-1-abc' }).workThread).toBe(false);
    });

    it('accepts only on or off', () => {
      expect(problemsOf({ ...postgres, WORK_THREAD: 'yes' })).toEqual([expect.stringMatching(/^WORK_THREAD must be on or off/)]);
    });
  });
});
