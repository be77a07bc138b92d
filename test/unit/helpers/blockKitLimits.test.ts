import type { KnownBlock, ModalView } from '@slack/types';
import {
  assertWithinSlackLimits,
  controlSequences,
  findSlackLimitViolations,
  liveMentions,
  mrkdwnTexts,
  plainTexts,
} from '../../helpers/blockKitLimits';

// The checker is what every builder test leans on, so it must itself be able to fail.

const plain = (text: string) => ({ type: 'plain_text' as const, text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text });

function modal(overrides: Partial<ModalView> = {}): ModalView {
  return {
    type: 'modal',
    callback_id: 'cb',
    title: plain('Title'),
    submit: plain('Submit'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: 'b1',
        label: plain('Label'),
        element: { type: 'plain_text_input', action_id: 'a1', max_length: 100 },
      },
    ],
    ...overrides,
  };
}

const message = (blocks: KnownBlock[], text = 'fallback') => ({ text, blocks });

function expectViolation(payload: Parameters<typeof findSlackLimitViolations>[0], pattern: RegExp): void {
  const violations = findSlackLimitViolations(payload);
  expect(violations).toEqual(expect.arrayContaining([expect.stringMatching(pattern)]));
  // The thrown message lists each violation on its own line after a heading.
  expect(() => assertWithinSlackLimits(payload)).toThrow(new RegExp(pattern.source.replace(/^\^/, '')));
}

describe('findSlackLimitViolations', () => {
  it('accepts a payload within every limit', () => {
    expect(findSlackLimitViolations(modal())).toEqual([]);
    expect(() => assertWithinSlackLimits(message([{ type: 'section', text: mrkdwn('hi') }]))).not.toThrow();
  });

  it('counts blocks against 50 per message and 100 per modal', () => {
    const divider: KnownBlock = { type: 'divider' };
    expect(findSlackLimitViolations(message(Array.from({ length: 50 }, () => divider)))).toEqual([]);
    expectViolation(message(Array.from({ length: 51 }, () => divider)), /^blocks: must have at most 50 items, got 51/);
    expect(findSlackLimitViolations(modal({ blocks: Array.from({ length: 100 }, () => divider), submit: undefined }))).toEqual([]);
    expectViolation(modal({ blocks: Array.from({ length: 101 }, () => divider) }), /^blocks: must have at most 100 items/);
  });

  it('limits section text to 3000 and header text to 150', () => {
    expect(findSlackLimitViolations(message([{ type: 'section', text: mrkdwn('x'.repeat(3000)) }]))).toEqual([]);
    expectViolation(message([{ type: 'section', text: mrkdwn('x'.repeat(3001)) }]), /blocks\[0\]\.text\.text: must be at most 3000/);
    expectViolation(message([{ type: 'header', text: plain('x'.repeat(151)) }]), /blocks\[0\]\.text\.text: must be at most 150/);
    expectViolation(message([{ type: 'header', text: { type: 'plain_text', text: '' } }]), /must be at least 1/);
  });

  it('limits section fields to ten of 2000 characters', () => {
    const field = mrkdwn('x'.repeat(2001));
    expectViolation(message([{ type: 'section', fields: [field] }]), /fields\[0\]\.text: must be at most 2000/);
    expectViolation(message([{ type: 'section', fields: Array.from({ length: 11 }, () => mrkdwn('x')) }]), /fields: must have at most 10/);
  });

  it('limits the modal title, submit and close to 24 characters', () => {
    expectViolation(modal({ title: plain('x'.repeat(25)) }), /^title\.text: must be at most 24/);
    expectViolation(modal({ submit: plain('x'.repeat(25)) }), /^submit\.text: must be at most 24/);
    expectViolation(modal({ close: plain('x'.repeat(25)) }), /^close\.text: must be at most 24/);
    expectViolation(modal({ submit: undefined }), /^submit: a modal with input blocks needs a submit button/);
  });

  it('limits private_metadata to 3000 characters', () => {
    expect(findSlackLimitViolations(modal({ private_metadata: 'x'.repeat(3000) }))).toEqual([]);
    expectViolation(modal({ private_metadata: 'x'.repeat(3001) }), /^private_metadata: must be at most 3000/);
  });

  it('limits option text to 75 characters and checks initial options are among the options', () => {
    const select = (text: string, initial: string) =>
      modal({
        blocks: [
          {
            type: 'input',
            block_id: 'b',
            label: plain('L'),
            element: {
              type: 'static_select',
              action_id: 'a',
              options: [{ text: plain(text), value: 'v' }],
              initial_option: { text: plain(text), value: initial },
            },
          },
        ],
      });
    expect(findSlackLimitViolations(select('x'.repeat(75), 'v'))).toEqual([]);
    expectViolation(select('x'.repeat(76), 'v'), /options\[0\]\.text\.text: must be at most 75/);
    expectViolation(select('ok', 'other'), /initial_option\(s\): .* is not exactly one of the options/);
  });

  it('requires block_id and action_id of at most 255 characters, unique within the payload', () => {
    expectViolation(message([{ type: 'divider', block_id: 'x'.repeat(256) }]), /block_id: must be at most 255/);
    expectViolation(message([{ type: 'divider', block_id: 'same' }, { type: 'divider', block_id: 'same' }]), /block_id "same" is already used at blocks\[0\]/);
    const button = (actionId: string) => ({ type: 'button' as const, action_id: actionId, text: plain('Go') });
    expectViolation(message([{ type: 'actions', elements: [button('a'.repeat(256))] }]), /action_id: must be at most 255/);
    expectViolation(message([{ type: 'actions', elements: [button('go')] }, { type: 'actions', elements: [button('go')] }]), /action_id "go" is already used/);
  });

  it('limits button values to 2000 characters and button text to 75', () => {
    const button = (text: string, value: string) => message([{ type: 'actions', elements: [{ type: 'button', action_id: 'a', text: plain(text), value }] }]);
    expect(findSlackLimitViolations(button('Go', 'v'.repeat(2000)))).toEqual([]);
    expectViolation(button('Go', 'v'.repeat(2001)), /value: must be at most 2000/);
    expectViolation(button('x'.repeat(76), 'v'), /elements\[0\]\.text\.text: must be at most 75/);
  });

  it('limits plain_text_input max_length to 3000 and initial_value to max_length', () => {
    const input = (maxLength: number, initialValue?: string) =>
      modal({
        blocks: [
          {
            type: 'input',
            block_id: 'b',
            label: plain('L'),
            element: { type: 'plain_text_input', action_id: 'a', max_length: maxLength, ...(initialValue === undefined ? {} : { initial_value: initialValue }) },
          },
        ],
      });
    expect(findSlackLimitViolations(input(3000, 'x'.repeat(3000)))).toEqual([]);
    expectViolation(input(3001), /max_length: must be a whole number from 1 to 3000/);
    expectViolation(input(10, 'x'.repeat(11)), /initial_value: must be at most 10/);
  });

  it('rejects mrkdwn where plain_text is required, and a lone surrogate anywhere', () => {
    expectViolation(message([{ type: 'header', text: { type: 'mrkdwn', text: 'x' } as unknown as ReturnType<typeof plain> }]), /text\.type: must be plain_text here/);
    expectViolation(message([{ type: 'section', text: mrkdwn('half an emoji \ud83d') }]), /lone UTF-16 surrogate/);
  });

  it('limits the message text to 4000 characters', () => {
    expectViolation(message([{ type: 'divider' }], 'x'.repeat(4001)), /^text: must be at most 4000/);
  });

  it('reports block and element types it does not know, rather than passing them unchecked', () => {
    const video = { type: 'video', title: plain('v') } as unknown as KnownBlock;
    expectViolation(message([video]), /block type "video" is not checked/);
  });
});

describe('text collectors', () => {
  const payload = message(
    [
      { type: 'header', text: plain('Header <!channel>') },
      { type: 'section', text: mrkdwn('Hi <@U123>, see <https://x.example|this> and &lt;!here&gt;') },
      { type: 'context', elements: [mrkdwn('<!here> now')] },
    ],
    'Fallback <!everyone>',
  );

  it('collects mrkdwn texts including the fallback text, and plain texts apart', () => {
    expect(mrkdwnTexts(payload)).toEqual(['Fallback <!everyone>', 'Hi <@U123>, see <https://x.example|this> and &lt;!here&gt;', '<!here> now']);
    expect(plainTexts(payload)).toEqual(['Header <!channel>']);
  });

  it('finds control sequences and live mentions in mrkdwn only', () => {
    expect(controlSequences(payload)).toEqual(['<!everyone>', '<@U123>', '<https://x.example|this>', '<!here>']);
    expect(liveMentions(payload)).toEqual(['<!everyone>', '<@U123>', '<!here>']);
  });
});
