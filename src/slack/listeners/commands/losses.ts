import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { toIsoDate } from '../../../lib/dates';
import { buildHelpMessage } from '../../blocks/help';
import { buildLogLostDealModal } from '../../blocks/logLostDealModal';
import { parseLossesCommand } from '../../parsers/command';
import type { TListenerDeps } from '../deps';

const ZLossesCommand = z.object({
  text: z.string().max(4000).default(''),
  user_id: z.string(),
  channel_id: z.string(),
  trigger_id: z.string(),
});

export function createLossesCommandHandler(deps: TListenerDeps) {
  return async ({ command, ack, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const payload = ZLossesCommand.safeParse(command);
    if (!payload.success) {
      await ack(buildHelpMessage('I could not read that command. Try again, or see the help below.'));
      return;
    }
    const parsed = parseLossesCommand(payload.data.text);
    if (parsed.kind === 'log') {
      await ack();
      const today = toIsoDate(deps.now?.() ?? new Date());
      await client.views.open({
        trigger_id: payload.data.trigger_id,
        view: buildLogLostDealModal({ defaultOwnerId: payload.data.user_id, today }),
      });
      return;
    }
    const problem = parsed.kind === 'unknown' ? `I don't know \`${parsed.text.slice(0, 50).replace(/`/g, "'")}\` yet.` : undefined;
    await ack({ response_type: 'ephemeral', ...buildHelpMessage(problem) });
  };
}
