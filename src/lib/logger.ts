import type { Writable } from 'node:stream';
import type { LogLevel, Logger } from '@slack/bolt';
import pino from 'pino';
import pretty from 'pino-pretty';
import { currentRequestContext } from './requestContext';

/** The logging surface services need; Bolt's logger and the console both fit it. */
export interface TLogger {
  debug(...message: unknown[]): void;
  info(...message: unknown[]): void;
  warn(...message: unknown[]): void;
  error(...message: unknown[]): void;
}

export type TLogFormat = 'json' | 'pretty';

const REDACTED = '[REDACTED]';

// Slack tokens: bot, user, app-level, configuration and refresh tokens (xoxe.xoxb-... included).
const SLACK_TOKEN = /\b(xox[abprse]|xapp)-[A-Za-z0-9-]+/g;
// The credentials of an Authorization header, wherever the header's text ends up.
const AUTHORIZATION_CREDENTIALS = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
// A Slack signing secret, an HMAC signature (v0=..., HubSpot's, the generic webhook's) or a hex
// key: 32 or more hex digits in a row. Ids in logs (Slack's, database uuids) never look like this.
const LONG_HEX = /\b(v0=)?[a-f0-9]{32,}\b/gi;
// Passwords inside connection strings: postgresql://user:password@host.
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^:/@\s"'\\]+:)[^@\s"'\\]+@/gi;
// "name": "value" and name=value (JSON and form bodies) where the name says the value is secret.
const SECRET_NAME = String.raw`[A-Za-z0-9_-]*(?:secret|password|passwd|token|signature|authorization|cookie|api[_-]?key)`;
const SECRET_JSON_FIELD = new RegExp(String.raw`("${SECRET_NAME}"\s*:\s*)"(?:[^"\\]|\\.)*"`, 'gi');
const SECRET_ESCAPED_JSON_FIELD = new RegExp(String.raw`(\\"${SECRET_NAME}\\"\s*:\s*)\\"(?:[^"\\]|\\[^"])*\\"`, 'gi');
const SECRET_FORM_FIELD = new RegExp(String.raw`(^|[?&\s])(${SECRET_NAME}=)[^&\s"]+`, 'gi');

/**
 * Removes anything secret from a piece of log text: the configured secrets themselves, Slack
 * tokens, Authorization credentials, signatures and hex secrets, passwords in URLs, and the
 * values of fields named like secrets. Applied to every message and to every finished line, so
 * a token inside an error's stack or a logged payload is caught as well as a field.
 */
export function redactSecrets(text: string, knownSecrets: readonly string[] = []): string {
  let redacted = text;
  for (const secret of knownSecrets) {
    // Short values (a port, "true") would blank out unrelated text; real secrets are long.
    if (secret.length < 8) continue;
    redacted = redacted.split(secret).join(REDACTED);
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) redacted = redacted.split(escaped).join(REDACTED);
  }
  return redacted
    .replace(SECRET_JSON_FIELD, `$1"${REDACTED}"`)
    .replace(SECRET_ESCAPED_JSON_FIELD, `$1\\"${REDACTED}\\"`)
    .replace(SECRET_FORM_FIELD, `$1$2${REDACTED}`)
    .replace(SLACK_TOKEN, `$1-${REDACTED}`)
    .replace(AUTHORIZATION_CREDENTIALS, `$1 ${REDACTED}`)
    .replace(URL_PASSWORD, `$1${REDACTED}@`)
    .replace(LONG_HEX, (_match, prefix: string | undefined) => `${prefix ?? ''}${REDACTED}`);
}

export interface TLoggerOptions {
  level: 'debug' | 'info' | 'warn' | 'error';
  format: TLogFormat;
  /** Values that must never appear in a log line (the configured tokens, secrets and keys). */
  secrets?: readonly string[];
  /** Where lines go; stdout unless a test collects them. */
  destination?: Writable;
}

/** Bolt's and the WebClient's log calls mix strings, errors and objects; pino wants fields and a message. */
function toFieldsAndMessage(args: unknown[], secrets: readonly string[]): [Record<string, unknown>, string] {
  const words: string[] = [];
  const fields: Record<string, unknown> = {};
  const details: unknown[] = [];
  for (const arg of args) {
    if (arg instanceof Error && fields.err === undefined) fields.err = arg;
    else if (typeof arg === 'string') words.push(redactSecrets(arg, secrets));
    else if (typeof arg === 'number' || typeof arg === 'boolean' || typeof arg === 'bigint') words.push(String(arg));
    else if (arg !== undefined) details.push(arg);
  }
  if (details.length > 0) fields.details = details.length === 1 ? details[0] : details;
  return [fields, words.join(' ')];
}

/**
 * The one logger of the process: pino underneath, shaped as Bolt's Logger so that Bolt, the
 * WebClient and Debrief's services all write through it. JSON lines (for log collectors) or
 * pretty lines (for people); every line carries the request id and workspace of the Slack request
 * it belongs to, and has its secrets removed.
 */
export function createLogger(options: TLoggerOptions): Logger & TLogger {
  const secrets = [...(options.secrets ?? [])].filter((secret) => secret.length > 0).sort((a, b) => b.length - a.length);
  const destination =
    options.format === 'pretty'
      ? pretty({ destination: options.destination ?? 1, sync: true, colorize: options.destination === undefined && Boolean(process.stdout.isTTY), translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' })
      : (options.destination ?? pino.destination({ dest: 1, sync: true }));
  let name: string | undefined;
  const base = pino(
    {
      level: options.level,
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const context = currentRequestContext();
        return {
          ...(name ? { logger: name } : {}),
          ...(context ? { request_id: context.requestId, ...(context.teamId ? { team_id: context.teamId } : {}), ...(context.kind ? { kind: context.kind } : {}) } : {}),
        };
      },
      // The last line of defence: whatever a field or an error's stack holds, the written line is clean.
      hooks: { streamWrite: (line) => redactSecrets(line, secrets) },
    },
    destination,
  );

  const write = (level: 'debug' | 'info' | 'warn' | 'error') => (...args: unknown[]) => {
    if (!base.isLevelEnabled(level)) return;
    const [fields, message] = toFieldsAndMessage(args, secrets);
    base[level](fields, message);
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: (level: LogLevel) => {
      base.level = level;
    },
    getLevel: () => base.level as LogLevel,
    setName: (newName: string) => {
      name = newName;
    },
  };
}
