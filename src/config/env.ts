import { z } from 'zod';
import { decodeEncryptionKey } from '../lib/secretBox';
import { ONE_WORKING_DAY, canonicalTimeZone, parseDelay, type TDelay } from '../lib/workingTime';

// The environment is read once, here. Every other module receives a typed TConfig, so a typo in a
// variable name fails at start-up with a message a person can act on, not deep in a handler.

const HOW_TO_GET_SLACK_TOKENS =
  'Create the Slack app from slack-manifest.yml (api.slack.com/apps > Create New App > From a manifest), install it to your workspace, then copy';

const HINTS: Record<string, string> = {
  SLACK_BOT_TOKEN: `${HOW_TO_GET_SLACK_TOKENS} "Bot User OAuth Token" (starts with xoxb-) from OAuth & Permissions.`,
  SLACK_SIGNING_SECRET: `${HOW_TO_GET_SLACK_TOKENS} "Signing Secret" from Basic Information > App Credentials.`,
  SLACK_APP_TOKEN: `Optional, for Socket Mode: Basic Information > App-Level Tokens > Generate, with the connections:write scope (starts with xapp-).`,
  SLACK_CLIENT_ID: 'For installs in several workspaces ("Add to Slack"): Basic Information > App Credentials > "Client ID". Needs SLACK_CLIENT_SECRET, SLACK_STATE_SECRET and ENCRYPTION_KEY too, and replaces SLACK_BOT_TOKEN.',
  SLACK_CLIENT_SECRET: 'For OAuth installs: Basic Information > App Credentials > "Client Secret".',
  SLACK_STATE_SECRET: 'For OAuth installs: any long random string that signs the install state (openssl rand -hex 32).',
  ENCRYPTION_KEY: 'The key that encrypts Slack tokens and CRM secrets at rest: 32 random bytes as base64 (openssl rand -base64 32). Keep it safe: without it stored tokens cannot be read.',
  ENCRYPTION_KEYS_PREVIOUS: 'Optional, while rotating ENCRYPTION_KEY: the earlier keys, comma-separated, so tokens sealed with them still open until `npm run secrets:reseal` has re-encrypted them.',
  DATA_RETENTION_DAYS: 'Optional: how many days a workspace\'s retros are kept after Debrief is uninstalled from it (default 90).',
  SLACK_API_URL: 'Optional: the Slack Web API base URL, e.g. http://127.0.0.1:4000/api/ for a local fake. Leave unset for Slack.',
  PORT: 'The HTTP port, a whole number from 1 to 65535 (default 3000).',
  DATABASE_URL: 'Optional: a PostgreSQL connection string such as postgresql://user:pass@host:5432/debrief. Leave unset to use the embedded database in DATA_DIR.',
  DATA_DIR: 'The folder for the embedded database (default ./data).',
  RETRO_CHANNEL: 'The ID of the channel where retro threads open (right-click the channel > View channel details > the ID at the bottom, e.g. C0123456789). Invite the bot to it with /invite @Debrief. With OAuth installs it is optional: each workspace chooses its channel with /losses settings.',
  LOG_LEVEL: 'One of debug, info, warn, error (default info).',
  LOG_FORMAT: 'json (one JSON object a line, for log collectors; the default when NODE_ENV=production) or pretty (for people; the default otherwise).',
  NODE_ENV: 'Set to production in deployments: logs become JSON and shutdown waits SHUTDOWN_DRAIN_SECONDS for the load balancer.',
  SHUTDOWN_DRAIN_SECONDS: 'Seconds a stopping instance keeps serving after /readyz turns 503, so load balancers stop sending it requests first (default 5 when NODE_ENV=production, else 0).',
  WORK_THREAD: 'on or off. On (the default with DATABASE_URL in HTTP mode), Slack requests are answered on the main thread and the work after the answer (modals, Slack posts, reminders, digests) runs on a second thread, so answers never queue behind it. Always off with the embedded database (it lives in one thread) and in Socket Mode.',
  SHUTDOWN_TIMEOUT_SECONDS: 'The most seconds the rest of shutdown (in-flight requests, scheduled work, the database) may take before the process exits anyway (default 15).',
  DEBRIEF_NUDGE_AFTER: 'How long after a retro opens the owner is reminded to debrief, if they have not: 1d is one working day (the default; weekends skipped), also 2d, 4h or 90m. A second reminder follows after the same delay.',
  DEFAULT_TIMEZONE: 'The IANA time zone for working days and morning reminders, e.g. Europe/Berlin or America/New_York (default UTC). See the "TZ identifier" column of https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.',
  MANAGER_USERGROUP: 'Optional: the ID of the Slack user group whose members count as managers (e.g. S0123ABCD: open the group in People > User groups, "Copy group ID"). Needs the usergroups:read scope.',
  MANAGER_USER_IDS: 'Optional: comma-separated Slack member IDs of the managers, e.g. U0123ABCD,U0456EFGH (profile > More > Copy member ID). Used together with MANAGER_USERGROUP if both are set.',
  DIGEST_CHANNEL: 'Optional: the ID of the channel for the weekly loss digest (default RETRO_CHANNEL). Managers can change it from Slack with /losses digest settings.',
  DIGEST_TZ: 'Optional: the IANA time zone the weekly digest keeps time in, e.g. Europe/Berlin (default: the workspace\'s zone, DEFAULT_TIMEZONE). Weeks run Monday to Sunday in it.',
  PUBLIC_URL: "Optional: Debrief's public base URL, e.g. https://debrief.example.com, exactly as the CRMs call it. HubSpot signs it, so set it whenever a proxy sits in front of Debrief.",
  HUBSPOT_CLIENT_SECRET: 'Optional, for HubSpot: the private app\'s Auth tab > "Client secret". HubSpot intake needs it together with HUBSPOT_ACCESS_TOKEN (see docs/crm/hubspot.md).',
  HUBSPOT_ACCESS_TOKEN: 'Optional, for HubSpot: the private app\'s Auth tab > "Access token" (starts with pat-), with the crm.objects.deals.read and crm.objects.owners.read scopes.',
  HUBSPOT_API_URL: 'Optional: the HubSpot API base URL (default https://api.hubapi.com). Only a local fake needs another.',
  HUBSPOT_LOST_STAGE_IDS: 'Optional: comma-separated internal ids of the deal stages that count as lost (default closedlost). Settings > Objects > Deals > Pipelines shows them.',
  HUBSPOT_COMPETITOR_PROPERTY: 'Optional: the internal name of the deal property that holds the competitor, e.g. competitor_name (letters, digits and underscores).',
  SALESFORCE_ORG_ID: 'Optional, for Salesforce Outbound Messages: Setup > Company Information > "Salesforce.com Organization ID" (15 or 18 letters and digits, starts with 00D).',
  SALESFORCE_FLOW_SECRET: 'Optional, for Salesforce Flow callouts: a long random string (openssl rand -hex 32) that the Flow sends in X-Debrief-Secret; at least 16 characters.',
  SALESFORCE_LOST_STAGES: 'Optional: comma-separated opportunity stage names that count as lost, besides any closed-and-not-won stage (default Closed Lost).',
  PIPEDRIVE_WEBHOOK_USER: 'Optional, for Pipedrive: the HTTP Auth user name set on the webhook (Settings > Webhooks). Needs PIPEDRIVE_WEBHOOK_PASSWORD too.',
  PIPEDRIVE_WEBHOOK_PASSWORD: 'Optional, for Pipedrive: the HTTP Auth password set on the webhook (openssl rand -hex 24); at least 12 characters.',
  PIPEDRIVE_COMPANY_DOMAIN: 'Optional: your Pipedrive company domain, acme for acme.pipedrive.com, used for deal links.',
  PIPEDRIVE_COMPETITOR_FIELD: 'Optional: the 40-character key of a Pipedrive text custom field that holds the competitor (Settings > Data fields > the field > API key).',
  WEBHOOK_SIGNING_SECRET: 'Optional, for the generic webhook: the shared HMAC secret (openssl rand -hex 32); at least 16 characters. See docs/crm/generic.md.',
};

const ZSlackChannelId = z.string({ error: 'is not set' }).regex(/^[CG][A-Z0-9]{6,}$/, 'must be a channel ID like C0123456789, not a channel name');

const ZHttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** "a, b,c" -> ["a", "b", "c"]; a list that is set but names nothing is a mistake worth reporting. */
const ZCommaList = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()).filter((item) => item !== ''))
  .pipe(z.array(z.string()).min(1, 'must list at least one value, separated by commas'));

// A short shared secret can be guessed; these minimums are far below what the docs suggest.
const ZSecret = (minLength: number) => z.string().min(minLength, `must be at least ${minLength} characters`);

export const ZEnvironment = z.object({
  // Required unless OAuth installs are configured (see crossVariableProblems).
  SLACK_BOT_TOKEN: z.string().regex(/^xox[bp]-/, 'must start with xoxb-').optional(),
  SLACK_CLIENT_ID: z.string().regex(/^\d+\.\d+$/, 'must be the numeric client ID, like 1234567890.1234567890').optional(),
  SLACK_CLIENT_SECRET: z.string().regex(/^[a-f0-9]{16,}$/i, 'must be the hexadecimal client secret').optional(),
  SLACK_STATE_SECRET: ZSecret(16).optional(),
  ENCRYPTION_KEY: z.string().refine((value) => decodeEncryptionKey(value) !== null, 'must be 32 bytes as base64 or hex (openssl rand -base64 32)').optional(),
  ENCRYPTION_KEYS_PREVIOUS: ZCommaList.refine((keys) => keys.every((key) => decodeEncryptionKey(key) !== null), 'must list 32-byte keys as base64 or hex').optional(),
  DATA_RETENTION_DAYS: z.coerce.number({ error: 'must be a number' }).int().min(0).max(3650).default(90),
  SLACK_SIGNING_SECRET: z.string({ error: 'is not set' }).regex(/^[a-f0-9]{16,}$/i, 'must be the hexadecimal signing secret'),
  SLACK_APP_TOKEN: z.string().regex(/^xapp-/, 'must start with xapp-').optional(),
  SLACK_API_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  PORT: z.coerce.number({ error: 'must be a number' }).int().min(1).max(65535).default(3000),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgresql://').optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  // Required with a bot token (see crossVariableProblems); with OAuth installs each workspace
  // chooses its own in /losses settings, and this is only their default.
  RETRO_CHANNEL: ZSlackChannelId.optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  // Production defaults follow NODE_ENV (see parseConfig); anything else than production is a
  // developer's machine or a test.
  NODE_ENV: z.string().optional(),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  SHUTDOWN_DRAIN_SECONDS: z.coerce.number({ error: 'must be a number' }).min(0).max(120).optional(),
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number({ error: 'must be a number' }).min(1).max(600).default(15),
  WORK_THREAD: z.enum(['on', 'off'], { error: 'must be on or off' }).optional(),
  DEBRIEF_NUDGE_AFTER: z
    .string()
    .transform((value, context) => parseDelay(value) ?? (context.addIssue({ code: 'custom', message: 'must be a delay like 1d, 2d, 4h or 90m' }), z.NEVER))
    .default(ONE_WORKING_DAY),
  DEFAULT_TIMEZONE: z
    .string()
    .transform((value, context) => canonicalTimeZone(value) ?? (context.addIssue({ code: 'custom', message: `is not a time zone this system knows (${value})` }), z.NEVER))
    .default('UTC'),

  // Who counts as a manager (runs team retros, marks lessons). Either, both or neither may be set;
  // with neither, only deal owners run their own retros.
  MANAGER_USERGROUP: z.string().regex(/^S[A-Z0-9]{6,}$/, 'must be a user group ID like S0123ABCD, not its @handle').optional(),
  MANAGER_USER_IDS: ZCommaList.pipe(z.array(z.string().regex(/^[UW][A-Z0-9]{6,}$/, 'must list member IDs like U0123ABCD, not names'))).optional(),

  // The weekly loss digest's defaults, until a manager saves settings from Slack.
  DIGEST_CHANNEL: z.string().regex(/^[CG][A-Z0-9]{6,}$/, 'must be a channel ID like C0123456789, not a channel name').optional(),
  DIGEST_TZ: z
    .string()
    .transform((value, context) => canonicalTimeZone(value) ?? (context.addIssue({ code: 'custom', message: `is not a time zone this system knows (${value})` }), z.NEVER))
    .optional(),

  // CRM intake. Every CRM is optional; its route answers 404 until its variables are set.
  PUBLIC_URL: ZHttpUrl.optional(),
  HUBSPOT_CLIENT_SECRET: z.string().min(1).optional(),
  HUBSPOT_ACCESS_TOKEN: z.string().min(1).optional(),
  HUBSPOT_API_URL: ZHttpUrl.optional(),
  HUBSPOT_LOST_STAGE_IDS: ZCommaList.default(['closedlost']),
  HUBSPOT_COMPETITOR_PROPERTY: z.string().regex(/^[A-Za-z0-9_]{1,100}$/, 'must be a property internal name such as competitor_name').optional(),
  SALESFORCE_ORG_ID: z.string().regex(/^00D[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/, 'must be a 15- or 18-character organisation id starting with 00D').optional(),
  SALESFORCE_FLOW_SECRET: ZSecret(16).optional(),
  SALESFORCE_LOST_STAGES: ZCommaList.default(['Closed Lost']),
  PIPEDRIVE_WEBHOOK_USER: z.string().min(1).regex(/^[^:]+$/, 'must not contain a colon (HTTP Basic user names cannot)').optional(),
  PIPEDRIVE_WEBHOOK_PASSWORD: ZSecret(12).optional(),
  PIPEDRIVE_COMPANY_DOMAIN: z
    .string()
    .transform((value) => value.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\.pipedrive\.com\/?$/, ''))
    .pipe(z.string().regex(/^[a-z0-9-]+$/, 'must be the company domain, e.g. acme for acme.pipedrive.com'))
    .optional(),
  PIPEDRIVE_COMPETITOR_FIELD: z.string().regex(/^[a-f0-9]{40}$/, 'must be the 40-character API key of a custom field').optional(),
  WEBHOOK_SIGNING_SECRET: ZSecret(16).optional(),
});

type TEnvironment = z.output<typeof ZEnvironment>;

/** Variables that only work together: half a pair is almost always a forgotten line in .env. */
const PAIRED_VARIABLES: Array<[keyof TEnvironment, keyof TEnvironment, string]> = [
  ['HUBSPOT_CLIENT_SECRET', 'HUBSPOT_ACCESS_TOKEN', 'HubSpot intake needs both'],
  ['PIPEDRIVE_WEBHOOK_USER', 'PIPEDRIVE_WEBHOOK_PASSWORD', 'Pipedrive intake needs both'],
];

const OAUTH_VARIABLES = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'ENCRYPTION_KEY'] as const;

/**
 * Rules across variables. They read only which variables are set, so they run on the raw
 * environment and are reported together with every other problem, not after those are fixed.
 */
function crossVariableProblems(env: Partial<Record<keyof TEnvironment, string>>): Array<{ variable: string; message: string }> {
  const problems: Array<{ variable: string; message: string }> = [];
  const context = { addIssue: (issue: { path: string[]; message: string }) => problems.push({ variable: issue.path[0] as string, message: issue.message }) };
  // Either one workspace with its bot token, or OAuth installs in any number of workspaces.
  const wantsOAuth = env.SLACK_CLIENT_ID !== undefined || env.SLACK_CLIENT_SECRET !== undefined;
  if (!wantsOAuth && env.SLACK_BOT_TOKEN === undefined) {
    context.addIssue({ path: ['SLACK_BOT_TOKEN'], message: 'is not set' });
  }
  if (wantsOAuth) {
    for (const variable of OAUTH_VARIABLES) {
      if (env[variable] === undefined) context.addIssue({ path: [variable], message: 'is not set, but installing through OAuth needs it' });
    }
    if (env.SLACK_BOT_TOKEN !== undefined) {
      context.addIssue({ path: ['SLACK_BOT_TOKEN'], message: 'must be left unset when SLACK_CLIENT_ID is set: each workspace gets its own token when it installs Debrief' });
    }
  } else if (env.RETRO_CHANNEL === undefined) {
    context.addIssue({ path: ['RETRO_CHANNEL'], message: 'is not set' });
  }
  for (const [first, second, why] of PAIRED_VARIABLES) {
    const missing = env[first] === undefined ? first : env[second] === undefined ? second : undefined;
    const present = missing === first ? second : first;
    if (missing && env[present] !== undefined) {
      context.addIssue({ path: [missing], message: `is not set, but ${present} is (${why})` });
    }
  }
  return problems;
}

export type TConfig = {
  slack: {
    /** Single-workspace mode; undefined when OAuth installs are configured. */
    botToken: string | undefined;
    oauth: { clientId: string; clientSecret: string; stateSecret: string } | undefined;
    signingSecret: string;
    appToken: string | undefined;
    apiUrl: string | undefined;
  };
  /** Seals tokens and secrets at rest; the first key is current, the rest only open older values. */
  encryptionKeys: Buffer[] | undefined;
  dataRetentionDays: number;
  port: number;
  database: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };
  /** RETRO_CHANNEL: always set with a bot token; with OAuth installs, the default of workspaces that chose none. */
  retroChannelId: string | undefined;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** JSON lines for log collectors, or a readable line for people; see the README's "Observability". */
  logFormat: 'json' | 'pretty';
  /** See the README's "Deploying to Kubernetes": drain, then at most timeoutSeconds to stop. */
  shutdown: { drainSeconds: number; timeoutSeconds: number };
  /** WORK_THREAD: work after each Slack answer runs on a thread of its own (PostgreSQL, HTTP mode). */
  workThread: boolean;
  crm: TCrmConfig;
  reminders: TRemindersConfig;
  /** Who counts as a manager; with neither set, nobody does and owners run their own retros. */
  managers: { userGroupId: string | undefined; userIds: string[] };
  /** The weekly digest's defaults; managers override them per workspace from Slack. */
  digest: { channelId: string | undefined; timeZone: string | undefined };
};

/** When reminders fall due; see the README's "Reminders and follow-ups". */
export type TRemindersConfig = {
  /** After a retro opens, and again after the first reminder, until the owner has debriefed. */
  debriefNudgeAfter: TDelay;
  /** For workspaces without a zone of their own; canonical IANA spelling. */
  defaultTimeZone: string;
};

/** Each CRM is undefined until the variables it needs are set; its route then answers 404. */
export type TCrmConfig = {
  /** Debrief's public base URL, without a trailing slash. */
  publicUrl: string | undefined;
  hubspot:
    | {
        clientSecret: string;
        accessToken: string;
        apiUrl: string | undefined;
        lostStageIds: string[];
        competitorProperty: string | undefined;
      }
    | undefined;
  /** Either way of sending may be set up alone: Outbound Messages need orgId, Flow callouts flowSecret. */
  salesforce: { orgId: string | undefined; flowSecret: string | undefined; lostStages: string[] } | undefined;
  pipedrive: { user: string; password: string; companyDomain: string | undefined; competitorField: string | undefined } | undefined;
  generic: { signingSecret: string } | undefined;
  /**
   * What the workspaces' own connections (/losses settings) take from the environment: which
   * stages count as lost, where the competitor is, the HubSpot API. Unset in tests: the defaults.
   */
  connectionDefaults?: {
    hubspotApiUrl: string | undefined;
    hubspotLostStageIds: string[];
    hubspotCompetitorProperty: string | undefined;
    salesforceLostStages: string[];
    pipedriveCompetitorField: string | undefined;
  };
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
  const raw = withoutEmptyValues(env);
  const parsed = ZEnvironment.safeParse(raw);
  const issues = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? 'environment'), message: issue.message }))),
    ...crossVariableProblems(raw),
  ];
  if (!parsed.success || issues.length > 0) {
    const problems = issues.map(({ variable, message }) => {
      const hint = HINTS[variable];
      return `${variable} ${message}.${hint ? ` ${hint}` : ''}`;
    });
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  return {
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      oauth:
        e.SLACK_CLIENT_ID && e.SLACK_CLIENT_SECRET && e.SLACK_STATE_SECRET
          ? { clientId: e.SLACK_CLIENT_ID, clientSecret: e.SLACK_CLIENT_SECRET, stateSecret: e.SLACK_STATE_SECRET }
          : undefined,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
    },
    encryptionKeys: e.ENCRYPTION_KEY
      ? [e.ENCRYPTION_KEY, ...(e.ENCRYPTION_KEYS_PREVIOUS ?? [])].map((key) => decodeEncryptionKey(key) as Buffer)
      : undefined,
    dataRetentionDays: e.DATA_RETENTION_DAYS,
    port: e.PORT,
    database: e.DATABASE_URL ? { kind: 'postgres', url: e.DATABASE_URL } : { kind: 'pglite', dataDir: e.DATA_DIR },
    retroChannelId: e.RETRO_CHANNEL,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT ?? (e.NODE_ENV === 'production' ? 'json' : 'pretty'),
    shutdown: { drainSeconds: e.SHUTDOWN_DRAIN_SECONDS ?? (e.NODE_ENV === 'production' ? 5 : 0), timeoutSeconds: e.SHUTDOWN_TIMEOUT_SECONDS },
    workThread: (e.WORK_THREAD ?? 'on') === 'on' && e.DATABASE_URL !== undefined && e.SLACK_APP_TOKEN === undefined,
    crm: crmConfigOf(e),
    reminders: { debriefNudgeAfter: e.DEBRIEF_NUDGE_AFTER, defaultTimeZone: e.DEFAULT_TIMEZONE },
    managers: { userGroupId: e.MANAGER_USERGROUP, userIds: e.MANAGER_USER_IDS ?? [] },
    digest: { channelId: e.DIGEST_CHANNEL, timeZone: e.DIGEST_TZ },
  };
}

/**
 * Every secret value in the configuration, for the logger to blank out wherever it would appear.
 * A new secret setting belongs in this list too.
 */
export function configSecrets(config: TConfig): string[] {
  const { slack, crm } = config;
  return [
    slack.botToken,
    slack.signingSecret,
    slack.appToken,
    slack.oauth?.clientSecret,
    slack.oauth?.stateSecret,
    ...(config.encryptionKeys ?? []).flatMap((key) => [key.toString('base64'), key.toString('hex')]),
    config.database.kind === 'postgres' ? passwordOf(config.database.url) : undefined,
    crm.hubspot?.clientSecret,
    crm.hubspot?.accessToken,
    crm.salesforce?.flowSecret,
    crm.pipedrive?.password,
    crm.generic?.signingSecret,
  ].filter((value): value is string => value !== undefined && value !== '');
}

function passwordOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

function crmConfigOf(e: TEnvironment): TCrmConfig {
  return {
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    hubspot:
      e.HUBSPOT_CLIENT_SECRET && e.HUBSPOT_ACCESS_TOKEN
        ? {
            clientSecret: e.HUBSPOT_CLIENT_SECRET,
            accessToken: e.HUBSPOT_ACCESS_TOKEN,
            apiUrl: e.HUBSPOT_API_URL,
            lostStageIds: e.HUBSPOT_LOST_STAGE_IDS,
            competitorProperty: e.HUBSPOT_COMPETITOR_PROPERTY,
          }
        : undefined,
    salesforce:
      e.SALESFORCE_ORG_ID || e.SALESFORCE_FLOW_SECRET
        ? { orgId: e.SALESFORCE_ORG_ID, flowSecret: e.SALESFORCE_FLOW_SECRET, lostStages: e.SALESFORCE_LOST_STAGES }
        : undefined,
    pipedrive:
      e.PIPEDRIVE_WEBHOOK_USER && e.PIPEDRIVE_WEBHOOK_PASSWORD
        ? {
            user: e.PIPEDRIVE_WEBHOOK_USER,
            password: e.PIPEDRIVE_WEBHOOK_PASSWORD,
            companyDomain: e.PIPEDRIVE_COMPANY_DOMAIN,
            competitorField: e.PIPEDRIVE_COMPETITOR_FIELD,
          }
        : undefined,
    generic: e.WEBHOOK_SIGNING_SECRET ? { signingSecret: e.WEBHOOK_SIGNING_SECRET } : undefined,
    connectionDefaults: {
      hubspotApiUrl: e.HUBSPOT_API_URL,
      hubspotLostStageIds: e.HUBSPOT_LOST_STAGE_IDS,
      hubspotCompetitorProperty: e.HUBSPOT_COMPETITOR_PROPERTY,
      salesforceLostStages: e.SALESFORCE_LOST_STAGES,
      pipedriveCompetitorField: e.PIPEDRIVE_COMPETITOR_FIELD,
    },
  };
}
