import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { App } from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { TConfig } from './config/env';
import { openDatabase, type TDatabase } from './db/client';
import { createRepositories, type TRepositories } from './repositories';
import { createHubSpotClient, type THubSpotClientOptions } from './crm/hubspot';
import { createBackgroundTasks, type TBackgroundTasks } from './lib/backgroundTasks';
import { createIntakeDeps, soleInstalledWorkspace, tokenWorkspace } from './services/intakeLoss';
import { DEFAULT_ANSWER_WITHIN_MS, type TWebhookDeps } from './webhooks/deps';
import { createWebhookRoutes } from './webhooks/routes';
import { createSecretBox } from './lib/secretBox';
import { createApp, installerOf } from './slack/app';
import { createInstallationStore } from './slack/installationStore';
import { createChannelAccess } from './services/channelAccess';
import { createManagerDirectory } from './services/managers';
import { createWorkspaceSettingsDirectory } from './services/workspaceSettings';
import { resolveConnection } from './services/crmConnections';
import { currentRequestWorkspace } from './slack/requestWorkspace';
import { registerListeners } from './slack/listeners';
import { createReminderTasks } from './scheduler/reminderTasks';
import { createDigestTask, digestSlackClients, type TDigestConfig } from './services/digest/digestSchedule';
import { createScheduler, type TScheduler } from './scheduler/scheduler';
import { installationClients, singleTokenClients, type TSlackClients } from './slack/clients';
import { createRetentionTask } from './scheduler/retentionTask';
import { createOutboxWorker, type TOutboxTuning, type TOutboxWorker } from './outbox/worker';
import { createDeliveryHandlers } from './services/deliveryHandlers';
import { setOutboxDepthSource } from './lib/metrics';
import { runWithRequestContext } from './lib/requestContext';
import type { THandedOffRequest } from './workThread/messages';
import { startWorkThread, type TWorkThread } from './workThread/mainSide';

export interface TDebrief {
  app: App;
  database: TDatabase;
  repos: TRepositories;
  /** Periodic work (nudges, follow-ups, digests); tests drive it with tick() and a fake clock. */
  scheduler: TScheduler;
  /** The HTTP server; in Socket Mode, the one serving /healthz. */
  server: Server | undefined;
  /** Work still running after its HTTP answer (CRM intake); tests wait with idle(). */
  backgroundTasks: TBackgroundTasks;
  /** Delivers the Slack writes queued with stored changes; tests wait with outbox.drain(). */
  outbox: TOutboxWorker;
  /** The work thread's side: acts on a request the main thread answered (see workThread/); resolves when its listener is done. */
  handleHandedOff(request: THandedOffRequest): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `all`: one thread does everything (PGlite, Socket Mode, WORK_THREAD=off, tests). `web`: the main
 * thread of WORK_THREAD, answering Slack and the CRMs; `work`: its work thread, with no server,
 * acting on handed-off requests and running the outbox and the scheduler.
 */
export type TDebriefRole = 'all' | 'web' | 'work';

/**
 * Builds and starts Debrief: database (migrated), repositories, the Bolt app and its listeners.
 * main.ts calls this with the real configuration; integration tests call it with a fake Slack.
 */
export async function startDebrief(
  config: TConfig,
  options: {
    now?: () => Date;
    port?: number;
    clientOptions?: WebClientOptions;
    startScheduler?: boolean;
    /** Tests shorten HubSpot's retry backoff, which by default waits seconds. */
    hubSpotClientOptions?: Pick<THubSpotClientOptions, 'retries' | 'baseDelayMs' | 'maxDelayMs'>;
    /** Tests shorten the outbox's poll interval and retry backoff. */
    outbox?: TOutboxTuning;
    /** By default `web` with config.workThread, else `all`. */
    role?: TDebriefRole;
    /** The work thread's: the id its main thread named the process's shared cache channels with. */
    peerGroup?: string;
  } = {},
): Promise<TDebrief> {
  const now = options.now ?? (() => new Date());
  const role: TDebriefRole = options.role ?? (config.workThread ? 'web' : 'all');
  // The two threads of a WORK_THREAD process forget changed settings together (peerInvalidation.ts).
  const peerGroup = role === 'web' ? randomUUID() : role === 'work' ? options.peerGroup : undefined;
  // The main thread migrated before starting the work thread.
  const database = await openDatabase(config.database, { migrate: role !== 'work' });
  let workThread: TWorkThread | undefined;
  // A change stored with Slack deliveries wakes the outbox worker (built below) once it commits.
  let wakeOutbox = (): void => {};
  const repos = createRepositories(database.prisma, { defaultTimeZone: config.reminders.defaultTimeZone, onDeliveriesQueued: () => wakeOutbox(), peerGroup });
  const [currentKey, ...previousKeys] = config.encryptionKeys ?? [];
  const secretBox = currentKey ? createSecretBox(currentKey, previousKeys) : undefined;
  const installationStore = config.slack.oauth && secretBox ? createInstallationStore({ installations: repos.installations, secretBox }) : undefined;
  // The CRM webhooks are routes of the app's HTTP server, so they exist before the app whose
  // client and logger they use; they read their dependencies once the app is built.
  const webhooks: { deps?: TWebhookDeps } = {};
  const extraRoutes = createWebhookRoutes(config.crm, () => webhooks.deps);
  // Set once stop() begins: /readyz answers 503 so load balancers stop sending requests here.
  let draining = false;
  const app = createApp({
    config,
    isDatabaseReachable: () => database.ping(),
    isDraining: () => draining,
    clientOptions: options.clientOptions,
    installationStore,
    extraRoutes,
    workThread: role === 'web' ? { handOff: (request) => workThread?.handOff(request) ?? false, metrics: () => workThread?.metrics() ?? Promise.resolve([]) } : undefined,
  });
  const backgroundTasks = createBackgroundTasks(app.logger);
  const slackClients = backgroundSlackClients({ app, repos, oauth: installationStore !== undefined, clientOptions: { ...options.clientOptions, ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}) } });
  // Slack writes that follow from stored changes go through the outbox, whose worker owns retrying:
  // its clients neither retry nor wait out a 429 themselves, so a failure comes back at once.
  const deliveryClientOptions: WebClientOptions = { ...options.clientOptions, ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}), retryConfig: { retries: 0 }, rejectRateLimitedCalls: true };
  const deliveryClients = installationStore
    ? backgroundSlackClients({ app, repos, oauth: true, clientOptions: deliveryClientOptions })
    : singleTokenClients(config.slack.botToken ? new WebClient(config.slack.botToken, deliveryClientOptions) : app.client);
  const outboxWorker = createOutboxWorker({ deliveries: repos.slackDeliveries, repos, handlers: createDeliveryHandlers({ retroChannelId: config.retroChannelId, reminders: config.reminders, now: options.now }), clients: deliveryClients, logger: app.logger, ...options.outbox });
  wakeOutbox = () => (role === 'web' ? workThread?.wakeOutbox() : outboxWorker.wake());
  // A webhook names no workspace: it is the bot token's, or with OAuth the one installed.
  const intakeWorkspace = installationStore
    ? soleInstalledWorkspace({
        installedTeamIds: async () => (await repos.installations.all()).flatMap((install) => (!install.isEnterpriseInstall && install.teamId ? [install.teamId] : [])),
        clients: slackClients,
      })
    : tokenWorkspace(app.client);
  webhooks.deps = {
    crm: config.crm,
    intake: createIntakeDeps({ repos, logger: app.logger, retroChannelId: config.retroChannelId, now, workspace: intakeWorkspace, reminders: config.reminders }),
    logger: app.logger,
    backgroundTasks,
    hubspot: config.crm.hubspot
      ? createHubSpotClient({ accessToken: config.crm.hubspot.accessToken, apiUrl: config.crm.hubspot.apiUrl, ...options.hubSpotClientOptions })
      : undefined,
    answerWithinMs: DEFAULT_ANSWER_WITHIN_MS,
    // Each workspace's own CRM connections; their credentials are sealed, so they need ENCRYPTION_KEY.
    connections: secretBox
      ? {
          resolve: (kind, connectionId) => resolveConnection({ connections: repos.crmConnections, secretBox }, kind, connectionId),
          clients: slackClients,
          hubspotClient: (accessToken) => createHubSpotClient({ accessToken, apiUrl: config.crm.connectionDefaults?.hubspotApiUrl, ...options.hubSpotClientOptions }),
        }
      : undefined,
  };
  // Each workspace's /losses settings, the variables filling in what it has not chosen.
  const workspaceSettings = createWorkspaceSettingsDirectory({
    repos,
    logger: app.logger,
    defaults: { retroChannelId: config.retroChannelId, managers: config.managers, debriefNudgeAfter: config.reminders.debriefNudgeAfter },
    peerChannel: peerGroup && `debrief:${peerGroup}:workspace-settings`,
  });
  const managers = createManagerDirectory({
    ...config.managers,
    logger: app.logger,
    current: () => {
      const settings = currentRequestWorkspace()?.settings;
      return settings ? { userGroupId: settings.managerUserGroupId ?? undefined, userIds: settings.managerUserIds } : undefined;
    },
  });
  const channelAccess = createChannelAccess({ logger: app.logger });
  const digestConfig: TDigestConfig = { ...config.digest, retroChannelId: config.retroChannelId, defaultTimeZone: config.reminders.defaultTimeZone };
  registerListeners(app, { repos, logger: app.logger, retroChannelId: config.retroChannelId, workspaceSettings, secretBox, publicUrl: config.crm.publicUrl, managers, channelAccess, now: options.now, reminders: config.reminders, digest: digestConfig });
  const scheduler = createScheduler({ now, logger: app.logger });
  // DMs sent outside a Slack request: with OAuth installs, each workspace's reminders go out with
  // that workspace's own token; with a single bot token, with the app's client.
  for (const task of createReminderTasks({ repos, logger: app.logger, slackClients, settings: config.reminders })) scheduler.add(task);
  const digestClients = digestSlackClients({ botToken: config.slack.botToken, apiUrl: config.slack.apiUrl, clientOptions: options.clientOptions, otherwise: slackClients });
  scheduler.add(createDigestTask({ repos, clients: digestClients, logger: app.logger, config: digestConfig, now }));
  scheduler.add(createRetentionTask({ repos, logger: app.logger, retentionDays: config.dataRetentionDays }));

  let server: Server | undefined;
  try {
    if (role === 'web') {
      workThread = await startWorkThread({
        config,
        logger: app.logger,
        startScheduler: options.startScheduler ?? true,
        peerGroup: peerGroup!,
        outbox: options.outbox,
        clientOptions: options.clientOptions?.retryConfig ? { retryConfig: options.clientOptions.retryConfig } : undefined,
      });
    }
    // The work thread serves nothing: the main thread answers every request.
    if (role !== 'work') {
      const started: unknown = await app.start(options.port ?? config.port);
      server = isServer(started) ? started : undefined;
    }
  } catch (error) {
    await workThread?.stop();
    await database.close();
    throw error;
  }
  // The outbox and the scheduler run on one thread of the process: the work thread, if there is one.
  if (role !== 'web') {
    outboxWorker.start();
    setOutboxDepthSource(() => repos.slackDeliveries.countByState());
    // Tests turn the cron job off and call scheduler.tick() themselves.
    if (options.startScheduler ?? true) scheduler.start();
  }

  let stopping: Promise<void> | undefined;
  // The work thread's handed-off requests still being worked on; stop() lets them finish.
  const handedOffInFlight = new Set<Promise<void>>();
  return {
    app,
    database,
    repos,
    scheduler,
    server,
    backgroundTasks,
    outbox: outboxWorker,
    handleHandedOff: (request) => {
      // Already answered by the main thread: the listener's own ack has nothing left to send.
      const event = { body: request.body, retryNum: request.retryNum, retryReason: request.retryReason, ack: () => Promise.resolve() };
      const handling = runWithRequestContext(request.context, () => app.processEvent(event)).catch((error: unknown) => {
        app.logger.error('A handed-off Slack request failed', error);
      });
      handedOffInFlight.add(handling);
      void handling.finally(() => handedOffInFlight.delete(handling));
      return handling;
    },
    stop: () => {
      stopping ??= (async () => {
        // 1. Fail readiness, but keep serving while the Service and the Ingress notice: a request
        //    they still route here must be answered, not refused. No new scheduler pass starts.
        draining = true;
        const schedulerStopped = scheduler.stop();
        if (config.shutdown.drainSeconds > 0) {
          app.logger.info(`Shutting down: /readyz answers 503; serving ${config.shutdown.drainSeconds}s more while load balancers move away.`);
          await sleep(config.shutdown.drainSeconds * 1000);
        }
        // 2. Stop accepting connections; this resolves once every request in flight is answered.
        //    Keep-alive connections would hold it open for their idle timeout: each is closed as
        //    soon as its last answer is out.
        if (role !== 'work') {
          const closeIdleConnections = setInterval(() => server?.closeIdleConnections(), 50);
          await app.stop().catch((error: unknown) => app.logger.warn('Stopping the Slack receiver failed', error));
          clearInterval(closeIdleConnections);
        }
        // 3. Let a scheduler pass in progress, intake already answered and requests handed to this
        //    work thread finish before the database goes.
        await schedulerStopped;
        await backgroundTasks.idle();
        await Promise.race([Promise.all(handedOffInFlight), sleep(config.shutdown.timeoutSeconds * 500)]);
        // 4. Deliver the Slack writes that are due (the thread of a deal logged a moment ago), then
        //    stop claiming; retries still backing off wait for another instance or the next start.
        //    With a work thread, it does this for the requests handed to it.
        if (role === 'web') await workThread?.stop();
        else await outboxWorker.stop(config.shutdown.timeoutSeconds * 500);
        setOutboxDepthSource(undefined);
        await database.close();
      })();
      return stopping;
    },
  };
}

/**
 * The Slack clients of all work outside Slack requests (CRM intake, reminders, digests), built
 * once: with OAuth installs, each team's own token through Bolt's installer (which refreshes
 * rotating tokens); with a single bot token, the app's client for every team.
 */
function backgroundSlackClients(options: { app: App; repos: TRepositories; oauth: boolean; clientOptions: WebClientOptions }): TSlackClients {
  if (!options.oauth) return singleTokenClients(options.app.client);
  const authorizer = installerOf(options.app);
  if (!authorizer) throw new Error('OAuth installs are configured, but Bolt built no installer.');
  return installationClients({
    authorizer,
    // A workspace of an Enterprise Grid org installed org-wide has no install of its own: its org's serves it.
    installFor: async (teamId) => {
      const install = await options.repos.installations.installServing(teamId);
      if (!install) return null;
      return install.enterpriseId ? { teamId, enterpriseId: install.enterpriseId, isEnterpriseInstall: true } : { teamId, enterpriseId: undefined, isEnterpriseInstall: false };
    },
    clientOptions: options.clientOptions,
  });
}

function isServer(value: unknown): value is Server {
  return typeof value === 'object' && value !== null && 'address' in value && typeof (value as Server).address === 'function';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
