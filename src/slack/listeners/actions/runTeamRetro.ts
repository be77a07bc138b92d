import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { AppError } from '../../../errors';
import { mentionUser } from '../../../lib/mrkdwn';
import { authorizeTeamRetro, startTeamRetro } from '../../../services/teamRetro';
import type { TListenerDeps } from '../deps';
import { tellPrivately } from '../ephemeral';
import { privateReplyTarget, readRetroButton } from './retroButton';
import { requestScope } from '../scope';

/** "Run team retro": managers and the deal owner post the agenda in the thread. */
export function createRunTeamRetroHandler(deps: TListenerDeps) {
  return async ({ ack, body, client, respond, context }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const pressed = await readRetroButton(body, { name: 'run_team_retro', respond, logger: deps.logger });
    if (!pressed) return;
    const slackUserId = pressed.user.id;
    const serviceDeps = { repos: deps.repos, client, logger: deps.logger, managers: deps.managers };
    try {
      const permission = await authorizeTeamRetro(serviceDeps, { retroId: pressed.actions[0]!.value, slackUserId, action: 'run the team retro', scope: requestScope(context) });
      const target = privateReplyTarget(pressed, permission.retro);
      if (!permission.allowed) {
        await tellPrivately({ client, logger: deps.logger }, target, permission.explanation);
        return;
      }
      const result = await startTeamRetro(serviceDeps, { retro: permission.retro, slackUserId, now: deps.now?.() ?? new Date() });
      if (result.outcome === 'already_started') {
        const by = result.state.startedBySlackUserId ? ` by ${mentionUser(result.state.startedBySlackUserId)}` : '';
        const next = result.state.closedAt ? 'It is closed; use *Edit outcome* on the outcome message to change it.' : 'Use *Record outcome* on its agenda to close it.';
        await tellPrivately({ client, logger: deps.logger }, target, `The team retro for this deal was already started${by}. ${next}`);
      }
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await respond({ response_type: 'ephemeral', replace_original: false, text: error.userMessage });
    }
  };
}
