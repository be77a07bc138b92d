import { ZSlackEnvelope, describeEnvelopeProblem } from '../../../../src/slack/parsers/envelope';

const event = {
  token: 'ignored',
  type: 'event_callback',
  event_id: 'Ev0001',
  team_id: 'T0001',
  event: { type: 'message', channel: 'C1', ts: '1.2', thread_ts: '1.1', text: 'hi' },
};

const command = {
  command: '/losses',
  text: 'log',
  team_id: 'T0001',
  user_id: 'U0001',
  channel_id: 'C0001',
  trigger_id: '123.456.abc',
};

const interaction = {
  type: 'view_submission',
  team: { id: 'T0001', domain: 'acme' },
  user: { id: 'U0001', name: 'rep' },
  view: { id: 'V1' },
};

describe('describeEnvelopeProblem', () => {
  it.each([
    ['an event', event],
    ['a slash command', command],
    ['a view submission', interaction],
    ['an interaction from an org-wide install (team null)', { ...interaction, team: null }],
    ...(['block_actions', 'view_closed', 'shortcut', 'message_action', 'block_suggestion'] as const).map(
      (type) => [`a ${type} interaction`, { ...interaction, type }] as [string, Record<string, unknown>],
    ),
  ])('accepts %s', (_case, body) => {
    expect(describeEnvelopeProblem(body)).toBeNull();
  });

  it('keeps the fields of the inner event it does not model', () => {
    const parsed = ZSlackEnvelope.parse(event);
    expect('event' in parsed && parsed.event).toEqual(event.event);
  });

  it.each([null, undefined, 'payload=...', 42, []])('says %p is not a JSON object', (body) => {
    expect(describeEnvelopeProblem(body)).toBe('the body is not a JSON object');
  });

  it.each([
    ['an event without an event_id', { ...event, event_id: '' }],
    ['an event without an inner type', { ...event, event: { channel: 'C1' } }],
    ['a command that does not start with a slash', { ...command, command: 'losses' }],
    ['a command without a trigger_id', { ...command, trigger_id: undefined }],
    ['an interaction of an unknown type', { ...interaction, type: 'dialog_submission' }],
    ['an interaction without a user', { ...interaction, user: undefined }],
    ['an empty object', {}],
  ])('describes %s as not a Slack payload', (_case, body) => {
    expect(describeEnvelopeProblem(body)).toMatch(/^not a Slack event, command or interaction \(.+\)$/);
  });
});
