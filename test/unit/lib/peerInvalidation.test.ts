import type { TRepositories } from '../../../src/repositories';
import { joinPeerInvalidation } from '../../../src/lib/peerInvalidation';
import { createWorkspaceSettingsDirectory } from '../../../src/services/workspaceSettings';
import { waitFor } from '../../helpers/wait';
import { workspaceWith } from '../../helpers/workspaces';

// The two threads of a WORK_THREAD process forget changed cached values together. Both ends run in
// this one thread here: a BroadcastChannel reaches every other channel object of its name.

describe('peer invalidation', () => {
  it('tells the other members of its channel, not itself nor other channels', async () => {
    const heardByA: string[] = [];
    const heardByB: string[] = [];
    const heardElsewhere: string[] = [];
    const a = joinPeerInvalidation('debrief:test-group:x', (key) => heardByA.push(key));
    const b = joinPeerInvalidation('debrief:test-group:x', (key) => heardByB.push(key));
    const other = joinPeerInvalidation('debrief:another-group:x', (key) => heardElsewhere.push(key));
    try {
      a.announce('T0TEAM001');
      await waitFor(() => heardByB.length > 0 || undefined, { message: 'the peer never heard' });
      expect(heardByB).toEqual(['T0TEAM001']);
      expect(heardByA).toEqual([]);
      expect(heardElsewhere).toEqual([]);
    } finally {
      [a, b, other].forEach((member) => member.close());
    }
  });

  it('is silent without a channel (one thread)', () => {
    expect(() => joinPeerInvalidation(undefined, () => undefined).announce('T0TEAM001')).not.toThrow();
  });

  it('makes the other thread read saved workspace settings again at once', async () => {
    let competitors = ['Acme'];
    const findBySlackTeamId = jest.fn(async () => workspaceWith(competitors));
    const repos = { workspaces: { findBySlackTeamId } } as unknown as Pick<TRepositories, 'workspaces'>;
    const defaults = { retroChannelId: undefined, managers: { userGroupId: undefined, userIds: [] }, debriefNudgeAfter: { workingDays: 1 } };
    const mainThread = createWorkspaceSettingsDirectory({ repos, defaults, peerChannel: 'debrief:test-group:workspace-settings' });
    const workThread = createWorkspaceSettingsDirectory({ repos, defaults, peerChannel: 'debrief:test-group:workspace-settings' });
    expect((await workThread.ofTeam('T0TEAM001')).competitors).toEqual(['Acme']);

    competitors = ['Acme', 'Globex'];
    mainThread.forget('T0TEAM001');
    await waitFor(async () => (await workThread.ofTeam('T0TEAM001')).competitors.length === 2 || undefined, { message: 'the work thread kept its old copy' });
  });
});
