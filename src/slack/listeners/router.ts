import type { AllMiddlewareArgs, App, BlockAction, SlackActionMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';

// Bolt runs every registered listener's matchers for every request (each an async middleware
// chain, with a copy of the request's arguments per step), however few listeners can match. With a
// listener per form and per button (29 of them), that was most of what answering a form cost the
// answering thread, more than the form's own work. So forms and buttons each get one Bolt listener
// that finds the handler in a map: the same handlers, the same arguments, one chain.

export type TViewSubmissionHandler = (args: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => Promise<void>;
export type TBlockActionHandler = (args: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs) => Promise<void>;

export interface TListenerRouter {
  /** The handler of submissions of the modal with this callback_id. */
  view(callbackId: string, handler: TViewSubmissionHandler): void;
  /** The handler of block actions with this action_id, or whose action_id matches the pattern. */
  action(actionId: string | RegExp, handler: TBlockActionHandler): void;
  /** Registers the router's two Bolt listeners; call once, after the handlers are added. */
  register(app: App): void;
}

export function createListenerRouter(): TListenerRouter {
  const views = new Map<string, TViewSubmissionHandler>();
  const actions = new Map<string, TBlockActionHandler>();
  const actionPatterns: Array<{ pattern: RegExp; handler: TBlockActionHandler }> = [];

  function once<K>(map: Map<K, unknown>, key: K, what: string): void {
    // Bolt would have run both listeners; the router runs one, so a second is a mistake to catch.
    if (map.has(key)) throw new Error(`Two handlers for the ${what} ${String(key)}`);
  }

  /** An exact action_id first, then the patterns in the order they were added. */
  function actionHandler(actionId: string): TBlockActionHandler | undefined {
    return actions.get(actionId) ?? actionPatterns.find(({ pattern }) => pattern.test(actionId))?.handler;
  }

  return {
    view(callbackId, handler) {
      once(views, callbackId, 'modal');
      views.set(callbackId, handler);
    },
    action(actionId, handler) {
      if (typeof actionId === 'string') {
        once(actions, actionId, 'action');
        actions.set(actionId, handler);
      } else {
        actionPatterns.push({ pattern: actionId, handler });
      }
    },
    register(app) {
      // An id nobody handles is left unanswered, as Bolt leaves it when no listener matches.
      app.view({ type: 'view_submission' }, async (args) => {
        const handler = views.get(args.view.callback_id);
        if (handler) await handler(args as SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs);
      });
      app.action({ type: 'block_actions' }, async (args) => {
        const handler = actionHandler(args.action.action_id);
        if (handler) await handler(args);
      });
    },
  };
}
