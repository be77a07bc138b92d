import { parseConfig } from '../../../src/config/env';
import { MINIMAL_ENV, configProblemsOf } from '../../helpers/configEnv';

const minimal = MINIMAL_ENV;

const problemsOf = configProblemsOf;

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
