import { planHandOff } from '../../../src/slack/handOff';
import { DATA_EXPORT_PREPARING } from '../../../src/slack/blocks/workspaceData';
import { CALLBACKS } from '../../../src/slack/ids';
import { blockAction, eventEnvelope, globalShortcut, logFormState, viewSubmission } from '../../helpers/payloads';

const command = (text: string, name = '/losses') => ({ command: name, text, team_id: 'T0TEAM0001', user_id: 'U0REP00001', channel_id: 'C0RETROS01', trigger_id: '1.2.3' });

describe('planHandOff', () => {
  it('answers clicks, shortcuts and events empty at once: Slack ignores what they are answered with', () => {
    expect(planHandOff(blockAction({ actionId: 'open_debrief', value: 'retro-1' }))).toEqual({ ack: undefined });
    expect(planHandOff(globalShortcut('log_lost_deal'))).toEqual({ ack: undefined });
    expect(planHandOff(eventEnvelope({ type: 'message', channel: 'C0RETROS01', user: 'U0REP00001', text: 'hi', ts: '1.1', thread_ts: '1.0' }))).toEqual({ ack: undefined });
  });

  it('hands off the /losses sub-commands that answer empty or with a fixed line, whatever their spelling', () => {
    for (const text of ['log', 'new', 'settings', 'digest', 'digest 2026-W47', 'digest settings', 'data delete']) {
      expect(planHandOff(command(text))).toEqual({ ack: undefined });
    }
    expect(planHandOff(command('data export'))).toEqual({ ack: { response_type: 'ephemeral', text: DATA_EXPORT_PREPARING } });
  });

  it('keeps on the main thread what is answered with its result, form submissions and unknown commands', () => {
    for (const text of ['', 'help', 'pricing reason:price', 'export acme', 'digest nonsense', 'data']) {
      expect(planHandOff(command(text))).toBeNull();
    }
    expect(planHandOff(command('log', '/other'))).toBeNull();
    expect(planHandOff(viewSubmission({ callbackId: CALLBACKS.logLostDealModal, values: logFormState() }))).toBeNull();
    expect(planHandOff({ type: 'view_closed' })).toBeNull();
    expect(planHandOff({ type: 'block_suggestion' })).toBeNull();
    expect(planHandOff({})).toBeNull();
  });
});
