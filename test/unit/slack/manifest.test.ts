import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { App } from '@slack/bolt';
import { parse } from 'yaml';
import { z } from 'zod';
import { registerListeners } from '../../../src/slack/listeners';
import type { TListenerDeps } from '../../../src/slack/listeners/deps';

const ZManifest = z.object({
  features: z.object({
    shortcuts: z.array(z.object({ callback_id: z.string(), type: z.enum(['global', 'message']) })).default([]),
    slash_commands: z.array(z.object({ command: z.string(), url: z.string() })).default([]),
    app_home: z.object({ home_tab_enabled: z.boolean().optional() }).optional(),
  }),
  oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()) }) }),
  settings: z.object({
    event_subscriptions: z.object({ request_url: z.string(), bot_events: z.array(z.string()) }),
    interactivity: z.object({ is_enabled: z.boolean(), request_url: z.string() }),
    socket_mode_enabled: z.boolean(),
  }),
});

const manifest = ZManifest.parse(parse(readFileSync(path.join(__dirname, '../../../slack-manifest.yml'), 'utf8')));

/** What registerListeners asks Bolt to listen for, read off a recording stand-in for the App. */
function registeredListeners() {
  const seen = { commands: [] as string[], shortcuts: [] as string[], events: [] as string[] };
  const record = (into: string[]) => (constraint: unknown) => {
    const id = typeof constraint === 'string' ? constraint : (constraint as { callback_id?: string }).callback_id;
    if (typeof id === 'string') into.push(id);
  };
  const app = {
    use: () => undefined,
    error: () => undefined,
    action: () => undefined,
    view: () => undefined,
    options: () => undefined,
    message: () => seen.events.push('message'),
    command: record(seen.commands),
    shortcut: record(seen.shortcuts),
    event: record(seen.events),
  };
  const deps = { repos: {}, logger: console } as unknown as TListenerDeps;
  registerListeners(app as unknown as App, deps);
  return seen;
}

describe('slack-manifest.yml', () => {
  const listeners = registeredListeners();

  it('declares exactly the slash commands the app listens for, all sent to /slack/events', () => {
    expect(manifest.features.slash_commands.map((command) => command.command).sort()).toEqual([...new Set(listeners.commands)].sort());
    for (const command of manifest.features.slash_commands) expect(command.url).toMatch(/\/slack\/events$/);
  });

  it('declares exactly the shortcuts the app listens for', () => {
    expect(manifest.features.shortcuts.map((shortcut) => shortcut.callback_id).sort()).toEqual([...new Set(listeners.shortcuts)].sort());
  });

  it('subscribes to the events the app handles, and to no others', () => {
    const expected = new Set<string>();
    for (const event of listeners.events) {
      // Bolt's "message" listener needs the per-conversation-type events Slack sends.
      if (event === 'message') ['message.channels', 'message.groups'].forEach((name) => expected.add(name));
      else expected.add(event);
    }
    const declared = new Set(manifest.settings.event_subscriptions.bot_events);
    for (const event of expected) expect(declared).toContain(event);
    for (const event of declared) {
      const handled = event.startsWith('message.') ? listeners.events.includes('message') : listeners.events.includes(event);
      expect({ event, handled }).toEqual({ event, handled: true });
    }
  });

  it('turns the home tab on exactly when the app publishes one', () => {
    expect(Boolean(manifest.features.app_home?.home_tab_enabled)).toBe(listeners.events.includes('app_home_opened'));
  });

  it('asks for the scopes the features need', () => {
    const scopes = manifest.oauth_config.scopes.bot;
    expect(scopes).toEqual(expect.arrayContaining(['chat:write', 'commands', 'users:read', 'users:read.email']));
    if (listeners.events.includes('message')) expect(scopes).toEqual(expect.arrayContaining(['channels:history', 'groups:history']));
    expect(new Set(scopes).size).toBe(scopes.length);
  });

  it('uses Socket Mode by default and sends everything else to /slack/events', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.interactivity.request_url).toMatch(/\/slack\/events$/);
    expect(manifest.settings.event_subscriptions.request_url).toMatch(/\/slack\/events$/);
  });
});
