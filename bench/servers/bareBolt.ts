import { Pool } from 'pg';
import { App, LogLevel, type AllMiddlewareArgs, type SlackViewMiddlewareArgs, type ViewSubmitAction } from '@slack/bolt';
import { toIsoDate } from '../../src/lib/dates';
import { buildDebriefModal } from '../../src/slack/blocks/debriefModal';
import { buildLogLostDealModal } from '../../src/slack/blocks/logLostDealModal';
import { buildOwnerNotice, buildRetroParentMessage, buildRetroPrompt, type TRetroCard } from '../../src/slack/blocks/retro';
import { ACTIONS, CALLBACKS, COMMANDS, LOG_INPUTS } from '../../src/slack/ids';
import { parseLogLostDealSubmission } from '../../src/slack/parsers/logLostDeal';
import { toBlockErrors } from '../../src/slack/parsers/viewState';
import { BENCH_SIGNING_SECRET } from '../lib/slackLoad';

// The baselines: Bolt's own HTTP receiver and the same three listeners.
// - BENCH_BOLT_MODE=ack (default): each listener only calls ack().
// - BENCH_BOLT_MODE=slack: each listener acks as Debrief does and then makes the Slack calls
//   Debrief makes for that request, with Debrief's own Block Kit builders (views.open of the log
//   form or the debrief form; for a logged deal the retro's parent message, the prompt in its
//   thread, its permalink and the owner's DM), but keeps nothing: no database, no middleware.
// - BENCH_BOLT_MODE=store: as ack, except that a submitted log form is validated and written to
//   PostgreSQL (BENCH_DATABASE_URL, one INSERT with node-postgres) before the ack: the least an
//   app can do and still never lose a form Slack was told was accepted, as Debrief promises.
// Debrief's p99 over the second is what Debrief itself adds (its database work, payload
// validation, workspace context, metrics, logging context) to the work any Bolt app doing the
// same job would do; over the first it is everything, the Slack calls included; over the third,
// its cost beyond that one write.

const MODE = process.env.BENCH_BOLT_MODE ?? 'ack';
const WITH_SLACK_CALLS = MODE === 'slack';

function benchCard(retroId: string, dealName: string, ownerId: string): TRetroCard {
  return {
    retroId,
    dealName,
    amount: '48000',
    currency: 'USD',
    owner: { slackUserId: ownerId },
    competitor: 'Globex',
    crmLossReason: null,
    crmUrl: null,
    source: 'manual',
    status: 'open',
    lostOn: toIsoDate(new Date()),
  };
}

/**
 * A submitted log form's values, or undefined once its inline errors have been answered. Validation
 * answers inline, so it runs before the ack in every mode that reads the form, as in Debrief.
 */
async function validLogForm(body: ViewSubmitAction, ack: SlackViewMiddlewareArgs<ViewSubmitAction>['ack']) {
  const parsed = parseLogLostDealSubmission(body.view.state.values as never, toIsoDate(new Date()));
  if (parsed.ok) return parsed.value;
  await ack({ response_action: 'errors', errors: toBlockErrors(parsed.errors, LOG_INPUTS) });
  return undefined;
}

async function main(): Promise<void> {
  const started = process.hrtime.bigint();
  const app = new App({
    token: 'xoxb-bench-token',
    signingSecret: BENCH_SIGNING_SECRET,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: process.env.BENCH_SLACK_URL },
  });
  // store: the forms' table, and the one write before each accepted form's ack.
  const pool = MODE === 'store' ? new Pool({ connectionString: process.env.BENCH_DATABASE_URL, max: 10 }) : undefined;
  await pool?.query('CREATE TABLE IF NOT EXISTS accepted_forms (view_id TEXT PRIMARY KEY, form JSONB NOT NULL, accepted_at TIMESTAMPTZ NOT NULL DEFAULT now())');
  if (!WITH_SLACK_CALLS) {
    app.command(COMMANDS.losses, async ({ ack }) => ack());
    app.action(ACTIONS.openDebrief, async ({ ack }) => ack());
    app.view(CALLBACKS.logLostDealModal, async ({ ack, body }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => {
      if (!pool) return ack();
      const form = await validLogForm(body, ack);
      if (!form) return;
      await pool.query('INSERT INTO accepted_forms (view_id, form) VALUES ($1, $2) ON CONFLICT (view_id) DO NOTHING', [body.view.id, JSON.stringify(form)]);
      await ack();
    });
  } else {
    app.command(COMMANDS.losses, async ({ ack, command, client }) => {
      await ack();
      await client.views.open({ trigger_id: command.trigger_id, view: buildLogLostDealModal({ defaultOwnerId: command.user_id, today: toIsoDate(new Date()), knownCompetitors: [] }) });
    });
    app.action(ACTIONS.openDebrief, async ({ ack, body, client }) => {
      await ack();
      const triggerId = 'trigger_id' in body ? body.trigger_id : undefined;
      if (!triggerId) return;
      await client.views.open({ trigger_id: triggerId, view: buildDebriefModal({ retroId: '00000000-0000-4000-8000-000000000000', dealName: 'Bench deal', knownCompetitor: 'Globex', existing: null, knownCompetitors: [] }) });
    });
    app.view(CALLBACKS.logLostDealModal, async ({ ack, body, client }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => {
      const form = await validLogForm(body, ack);
      if (!form) return;
      await ack();
      const card = benchCard(body.view.id, form.dealName, form.ownerSlackUserId);
      const parent = await client.chat.postMessage({ channel: 'C0RETROS01', ...buildRetroParentMessage(card), unfurl_links: false });
      await client.chat.postMessage({ channel: 'C0RETROS01', thread_ts: parent.ts, ...buildRetroPrompt(card) });
      const { permalink } = await client.chat.getPermalink({ channel: 'C0RETROS01', message_ts: parent.ts! });
      await client.chat.postMessage({ channel: form.ownerSlackUserId, ...buildOwnerNotice(card, permalink ?? null) });
    });
  }
  const server = (await app.start(0)) as { address(): { port: number } };
  const startMs = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(`READY ${JSON.stringify({ port: server.address().port, startMs, retroId: '00000000-0000-4000-8000-000000000000' })}`);
  process.once('SIGTERM', () => void app.stop().then(() => pool?.end()).then(() => process.exit(0)));
}

void main();
