import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { toIsoDate } from '../../../lib/dates';
import { buildHelpMessage } from '../../blocks/help';
import { loadReasonCatalog } from '../../../services/lossReasons';
import { buildLogLostDealModal } from '../../blocks/logLostDealModal';
import { parseLossesCommand } from '../../parsers/command';
import type { TListenerDeps } from '../deps';
import { openWorkspaceSettings } from './settings';
import { answerExportCommand, answerSearchCommand } from '../search';
import { answerDigestPreview, digestUsage, openDigestSettings } from './digest';
import { answerDataExport, openDataDelete } from './workspaceData';
import { DATA_EXPORT_PREPARING, DATA_USAGE } from '../../blocks/workspaceData';

const ZLossesCommand = z.object({
  text: z.string().max(4000).default(''),
  user_id: z.string(),
  channel_id: z.string(),
  trigger_id: z.string(),
  team_id: z.string(),
  team_domain: z.string().max(255).optional(),
});

export function createLossesCommandHandler(deps: TListenerDeps) {
  return async ({ command, ack, client, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const payload = ZLossesCommand.safeParse(command);
    if (!payload.success) {
      await ack(buildHelpMessage('I could not read that command. Try again, or see the help below.'));
      return;
    }
    const parsed = parseLossesCommand(payload.data.text);
    if (parsed.kind === 'log') {
      await ack();
      const today = toIsoDate(deps.now?.() ?? new Date());
      // Read moments ago by the workspace middleware, so this costs no database round trip.
      const { competitors } = await deps.workspaceSettings.ofTeam(payload.data.team_id);
      await client.views.open({
        trigger_id: payload.data.trigger_id,
        view: buildLogLostDealModal({ defaultOwnerId: payload.data.user_id, today, knownCompetitors: competitors }),
      });
      return;
    }
    if (parsed.kind === 'digest' || parsed.kind === 'digestSettings') {
      // Both may call Slack before answering (who is a manager), so acknowledge first.
      await ack();
      const digestCommand = { slackTeamId: payload.data.team_id, slackUserId: payload.data.user_id, channelId: payload.data.channel_id, triggerId: payload.data.trigger_id };
      if (parsed.kind === 'digest') await answerDigestPreview(deps, { client, respond }, { ...digestCommand, periodLabel: parsed.period });
      else await openDigestSettings(deps, { client, respond }, digestCommand);
      return;
    }
    if (parsed.kind === 'digestUsage') {
      await ack({ response_type: 'ephemeral', text: digestUsage(parsed.text) });
      return;
    }
    if (parsed.kind === 'settings') {
      // Who may change settings is asked of Slack first, so acknowledge before.
      await ack();
      await openWorkspaceSettings(deps, { client, respond }, { slackTeamId: payload.data.team_id, slackUserId: payload.data.user_id, channelId: payload.data.channel_id, triggerId: payload.data.trigger_id });
      return;
    }
    if (parsed.kind === 'dataExport' || parsed.kind === 'dataDelete') {
      // Who may is asked of Slack, and the export takes a while: acknowledge first.
      await ack(parsed.kind === 'dataExport' ? { response_type: 'ephemeral', text: DATA_EXPORT_PREPARING } : undefined);
      const { team_id: slackTeamId, team_domain: teamDomain, user_id: slackUserId, trigger_id: triggerId } = payload.data;
      const dataCommand = { slackTeamId, teamDomain: teamDomain || slackTeamId, slackUserId, triggerId };
      if (parsed.kind === 'dataExport') await answerDataExport(deps, { client, respond }, dataCommand);
      else await openDataDelete(deps, { client, respond }, dataCommand);
      return;
    }
    if (parsed.kind === 'dataUsage') {
      await ack({ response_type: 'ephemeral', text: DATA_USAGE });
      return;
    }
    if (parsed.kind === 'search' || parsed.kind === 'export') {
      const searchCommand = { text: parsed.query, team_id: payload.data.team_id, user_id: payload.data.user_id };
      const answer = parsed.kind === 'search' ? answerSearchCommand : answerExportCommand;
      await answer(deps, { command: searchCommand, ack, respond, client });
      return;
    }
    // The help lists the workspace's own loss reasons under reason:.
    const reasons = await loadReasonCatalog(deps, { slackTeamId: payload.data.team_id }).catch((error: unknown) => {
      // The help is still worth showing, with the built-in reasons.
      deps.logger.warn('Could not read the loss reasons for the help', error);
      return undefined;
    });
    await ack({ response_type: 'ephemeral', ...buildHelpMessage(undefined, reasons) });
  };
}
