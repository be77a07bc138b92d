import type { App, HTTPReceiverOptions, ReceiverEvent } from '@slack/bolt';
import { HTTPModuleFunctions, HTTPReceiver } from '@slack/bolt';
import { metrics } from '../lib/metrics';
import { newRequestId, runWithRequestContext } from '../lib/requestContext';
import { describeEnvelopeProblem } from './parsers/envelope';
import { planHandOff } from './handOff';
import type { THandedOffRequest } from '../workThread/messages';

/** Takes an answered request to work on elsewhere (the work thread); false when it cannot right now. */
export type THandOff = (request: THandedOffRequest) => boolean;

export const MAX_SLACK_BODY_BYTES = 1024 * 1024;

/** A signed request whose body is not any Slack payload Debrief knows: answered 400. */
export class MalformedSlackPayloadError extends Error {
  constructor(readonly reason: string) {
    super(`Malformed Slack payload: ${reason}`);
    this.name = 'MalformedSlackPayloadError';
  }
}

/**
 * Bolt's HTTPReceiver, with the envelope of every signed request checked before Bolt dispatches
 * it, so malformed payloads get a clear 400 rather than a 404 three seconds later.
 */
export class ValidatingHTTPReceiver extends HTTPReceiver {
  private readonly handOff: THandOff | undefined;

  /** @param handOff With WORK_THREAD, where requests answered at once go to be worked on (see handOff.ts). */
  constructor(options: HTTPReceiverOptions & { handOff?: THandOff }) {
    super({
      ...options,
      processEventErrorHandler: async (args) => {
        if (args.error instanceof MalformedSlackPayloadError && !args.response.headersSent) {
          args.logger.warn(`Refused a request: ${args.error.message}`);
          args.response.writeHead(400, { 'content-type': 'application/json' });
          args.response.end(JSON.stringify({ ok: false, error: 'malformed_payload', detail: args.error.reason }));
          return true;
        }
        // Acked already (the error came from work after the ack, and app.error logged it): the
        // answer has gone, so there is nothing to write.
        if (args.response.headersSent) return true;
        return HTTPModuleFunctions.defaultProcessEventErrorHandler(args);
      },
    });
    this.handOff = options.handOff;
    // Slack's own payloads stay far below this; anything bigger is refused before it is read.
    const listener = this.requestListener;
    this.requestListener = (req, res) => {
      const declaredLength = Number(req.headers['content-length'] ?? 0);
      if (req.url?.startsWith('/slack/') && declaredLength > MAX_SLACK_BODY_BYTES) {
        res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
        res.end(JSON.stringify({ ok: false, error: 'payload_too_large', detail: `Slack requests are at most ${MAX_SLACK_BODY_BYTES} bytes` }));
        req.destroy();
        return;
      }
      listener(req, res);
    };
  }

  override init(app: App): void {
    const validatingApp = Object.create(app) as App;
    validatingApp.processEvent = async (event: ReceiverEvent) => {
      const problem = describeEnvelopeProblem(event.body);
      if (problem) throw new MalformedSlackPayloadError(problem);
      return processMeasured(app, event, this.handOff);
    };
    super.init(validatingApp);
  }
}

/** command, block_actions, view_submission, shortcut, event, ...: a small fixed set, fit for a metric label. */
export function slackRequestType(body: Record<string, unknown>): string {
  if (typeof body.command === 'string') return 'command';
  if (body.type === 'event_callback') return 'event';
  return typeof body.type === 'string' && /^[a-z_]{1,40}$/.test(body.type) ? body.type : 'other';
}

function teamIdOf(body: Record<string, unknown>): string | undefined {
  const team = body.team as { id?: unknown } | undefined;
  const id = body.team_id ?? team?.id;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Runs one Slack request through the app inside its own logging context (request id, workspace),
 * timing it until the listener acks: the latency Slack holds against its 3-second limit. Bolt's
 * middleware only sees a copy of ack(), so the receiver is the one place that sees it called.
 */
async function processMeasured(app: App, event: ReceiverEvent, handOff: THandOff | undefined): Promise<void> {
  const body = event.body as Record<string, unknown>;
  const type = slackRequestType(body);
  const started = process.hrtime.bigint();
  const context = { requestId: newRequestId(), teamId: teamIdOf(body), kind: type };
  let acknowledged = false;
  const measuredEvent: ReceiverEvent = {
    ...event,
    ack: async (response) => {
      if (!acknowledged) {
        acknowledged = true;
        metrics.slackAckSeconds.observe({ type }, Number(process.hrtime.bigint() - started) / 1e9);
      }
      return event.ack(response);
    },
  };
  const plan = handOff ? planHandOff(body) : null;
  if (handOff && plan) {
    // Answered here and now; the listeners run on the work thread, where their own ack does nothing.
    const request = { body, retryNum: event.retryNum, retryReason: event.retryReason, context };
    if (handOff(request)) {
      metrics.slackHandedOff.inc({ type });
      await measuredEvent.ack(plan.ack);
      return;
    }
  }
  try {
    await runWithRequestContext(context, () => app.processEvent(measuredEvent));
  } finally {
    if (!acknowledged) metrics.slackUnacknowledged.inc({ type });
  }
}
