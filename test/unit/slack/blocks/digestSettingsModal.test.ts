import { buildDigestSettingsModal } from '../../../../src/slack/blocks/digestSettingsModal';
import { CALLBACKS, DIGEST_ENABLED_VALUE, DIGEST_SETTINGS_INPUTS } from '../../../../src/slack/ids';
import { readDigestSettingsAnswers, parseDigestSettingsMetadata } from '../../../../src/slack/parsers/digestSettings';
import { assertWithinSlackLimits, mrkdwnTexts } from '../../../helpers/blockKitLimits';
import { checkboxes, select, stateFor, text } from '../../../helpers/payloads';

const settings = { channelId: 'C0SALES01', weekday: 5, hour: 16, timeZone: 'America/New_York', enabled: true, saved: true, savedAt: new Date() };

type TInputBlock = { block_id?: string; element?: Record<string, unknown> };

describe('buildDigestSettingsModal', () => {
  it('opens on the current settings, within Slack\'s limits', () => {
    const view = buildDigestSettingsModal({ settings, nextDueAt: new Date('2026-11-27T21:00:00Z'), privateMetadata: '{"channelId":"C0TEST01"}' });
    assertWithinSlackLimits(view);
    expect(view.callback_id).toBe(CALLBACKS.digestSettingsModal);
    const element = (input: { block: string }) => (view.blocks as TInputBlock[]).find((block) => block.block_id === input.block)?.element;
    expect(element(DIGEST_SETTINGS_INPUTS.channelId)).toMatchObject({ type: 'conversations_select', initial_conversation: 'C0SALES01' });
    expect(element(DIGEST_SETTINGS_INPUTS.weekday)).toMatchObject({ initial_option: { value: '5' } });
    expect(element(DIGEST_SETTINGS_INPUTS.hour)).toMatchObject({ initial_option: { value: '16', text: { text: '16:00' } } });
    expect(element(DIGEST_SETTINGS_INPUTS.timeZone)).toMatchObject({ initial_value: 'America/New_York' });
    expect(element(DIGEST_SETTINGS_INPUTS.enabled)).toMatchObject({ initial_options: [{ value: DIGEST_ENABLED_VALUE }] });
    expect(mrkdwnTexts(view).join('\n')).toContain('the next digest goes out Friday, Nov 27 at 16:00 (America/New_York)');
  });

  it('shows a paused digest unticked, and says when defaults are in force', () => {
    const view = buildDigestSettingsModal({ settings: { ...settings, enabled: false, saved: false }, nextDueAt: null, privateMetadata: '{}' });
    const enabled = (view.blocks as TInputBlock[]).find((block) => block.block_id === DIGEST_SETTINGS_INPUTS.enabled.block)?.element;
    expect(enabled).not.toHaveProperty('initial_options');
    const texts = mrkdwnTexts(view).join('\n');
    expect(texts).toContain('The digest is paused.');
    expect(texts).toContain('These are the defaults');
  });
});

describe('readDigestSettingsAnswers', () => {
  it('reads every field of a submission', () => {
    const values = stateFor([
      [DIGEST_SETTINGS_INPUTS.channelId, { type: 'conversations_select', selected_conversation: 'C0SALES01' }],
      [DIGEST_SETTINGS_INPUTS.weekday, select('5')],
      [DIGEST_SETTINGS_INPUTS.hour, select('16')],
      [DIGEST_SETTINGS_INPUTS.timeZone, text(' Europe/Berlin ')],
      [DIGEST_SETTINGS_INPUTS.enabled, checkboxes([])],
    ]);
    expect(readDigestSettingsAnswers(values)).toEqual({ channelId: 'C0SALES01', weekday: '5', hour: '16', timeZone: 'Europe/Berlin', enabled: false });
  });

  it('reads a form with nothing chosen as empty answers', () => {
    expect(readDigestSettingsAnswers({})).toEqual({ channelId: null, weekday: null, hour: null, timeZone: null, enabled: false });
  });

  it('accepts only the metadata it wrote', () => {
    expect(parseDigestSettingsMetadata('{"channelId":"C0TEST"}')).toEqual({ channelId: 'C0TEST' });
    expect(parseDigestSettingsMetadata('{"channelId":"<!channel>"}')).toBeNull();
    expect(parseDigestSettingsMetadata('not json')).toBeNull();
  });
});

describe('buildDigestSettingsModal without a channel', () => {
  it('leaves the channel to choose rather than sending Slack an empty one', () => {
    const view = buildDigestSettingsModal({ settings: { ...settings, channelId: '' }, nextDueAt: null, privateMetadata: '{}' });
    const channel = (view.blocks as TInputBlock[]).find((block) => block.block_id === DIGEST_SETTINGS_INPUTS.channelId.block)?.element;
    expect(channel).not.toHaveProperty('initial_conversation');
    assertWithinSlackLimits(view);
  });
});
