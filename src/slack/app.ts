import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, LogLevel, type CustomRoute } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import type { TConfig } from '../config/env';
import { ValidatingHTTPReceiver } from './receiver';

export interface TAppOptions {
  config: TConfig;
  /** Answers whether the database is reachable, for /healthz. */
  isDatabaseReachable: () => Promise<boolean>;
  /** Extra HTTP routes (CRM webhooks) served beside Slack's. */
  extraRoutes?: CustomRoute[];
  /** Tests shorten the WebClient's retry schedule, which by default spans half an hour. */
  clientOptions?: WebClientOptions;
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

/**
 * The Bolt app, with no listeners: Socket Mode when an app-level token is configured, otherwise
 * HTTP with every Slack request at POST /slack/events. Either way /healthz is served on PORT.
 */
export function createApp(options: TAppOptions): App {
  const { config } = options;
  const customRoutes = [healthRoute(options.isDatabaseReachable), ...(options.extraRoutes ?? [])];
  const clientOptions: WebClientOptions = { ...options.clientOptions, ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}) };
  const logLevel = LOG_LEVELS[config.logLevel];

  if (config.slack.appToken) {
    return new App({
      token: config.slack.botToken,
      appToken: config.slack.appToken,
      signingSecret: config.slack.signingSecret,
      socketMode: true,
      customRoutes,
      installerOptions: { port: config.port },
      clientOptions,
      logLevel,
    });
  }

  const receiver = new ValidatingHTTPReceiver({
    signingSecret: config.slack.signingSecret,
    endpoints: '/slack/events',
    customRoutes,
    logLevel,
  });
  return new App({ token: config.slack.botToken, receiver, clientOptions, logLevel });
}
