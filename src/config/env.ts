import { z } from 'zod';

// The environment is read once, here. Every other module receives a typed TConfig, so a typo in a
// variable name fails at start-up with a message a person can act on, not deep in a handler.

const HOW_TO_GET_SLACK_TOKENS =
  'Create the Slack app from slack-manifest.yml (api.slack.com/apps > Create New App > From a manifest), install it to your workspace, then copy';

const HINTS: Record<string, string> = {
  SLACK_BOT_TOKEN: `${HOW_TO_GET_SLACK_TOKENS} "Bot User OAuth Token" (starts with xoxb-) from OAuth & Permissions.`,
  SLACK_SIGNING_SECRET: `${HOW_TO_GET_SLACK_TOKENS} "Signing Secret" from Basic Information > App Credentials.`,
  SLACK_APP_TOKEN: `Optional, for Socket Mode: Basic Information > App-Level Tokens > Generate, with the connections:write scope (starts with xapp-).`,
  SLACK_API_URL: 'Optional: the Slack Web API base URL, e.g. http://127.0.0.1:4000/api/ for a local fake. Leave unset for Slack.',
  PORT: 'The HTTP port, a whole number from 1 to 65535 (default 3000).',
  DATABASE_URL: 'Optional: a PostgreSQL connection string such as postgresql://user:pass@host:5432/debrief. Leave unset to use the embedded database in DATA_DIR.',
  DATA_DIR: 'The folder for the embedded database (default ./data).',
  RETRO_CHANNEL: 'The ID of the channel where retro threads open (right-click the channel > View channel details > the ID at the bottom, e.g. C0123456789). Invite the bot to it with /invite @Debrief.',
  LOG_LEVEL: 'One of debug, info, warn, error (default info).',
};

const ZSlackChannelId = z.string({ error: 'is not set' }).regex(/^[CG][A-Z0-9]{6,}$/, 'must be a channel ID like C0123456789, not a channel name');

export const ZEnvironment = z.object({
  SLACK_BOT_TOKEN: z.string({ error: 'is not set' }).regex(/^xox[bp]-/, 'must start with xoxb-'),
  SLACK_SIGNING_SECRET: z.string({ error: 'is not set' }).regex(/^[a-f0-9]{16,}$/i, 'must be the hexadecimal signing secret'),
  SLACK_APP_TOKEN: z.string().regex(/^xapp-/, 'must start with xapp-').optional(),
  SLACK_API_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  PORT: z.coerce.number({ error: 'must be a number' }).int().min(1).max(65535).default(3000),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgresql://').optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  RETRO_CHANNEL: ZSlackChannelId,
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type TConfig = {
  slack: {
    botToken: string;
    signingSecret: string;
    appToken: string | undefined;
    apiUrl: string | undefined;
  };
  port: number;
  database: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };
  retroChannelId: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
};

/** Thrown for a bad environment; main prints `message` alone, without a stack trace. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      [
        'Debrief cannot start: its configuration is incomplete.',
        ...problems.map((problem) => `  - ${problem}`),
        'Set these in the environment or in a .env file (see .env.example).',
      ].join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Unset and empty are the same thing in a .env file. */
function withoutEmptyValues(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1].trim() !== ''),
  );
}

export function parseConfig(env: NodeJS.ProcessEnv): TConfig {
  const parsed = ZEnvironment.safeParse(withoutEmptyValues(env));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? 'environment');
      const hint = HINTS[variable];
      return `${variable} ${issue.message}.${hint ? ` ${hint}` : ''}`;
    });
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  return {
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
    },
    port: e.PORT,
    database: e.DATABASE_URL ? { kind: 'postgres', url: e.DATABASE_URL } : { kind: 'pglite', dataDir: e.DATA_DIR },
    retroChannelId: e.RETRO_CHANNEL,
    logLevel: e.LOG_LEVEL,
  };
}
