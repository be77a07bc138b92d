import type { Server } from 'node:http';
import type { App } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import type { TConfig } from './config/env';
import { openDatabase, type TDatabase } from './db/client';
import { createRepositories, type TRepositories } from './repositories';
import { createApp } from './slack/app';
import { registerListeners } from './slack/listeners';

export interface TDebrief {
  app: App;
  database: TDatabase;
  repos: TRepositories;
  /** The HTTP server; in Socket Mode, the one serving /healthz. */
  server: Server | undefined;
  stop(): Promise<void>;
}

/**
 * Builds and starts Debrief: database (migrated), repositories, the Bolt app and its listeners.
 * main.ts calls this with the real configuration; integration tests call it with a fake Slack.
 */
export async function startDebrief(config: TConfig, options: { now?: () => Date; port?: number; clientOptions?: WebClientOptions } = {}): Promise<TDebrief> {
  const database = await openDatabase(config.database);
  const repos = createRepositories(database.prisma);
  const app = createApp({ config, isDatabaseReachable: () => database.ping(), clientOptions: options.clientOptions });
  registerListeners(app, { repos, logger: app.logger, retroChannelId: config.retroChannelId, now: options.now });

  let server: Server | undefined;
  try {
    const started: unknown = await app.start(options.port ?? config.port);
    server = isServer(started) ? started : undefined;
  } catch (error) {
    await database.close();
    throw error;
  }

  let stopping: Promise<void> | undefined;
  return {
    app,
    database,
    repos,
    server,
    stop: () => {
      stopping ??= (async () => {
        await app.stop().catch((error: unknown) => app.logger.warn('Stopping the Slack receiver failed', error));
        await database.close();
      })();
      return stopping;
    },
  };
}

function isServer(value: unknown): value is Server {
  return typeof value === 'object' && value !== null && 'address' in value && typeof (value as Server).address === 'function';
}
