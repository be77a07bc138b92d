import type { App } from '@slack/bolt';
import { createListenerRouter, type TBlockActionHandler, type TViewSubmissionHandler } from '../../../../src/slack/listeners/router';

// What Bolt is given by the router, captured: its constraints and the listener it would run.
type TRegistered = { kind: 'view' | 'action'; constraints: unknown; listener: (args: unknown) => Promise<void> };

function registeredOn(router: ReturnType<typeof createListenerRouter>): TRegistered[] {
  const registered: TRegistered[] = [];
  const app = {
    view: (constraints: unknown, listener: TRegistered['listener']) => registered.push({ kind: 'view', constraints, listener }),
    action: (constraints: unknown, listener: TRegistered['listener']) => registered.push({ kind: 'action', constraints, listener }),
  } as unknown as App;
  router.register(app);
  return registered;
}

function recorder() {
  const calls: string[] = [];
  const handler = (name: string) => async (args: { marker?: string }) => {
    calls.push(`${name}:${args.marker ?? ''}`);
  };
  return { calls, view: (name: string) => handler(name) as unknown as TViewSubmissionHandler, action: (name: string) => handler(name) as unknown as TBlockActionHandler };
}

describe('listener router', () => {
  it('gives Bolt one listener for form submissions and one for block actions', () => {
    const router = createListenerRouter();
    const { view, action } = recorder();
    router.view('log_lost_deal', view('log'));
    router.view('debrief', view('debrief'));
    router.action('open_debrief', action('open'));
    expect(registeredOn(router).map(({ kind, constraints }) => ({ kind, constraints }))).toEqual([
      { kind: 'view', constraints: { type: 'view_submission' } },
      { kind: 'action', constraints: { type: 'block_actions' } },
    ]);
  });

  it("runs the submitted modal's handler with Bolt's arguments, and none for a modal it does not know", async () => {
    const router = createListenerRouter();
    const { calls, view } = recorder();
    router.view('log_lost_deal', view('log'));
    router.view('debrief', view('debrief'));
    const [views] = registeredOn(router);

    await views!.listener({ view: { callback_id: 'debrief' }, marker: 'args passed' });
    await views!.listener({ view: { callback_id: 'somebody_elses_modal' }, marker: 'x' });
    expect(calls).toEqual(['debrief:args passed']);
  });

  it('finds an action by its exact id first, then by the patterns in the order they were added', async () => {
    const router = createListenerRouter();
    const { calls, action } = recorder();
    router.action(/^crm_revoke(:|$)/, action('revoke'));
    router.action(/^crm_/, action('any crm'));
    router.action('crm_manage', action('manage'));
    const [, actions] = registeredOn(router);
    const press = (actionId: string) => actions!.listener({ action: { action_id: actionId }, marker: actionId });

    await press('crm_manage');
    await press('crm_revoke:c1');
    await press('crm_replace:c1');
    await press('unknown');
    expect(calls).toEqual(['manage:crm_manage', 'revoke:crm_revoke:c1', 'any crm:crm_replace:c1']);
  });

  it('lets an error of the handler reach Bolt, which answers and logs it', async () => {
    const router = createListenerRouter();
    router.view('debrief', (async () => {
      throw new Error('database down');
    }));
    const [views] = registeredOn(router);
    await expect(views!.listener({ view: { callback_id: 'debrief' } })).rejects.toThrow('database down');
  });

  it('refuses a second handler for the same modal or action id', () => {
    const router = createListenerRouter();
    const { view, action } = recorder();
    router.view('debrief', view('one'));
    router.action('open_debrief', action('one'));
    expect(() => router.view('debrief', view('two'))).toThrow('Two handlers for the modal debrief');
    expect(() => router.action('open_debrief', action('two'))).toThrow('Two handlers for the action open_debrief');
  });
});
