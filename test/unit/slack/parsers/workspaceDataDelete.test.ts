import { WORKSPACE_DATA_DELETE_INPUTS } from '../../../../src/slack/ids';
import { isDeleteConfirmed, parseWorkspaceDataDeleteMetadata } from '../../../../src/slack/parsers/workspaceDataDelete';
import { stateFor, text } from '../../../helpers/payloads';

const typed = (value: string | null) => stateFor([[WORKSPACE_DATA_DELETE_INPUTS.confirmation, text(value)]]);

describe('isDeleteConfirmed', () => {
  it.each(['acme', ' ACME ', '"acme"', '`acme`'])('accepts %p for acme', (value) => {
    expect(isDeleteConfirmed(typed(value), 'acme')).toBe(true);
  });

  it.each(['acm', 'acme-sales', 'acme.slack.com', '', null])('refuses %p for acme', (value) => {
    expect(isDeleteConfirmed(typed(value), 'acme')).toBe(false);
  });

  it('refuses a form without the input', () => {
    expect(isDeleteConfirmed({}, 'acme')).toBe(false);
  });
});

describe('parseWorkspaceDataDeleteMetadata', () => {
  it('reads what the modal was opened with', () => {
    expect(parseWorkspaceDataDeleteMetadata('{"slackTeamId":"T0ACME","confirmationText":"acme"}')).toEqual({ slackTeamId: 'T0ACME', confirmationText: 'acme' });
  });

  it.each(['', 'not json', '{}', '{"slackTeamId":"acme","confirmationText":"acme"}', '{"slackTeamId":"T0ACME","confirmationText":""}'])('refuses %p', (metadata) => {
    expect(parseWorkspaceDataDeleteMetadata(metadata)).toBeNull();
  });
});
