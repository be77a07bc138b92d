import type { TRepositories } from '../../../src/repositories';
import type { TWorkspace } from '../../../src/repositories/workspaces';
import type { TSettingsDefaults } from '../../../src/domain/workspaceSettings';
import { workspaceWith } from '../../helpers/workspaces';
import { SETTINGS_STALE_LIMIT_MS, SETTINGS_TTL_MS, createWorkspaceSettingsDirectory } from '../../../src/services/workspaceSettings';

// The settings directory is read by global middleware before every Slack request is acknowledged,
// so what matters is when it goes to the database and when a request has to wait for it.

const DEFAULTS: TSettingsDefaults = { retroChannelId: 'C0DEFAULT1', managers: { userGroupId: undefined, userIds: [] }, debriefNudgeAfter: { workingDays: 1 } };

/** A workspaces repository whose reads wait until the test answers them. */
function controlledWorkspaces() {
  const pending: Array<(workspace: TWorkspace | null) => void> = [];
  const workspaces = {
    findBySlackTeamId: jest.fn(() => new Promise<TWorkspace | null>((resolve) => pending.push(resolve))),
  };
  return {
    repos: { workspaces } as unknown as Pick<TRepositories, 'workspaces'>,
    reads: () => workspaces.findBySlackTeamId.mock.calls.length,
    answer: (workspace: TWorkspace | null) => pending.shift()?.(workspace),
  };
}

/** True when `promise` has settled after the microtasks queued so far have run. */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

describe('createWorkspaceSettingsDirectory', () => {
  it('reads a team once, sharing the read between concurrent requests, then answers from memory', async () => {
    let clock = 0;
    const db = controlledWorkspaces();
    const directory = createWorkspaceSettingsDirectory({ repos: db.repos, defaults: DEFAULTS, now: () => clock });
    const first = directory.ofTeam('T0TEAM001');
    const second = directory.ofTeam('T0TEAM001');
    expect(db.reads()).toBe(1);
    db.answer(workspaceWith(['Globex']));
    expect((await first).competitors).toEqual(['Globex']);
    expect((await second).competitors).toEqual(['Globex']);
    clock += SETTINGS_TTL_MS - 1;
    expect((await directory.ofTeam('T0TEAM001')).competitors).toEqual(['Globex']);
    expect(db.reads()).toBe(1);
  });

  it('past the TTL answers at once with the copy in hand and re-reads in the background', async () => {
    let clock = 0;
    const db = controlledWorkspaces();
    const directory = createWorkspaceSettingsDirectory({ repos: db.repos, defaults: DEFAULTS, now: () => clock });
    const first = directory.ofTeam('T0TEAM001');
    db.answer(workspaceWith(['Globex']));
    await first;

    clock += SETTINGS_TTL_MS;
    const stale = directory.ofTeam('T0TEAM001');
    // Answered without waiting for the database, which has not answered yet.
    expect(await isSettled(stale)).toBe(true);
    expect((await stale).competitors).toEqual(['Globex']);
    expect(db.reads()).toBe(2);
    // A second request during the re-read does not start another.
    await directory.ofTeam('T0TEAM001');
    expect(db.reads()).toBe(2);

    db.answer(workspaceWith(['Globex', 'Initech']));
    await new Promise((resolve) => setImmediate(resolve));
    expect((await directory.ofTeam('T0TEAM001')).competitors).toEqual(['Globex', 'Initech']);
    expect(db.reads()).toBe(2);
  });

  it('after a quiet spell longer than the stale limit, waits for a fresh read', async () => {
    let clock = 0;
    const db = controlledWorkspaces();
    const directory = createWorkspaceSettingsDirectory({ repos: db.repos, defaults: DEFAULTS, now: () => clock });
    const first = directory.ofTeam('T0TEAM001');
    db.answer(workspaceWith(['Globex']));
    await first;

    clock += SETTINGS_STALE_LIMIT_MS;
    const afterQuiet = directory.ofTeam('T0TEAM001');
    expect(await isSettled(afterQuiet)).toBe(false);
    db.answer(workspaceWith(['Initech']));
    expect((await afterQuiet).competitors).toEqual(['Initech']);
  });

  it('after forget() (a save on this instance) reads again, and a read begun before the save does not bring the old settings back', async () => {
    const db = controlledWorkspaces();
    const directory = createWorkspaceSettingsDirectory({ repos: db.repos, defaults: DEFAULTS, now: () => 0 });
    const beforeSave = directory.ofTeam('T0TEAM001');
    directory.forget('T0TEAM001');
    const afterSave = directory.ofTeam('T0TEAM001');
    expect(db.reads()).toBe(2);
    db.answer(workspaceWith(['Old']));
    db.answer(workspaceWith(['New']));
    expect((await beforeSave).competitors).toEqual(['Old']);
    expect((await afterSave).competitors).toEqual(['New']);
    expect((await directory.ofTeam('T0TEAM001')).competitors).toEqual(['New']);
    expect(db.reads()).toBe(2);
  });

  it('keeps the copy in hand when a background re-read fails, and tries again on the next request', async () => {
    let clock = 0;
    const warn = jest.fn();
    const workspaces = { findBySlackTeamId: jest.fn().mockResolvedValueOnce(workspaceWith(['Globex'])).mockRejectedValueOnce(new Error('connection reset')).mockResolvedValueOnce(workspaceWith(['Initech'])) };
    const directory = createWorkspaceSettingsDirectory({
      repos: { workspaces } as unknown as Pick<TRepositories, 'workspaces'>,
      defaults: DEFAULTS,
      now: () => clock,
      logger: { debug: () => undefined, info: () => undefined, warn, error: () => undefined },
    });
    await directory.ofTeam('T0TEAM001');
    clock += SETTINGS_TTL_MS;
    expect((await directory.ofTeam('T0TEAM001')).competitors).toEqual(['Globex']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(warn).toHaveBeenCalledTimes(1);
    expect((await directory.ofTeam('T0TEAM001')).competitors).toEqual(['Globex']);
    await new Promise((resolve) => setImmediate(resolve));
    expect((await directory.ofTeam('T0TEAM001')).competitors).toEqual(['Initech']);
    expect(workspaces.findBySlackTeamId).toHaveBeenCalledTimes(3);
  });
});
