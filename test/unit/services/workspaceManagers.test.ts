import { WebClient } from '@slack/web-api';
import { createManagerDirectory, type TManagerSource } from '../../../src/services/managers';
import { FakeSlack } from '../../helpers/fakeSlack';

// With /losses settings each workspace chooses its own managers; the directory asks, per check,
// which workspace's request it is serving (`current`), and falls back to the variables.

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('managers chosen per workspace', () => {
  let slack: FakeSlack;
  let client: WebClient;
  beforeAll(async () => {
    slack = await FakeSlack.start();
    client = new WebClient('xoxb-test', { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
  });
  afterAll(() => slack.stop());

  it("uses the current workspace's managers instead of the variables, and the variables outside one", async () => {
    const request: { managers?: TManagerSource } = {};
    const managers = createManagerDirectory({ userGroupId: undefined, userIds: ['U0ENVMGR01'], logger: silent, current: () => request.managers });
    expect(await managers.isManager(client, 'U0ENVMGR01')).toBe(true);

    request.managers = { userGroupId: undefined, userIds: ['U0ACMEMGR1'] };
    expect(await managers.isManager(client, 'U0ACMEMGR1')).toBe(true);
    expect(await managers.isManager(client, 'U0ENVMGR01')).toBe(false);
    expect(managers.source.userIds).toEqual(['U0ACMEMGR1']);
  });

  it("reads each workspace's group separately", async () => {
    slack.setResponse('usergroups.users.list', (args) => ({ ok: true, users: args.usergroup === 'S0ACMEGRP1' ? ['U0ACMELEAD'] : ['U0GLBXLEAD'] }));
    let current: TManagerSource = { userGroupId: 'S0ACMEGRP1', userIds: [] };
    const managers = createManagerDirectory({ userGroupId: undefined, userIds: [], logger: silent, current: () => current });
    expect(await managers.isManager(client, 'U0ACMELEAD')).toBe(true);
    current = { userGroupId: 'S0GLBXGRP1', userIds: [] };
    expect(await managers.isManager(client, 'U0ACMELEAD')).toBe(false);
    expect(await managers.isManager(client, 'U0GLBXLEAD')).toBe(true);
    expect(slack.calls('usergroups.users.list').map((call) => call.args.usergroup)).toEqual(['S0ACMEGRP1', 'S0GLBXGRP1']);
  });
});
