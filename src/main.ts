import 'dotenv/config';
import { ConfigError, parseConfig } from './config/env';
import { startDebrief } from './server';

async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const debrief = await startDebrief(config);
  const mode = config.slack.appToken ? 'Socket Mode' : `HTTP on port ${config.port} (POST /slack/events)`;
  const database = config.database.kind === 'postgres' ? 'PostgreSQL' : `embedded PostgreSQL in ${config.database.dataDir}`;
  debrief.app.logger.info(`Debrief is running: ${mode}, ${database}.`);

  const shutdown = (signal: string) => {
    debrief.app.logger.info(`${signal} received: shutting down.`);
    // Kubernetes kills the pod at the end of its grace period, mid-write perhaps; exiting first,
    // on a deadline, at least says so in the log. The manifests give the pod longer than this.
    const { drainSeconds, timeoutSeconds } = config.shutdown;
    setTimeout(() => {
      debrief.app.logger.error(`Shutdown took longer than ${drainSeconds + timeoutSeconds}s (SHUTDOWN_DRAIN_SECONDS + SHUTDOWN_TIMEOUT_SECONDS): exiting anyway.`);
      process.exit(1);
    }, (drainSeconds + timeoutSeconds) * 1000).unref();
    debrief.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        debrief.app.logger.error('Shutdown failed', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('Debrief failed to start:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
