import { App, LogLevel } from '@slack/bolt';
import { ACTIONS, CALLBACKS, COMMANDS } from '../../src/slack/ids';
import { BENCH_SIGNING_SECRET } from '../lib/slackLoad';

// The baseline: Bolt's own HTTP receiver and the same three listeners, each doing nothing but
// ack(). Whatever Debrief adds on top (payload validation, the workspace middleware and its
// database read, event de-duplication, metrics and logging context) is the difference.

async function main(): Promise<void> {
  const started = process.hrtime.bigint();
  const app = new App({
    token: 'xoxb-bench-token',
    signingSecret: BENCH_SIGNING_SECRET,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: process.env.BENCH_SLACK_URL },
  });
  app.command(COMMANDS.losses, async ({ ack }) => ack());
  app.action(ACTIONS.openDebrief, async ({ ack }) => ack());
  app.view(CALLBACKS.logLostDealModal, async ({ ack }) => ack());
  const server = (await app.start(0)) as { address(): { port: number } };
  const startMs = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(`READY ${JSON.stringify({ port: server.address().port, startMs, retroId: '00000000-0000-4000-8000-000000000000' })}`);
  process.once('SIGTERM', () => void app.stop().then(() => process.exit(0)));
}

void main();
