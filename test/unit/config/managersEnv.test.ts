import { ConfigError, parseConfig } from '../../../src/config/env';

const minimal = {
  SLACK_BOT_TOKEN: 'xoxb-1234-5678-abcdef',
  SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef',
  RETRO_CHANNEL: 'C0123456789',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('parseConfig accepted the environment');
}

describe('manager configuration', () => {
  it('has no managers unless told', () => {
    expect(parseConfig(minimal).managers).toEqual({ userGroupId: undefined, userIds: [] });
    expect(parseConfig({ ...minimal, MANAGER_USERGROUP: '', MANAGER_USER_IDS: ' ' }).managers).toEqual({ userGroupId: undefined, userIds: [] });
  });

  it('reads a user group and a list of member IDs, together', () => {
    expect(parseConfig({ ...minimal, MANAGER_USERGROUP: 'S0123ABCD', MANAGER_USER_IDS: 'U0123ABCD, W0456EFGH,' }).managers).toEqual({
      userGroupId: 'S0123ABCD',
      userIds: ['U0123ABCD', 'W0456EFGH'],
    });
  });

  it('explains a handle or a name given instead of an ID, with where to find the ID', () => {
    const problems = problemsOf({ ...minimal, MANAGER_USERGROUP: '@sales-leads', MANAGER_USER_IDS: 'U0123ABCD,dana' });
    expect(problems).toEqual([
      expect.stringMatching(/^MANAGER_USERGROUP must be a user group ID like S0123ABCD.*Copy group ID/),
      expect.stringMatching(/^MANAGER_USER_IDS must list member IDs like U0123ABCD.*Copy member ID/),
    ]);
  });
});
