import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, LogLevel, type CustomRoute, type Logger } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import { configSecrets, type TConfig } from '../config/env';
import { createLogger } from '../lib/logger';
import { metricsRoute } from '../lib/metrics';
import type { InstallationStore } from '@slack/bolt';
import type { TTeamAuthorizer } from './clients';
import { oauthAppOptions } from './oauth';
import { ValidatingHTTPReceiver, type THandOff } from './receiver';

export interface TAppOptions {
  config: TConfig;
  /** Answers whether the database is reachable, for /healthz and /readyz. */
  isDatabaseReachable: () => Promise<boolean>;
  /** True once shutdown has begun: /readyz then answers 503 so load balancers move away. */
  isDraining?: () => boolean;
  /** Extra HTTP routes (CRM webhooks) served beside Slack's. */
  extraRoutes?: CustomRoute[];
  /** Tests shorten the WebClient's retry schedule, which by default spans half an hour. */
  clientOptions?: WebClientOptions;
  /** Tests collect log lines here; by default a JSON or pretty logger on stdout, from the config. */
  logger?: Logger;
  /** Where OAuth installs are kept; required when config.slack.oauth is set. */
  installationStore?: InstallationStore;
  /** WORK_THREAD: where requests answered at once are worked on, and that thread's metrics for /metrics. */
  workThread?: { handOff: THandOff; metrics: () => Promise<unknown[]> };
}

const LOG_LEVELS: Record<TConfig['logLevel'], LogLevel> = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

export function healthRoute(isDatabaseReachable: () => Promise<boolean>): CustomRoute {
  return {
    path: '/healthz',
    method: ['GET'],
    handler: (_req: IncomingMessage, res: ServerResponse) => {
      isDatabaseReachable().then(
        (reachable) => sendJson(res, reachable ? 200 : 503, { status: reachable ? 'ok' : 'unavailable', database: reachable ? 'up' : 'down' }),
        () => sendJson(res, 503, { status: 'unavailable', database: 'down' }),
      );
    },
  };
}

/** Liveness: the process answers. Deliberately not the database, whose restart is no reason to restart every pod. */
export function livenessRoute(): CustomRoute {
  return {
    path: '/livez',
    method: ['GET'],
    handler: (_req: IncomingMessage, res: ServerResponse) => sendJson(res, 200, { status: 'ok' }),
  };
}

/** Readiness: whether this instance should be sent requests now. */
export function readinessRoute(isDatabaseReachable: () => Promise<boolean>, isDraining: () => boolean): CustomRoute {
  return {
    path: '/readyz',
    method: ['GET'],
    handler: (_req: IncomingMessage, res: ServerResponse) => {
      if (isDraining()) return sendJson(res, 503, { status: 'draining' });
      isDatabaseReachable().then(
        (reachable) => sendJson(res, reachable ? 200 : 503, reachable ? { status: 'ready' } : { status: 'unavailable', database: 'down' }),
        () => sendJson(res, 503, { status: 'unavailable', database: 'down' }),
      );
    },
  };
}

/**
 * The Bolt app, with no listeners: Socket Mode when an app-level token is configured, otherwise
 * HTTP with every Slack request at POST /slack/events. Either way /healthz, /livez and /readyz
 * are served on PORT.
 */
export function createApp(options: TAppOptions): App {
  const { config } = options;
  const customRoutes = [
    healthRoute(options.isDatabaseReachable),
    livenessRoute(),
    readinessRoute(options.isDatabaseReachable, options.isDraining ?? (() => false)),
    metricsRoute(options.workThread?.metrics),
    ...(options.extraRoutes ?? []),
  ];
  const clientOptions: WebClientOptions = { ...options.clientOptions, ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}) };
  const logLevel = LOG_LEVELS[config.logLevel];
  // One logger for Bolt, the WebClient and Debrief's services: structured, secrets removed.
  const logger = options.logger ?? createLogger({ level: config.logLevel, format: config.logFormat, secrets: configSecrets(config) });
  // Either one workspace's bot token, or OAuth: Bolt then authorizes each request from the
  // installation of the team it comes from.
  if (config.slack.oauth && !options.installationStore) throw new Error('OAuth installs need an installation store.');
  const auth =
    config.slack.oauth && options.installationStore
      ? oauthAppOptions({
          oauth: config.slack.oauth,
          installationStore: options.installationStore,
          publicUrl: config.crm.publicUrl,
          clientOptions,
          ...(config.slack.appToken ? { port: config.port } : {}),
        })
      : { token: config.slack.botToken };

  if (config.slack.appToken) {
    return new App({
      ...auth,
      appToken: config.slack.appToken,
      signingSecret: config.slack.signingSecret,
      socketMode: true,
      customRoutes,
      ...('installerOptions' in auth ? {} : { installerOptions: { port: config.port } }),
      clientOptions,
      logger,
      logLevel,
    });
  }

  const receiver = new ValidatingHTTPReceiver({
    signingSecret: config.slack.signingSecret,
    endpoints: '/slack/events',
    customRoutes,
    ...('installerOptions' in auth ? auth : {}),
    logger,
    logLevel,
    handOff: options.workThread?.handOff,
  });
  return new App({ ...('token' in auth ? { token: auth.token } : {}), receiver, clientOptions, logger, logLevel });
}

/**
 * The InstallProvider Bolt built for OAuth installs, or undefined with a single bot token. Work
 * outside requests authorizes through it, as Bolt does for requests, so a rotating token is
 * refreshed (and the new one stored) in one place. Bolt keeps its receiver private; the receiver's
 * installer is public on both the HTTP and the Socket Mode receiver.
 */
export function installerOf(app: App): TTeamAuthorizer | undefined {
  const receiver: unknown = Reflect.get(app, 'receiver');
  const installer: unknown = typeof receiver === 'object' && receiver !== null ? Reflect.get(receiver, 'installer') : undefined;
  return isTeamAuthorizer(installer) ? installer : undefined;
}

function isTeamAuthorizer(value: unknown): value is TTeamAuthorizer {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'authorize') === 'function';
}
