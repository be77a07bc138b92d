import { DEBRIEF_INPUTS, LOG_INPUTS } from '../../../../src/slack/ids';
import {
  ZViewStateValues,
  inputState,
  selectedValue,
  selectedValues,
  textValue,
  toBlockErrors,
} from '../../../../src/slack/parsers/viewState';
import { multiSelect, select, stateFor, text } from '../../../helpers/payloads';

const NAME = { block: 'name', action: 'name_input' };
const PICK = { block: 'pick', action: 'pick_select' };

describe('ZViewStateValues', () => {
  it('reads the shape Slack sends, keeping the keys it does not model', () => {
    const raw = {
      name: { name_input: { type: 'plain_text_input', value: 'Acme' } },
      when: { when_picker: { type: 'datepicker', selected_date: '2026-11-20' } },
      who: { who_select: { type: 'users_select', selected_user: 'U1' } },
      pick: { pick_select: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'A' }, value: 'a' } } },
      empty: { empty_select: { type: 'static_select', selected_option: null } },
    };
    const values = ZViewStateValues.parse(raw);
    expect(values.pick?.pick_select?.selected_option).toEqual({ value: 'a', text: { type: 'plain_text', text: 'A' } });
    expect(values.when?.when_picker?.selected_date).toBe('2026-11-20');
  });

  it.each([
    ['a list', []],
    ['a block that is not a record', { name: 'Acme' }],
    ['an input without a type', { name: { name_input: { value: 'Acme' } } }],
    ['a value that is not text', { name: { name_input: { type: 'plain_text_input', value: 42 } } }],
    ['an option without a value', { pick: { pick_select: { type: 'static_select', selected_option: { text: 'A' } } } }],
  ])('rejects %s', (_case, raw) => {
    expect(ZViewStateValues.safeParse(raw).success).toBe(false);
  });
});

describe('the value readers', () => {
  const values = stateFor([
    [NAME, text('  Acme Corp \n')],
    [PICK, select('a')],
    [{ block: 'many', action: 'many_select' }, multiSelect(['x', 'y'])],
    [{ block: 'blank', action: 'blank_input' }, text('   ')],
  ]);

  it('finds an input by block and action id, and nothing under the wrong ids', () => {
    expect(inputState(values, NAME)?.type).toBe('plain_text_input');
    expect(inputState(values, { block: 'name', action: 'other' })).toBeUndefined();
    expect(inputState(values, { block: 'other', action: 'name_input' })).toBeUndefined();
  });

  it('trims text and treats blank or missing text as null', () => {
    expect(textValue(values, NAME)).toBe('Acme Corp');
    expect(textValue(values, { block: 'blank', action: 'blank_input' })).toBeNull();
    expect(textValue(values, { block: 'missing', action: 'missing' })).toBeNull();
    expect(textValue(stateFor([[NAME, text(null)]]), NAME)).toBeNull();
  });

  it('reads a selected option, or null', () => {
    expect(selectedValue(values, PICK)).toBe('a');
    expect(selectedValue(stateFor([[PICK, select(null)]]), PICK)).toBeNull();
    expect(selectedValue(values, { block: 'missing', action: 'missing' })).toBeNull();
  });

  it('reads selected options in order, or an empty list', () => {
    expect(selectedValues(values, { block: 'many', action: 'many_select' })).toEqual(['x', 'y']);
    expect(selectedValues(values, { block: 'missing', action: 'missing' })).toEqual([]);
  });
});

describe('toBlockErrors', () => {
  it("keys each field's message by that field's block_id", () => {
    expect(toBlockErrors({ dealName: 'Name it.', lostOn: 'Pick a day.' }, LOG_INPUTS)).toEqual({
      [LOG_INPUTS.dealName.block]: 'Name it.',
      [LOG_INPUTS.lostOn.block]: 'Pick a day.',
    });
    expect(toBlockErrors({ wentWrong: 'Tell us.' }, DEBRIEF_INPUTS)).toEqual({ went_wrong: 'Tell us.' });
  });

  it('leaves out fields without a message', () => {
    expect(toBlockErrors({ dealName: undefined, amount: '' }, LOG_INPUTS)).toEqual({});
  });
});
