import { buildHelpMessage } from '../../../../src/slack/blocks/help';
import { buildLogLostDealModal } from '../../../../src/slack/blocks/logLostDealModal';
import { CALLBACKS, LOG_INPUTS } from '../../../../src/slack/ids';
import { assertWithinSlackLimits, mrkdwnTexts } from '../../../helpers/blockKitLimits';

describe('buildLogLostDealModal', () => {
  it('asks for the deal, amount, currency, owner, winner, CRM link and date, within limits', () => {
    const view = buildLogLostDealModal({ today: '2026-11-23', defaultOwnerId: 'U0REP' });
    expect(view.callback_id).toBe(CALLBACKS.logLostDealModal);
    const ids = view.blocks.map((block) => block.block_id);
    for (const input of Object.values(LOG_INPUTS)) expect(ids).toContain(input.block);
    const serialised = JSON.stringify(view.blocks);
    expect(serialised).toContain('"initial_user":"U0REP"');
    expect(serialised).toContain('"initial_date":"2026-11-23"');
    assertWithinSlackLimits(view);
  });

  it('offers an currency missing from the common list first, and keeps private metadata', () => {
    const view = buildLogLostDealModal({ today: '2026-11-23', defaultCurrency: 'ISK', privateMetadata: '{"channel":"C1"}' });
    const currency = view.blocks.find((block) => block.block_id === LOG_INPUTS.currency.block) as unknown as {
      element: { options: Array<{ value: string }>; initial_option?: { value: string } };
    };
    expect(currency.element.options[0]?.value).toBe('ISK');
    expect(currency.element.initial_option?.value).toBe('ISK');
    expect(view.private_metadata).toBe('{"channel":"C1"}');
  });
});

describe('buildHelpMessage', () => {
  it('leads with the problem when there is one, then explains the commands', () => {
    const help = buildHelpMessage('I don’t know “frobnicate”.');
    const texts = mrkdwnTexts(help);
    expect(help.text).toBe('I don’t know “frobnicate”.');
    expect(texts.join('\n')).toMatch(/\/losses log/);
    expect(texts.findIndex((text) => text.includes('frobnicate'))).toBeLessThan(texts.findIndex((text) => text.includes('/losses log')));
    assertWithinSlackLimits(help);
  });
});
