import type { HomeView, ModalView } from '@slack/types';
import { ACTIONS, CALLBACKS, COMMANDS, SEARCH_INPUTS } from '../../src/slack/ids';
import { assertWithinSlackLimits } from '../helpers/blockKitLimits';
import { DATABASE_KINDS } from '../helpers/database';
import { startHarness, type THarness } from '../helpers/debriefHarness';
import { FAKE_TEAM_ID, type RecordedCall } from '../helpers/fakeSlack';
import { ANON, CORPUS, CORPUS_CHANNEL, CORPUS_PRIVATE_CHANNEL, RITA, SAM, seedLossCorpus, type TCorpusLoss } from '../helpers/lossCorpus';
import { MANAGER, blockAction, eventEnvelope, stateFor, text, viewSubmission } from '../helpers/payloads';
import { postCommand, postEvent, postInteraction } from '../helpers/slackRequests';

const NOW = new Date('2026-11-23T15:00:00Z');
/** A private channel whose id does not give it away: only conversations.info says it is private. */
const NEW_PRIVATE_CHANNEL = 'C0PRIVATE1';
const PRIVATE_MEMBER = 'U0MEMBER01';

const EXTRA_LOSSES: TCorpusLoss[] = [
  ...Array.from({ length: 6 }, (_, index) => ({
    key: `filler${index}`,
    name: `Filler Co ${index}`,
    lostAt: `2026-0${index + 1}-05`,
    owner: SAM,
    status: 'debriefed' as const,
    debrief: { primaryReason: 'price_budget', wentWrong: 'Quoted list price with no discount path.' },
  })),
  {
    key: 'cyberdyne',
    name: 'Cyberdyne Systems',
    competitor: 'Globex',
    lostAt: '2026-11-10',
    owner: RITA,
    channelId: NEW_PRIVATE_CHANNEL,
    debrief: { primaryReason: 'product_gap', winnerName: 'Globex', whyWinnerWon: 'Skynet integration.' },
  },
];

function blocksOf(call: RecordedCall): string {
  return JSON.stringify(call.args.blocks ?? call.args.view ?? []);
}

describe.each(DATABASE_KINDS)('searching past losses on %s', (kind) => {
  let harness: THarness;

  beforeAll(async () => {
    harness = await startHarness(kind, { now: () => NOW });
    const workspace = await harness.debrief.repos.workspaces.ensure(FAKE_TEAM_ID);
    await seedLossCorpus(harness.debrief.database.prisma, workspace.id, [...CORPUS, ...EXTRA_LOSSES]);
  });
  afterAll(async () => {
    await harness?.stop();
  });
  beforeEach(() => {
    harness.slack.reset();
    // Who is in which private channel, as Slack would say; membership is cached for a minute,
    // so every test answers the same.
    harness.slack.setResponse('conversations.members', (args) => ({
      ok: true,
      members: args.channel === CORPUS_PRIVATE_CHANNEL || args.channel === NEW_PRIVATE_CHANNEL ? [PRIVATE_MEMBER, MANAGER] : [],
      response_metadata: { next_cursor: '' },
    }));
    harness.slack.setResponse('conversations.info', (args) => ({
      ok: true,
      channel: { id: args.channel, is_private: args.channel !== CORPUS_CHANNEL },
    }));
  });

  async function search(query: string, userId = RITA): Promise<RecordedCall> {
    const responseUrl = harness.slack.responseUrl();
    const response = await postCommand(harness.http, { command: COMMANDS.losses, text: query, user_id: userId, response_url: responseUrl });
    expect(response.status).toBe(200);
    expect(response.body).toBe('');
    return harness.slack.waitForCall('response_url', (call) => call.path === new URL(responseUrl).pathname);
  }

  /** The deal names of the results, in order. */
  function dealsIn(call: RecordedCall): string[] {
    const blocks = call.args.blocks as Array<{ type: string; text?: { text: string } }>;
    return blocks
      .filter((block) => block.type === 'section' && /^\d+\. \*/.test(block.text?.text ?? ''))
      .map((block) => {
        const title = block.text!.text;
        return (/^\d+\. \*<[^|]+\|([^>]+)>\*/.exec(title) ?? /^\d+\. \*([^*]+)\*/.exec(title))![1]!;
      });
  }

  it('answers /losses <words> privately with the best matches first', async () => {
    const answer = await search('pricing');
    expect(answer.args.response_type).toBe('ephemeral');
    assertWithinSlackLimits({ text: String(answer.args.text), blocks: answer.args.blocks as never });
    const deals = dealsIn(answer);
    // Price was the reason of acme and stark (first tier, newest first) and the fillers; Initech only discussed it.
    expect(deals.slice(0, 2)).toEqual(['Acme Corp renewal', 'Filler Co 5']);
    expect(blocksOf(answer)).toContain('*pricing*');
    expect(blocksOf(answer)).toContain(ACTIONS.searchMore);
  });

  it('pages with "More results", replacing the message, until the last result', async () => {
    const first = await search('reason:price');
    const seen = [...dealsIn(first)];
    expect(seen).toHaveLength(5);
    let call = first;
    for (let page = 0; page < 5 && blocksOf(call).includes(ACTIONS.searchMore); page += 1) {
      const value = (call.args.blocks as Array<{ type: string; elements?: Array<{ value: string }> }>).find((block) => block.type === 'actions')!.elements![0]!.value;
      const responseUrl = harness.slack.responseUrl();
      await postInteraction(harness.http, blockAction({ actionId: ACTIONS.searchMore, value, userId: RITA, responseUrl }));
      call = await harness.slack.waitForCall('response_url', (recorded) => recorded.path === new URL(responseUrl).pathname);
      expect(call.args.replace_original).toBe(true);
      seen.push(...dealsIn(call));
    }
    // acme, stark and six fillers; Wayne is in a private channel Rita is not in.
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
    expect(seen).not.toContain('Wayne Enterprises');
    expect(blocksOf(call)).toContain('Results 6–8');
  });

  it('finds a retro from a private channel only for its members', async () => {
    expect(dealsIn(await search('globex', RITA))).toEqual(['Acme Corp renewal', 'Initech expansion']);
    expect(dealsIn(await search('globex', PRIVATE_MEMBER))).toEqual(['Cyberdyne Systems', 'Wayne Enterprises', 'Acme Corp renewal', 'Initech expansion']);
    const channelsAsked = harness.slack.calls('conversations.members').map((call) => call.args.channel);
    expect(channelsAsked).not.toContain(CORPUS_CHANNEL);
  });

  it('never lets a non-manager find an anonymous author, while a manager can', async () => {
    const asRep = await search(`rep:<@${ANON}|anon>`, RITA);
    expect(dealsIn(asRep)).toEqual([]);
    expect(JSON.stringify(asRep.args.blocks)).not.toContain('Umbrella');
    expect(dealsIn(await search(`rep:<@${ANON}|anon>`, MANAGER))).toEqual(['Umbrella platform']);
  });

  it('suggests a broader search when nothing matches', async () => {
    const answer = await search('globex status:open');
    expect(dealsIn(answer)).toEqual([]);
    expect(blocksOf(answer)).toContain('No past losses match');
    expect(blocksOf(answer)).toContain('`/losses globex`');
  });

  it('answers a bad filter at once with a short help, and never crashes', async () => {
    for (const query of ['color:blue', 'since:someday', 'min:lots max:', 'rep:rita']) {
      const response = await postCommand(harness.http, { command: COMMANDS.losses, text: query, user_id: RITA, response_url: harness.slack.responseUrl() });
      expect(response.status).toBe(200);
      expect(response.json).toMatchObject({ response_type: 'ephemeral' });
      expect(response.body).toContain('/losses help');
    }
  });

  it('explains the search language on /losses help', async () => {
    const response = await postCommand(harness.http, { command: COMMANDS.losses, text: 'help' });
    expect(response.body).toContain('competitor:');
    expect(response.body).toContain('/losses acme pricing');
  });

  it('publishes the loss library on the Home tab, within Slack limits and the reader\u2019s channels', async () => {
    await postEvent(harness.http, eventEnvelope({ type: 'app_home_opened', user: RITA, channel: 'D0RITA', tab: 'home', event_ts: '1763910000.000100' }));
    const publish = await harness.slack.waitForCall('views.publish');
    expect(publish.args.user_id).toBe(RITA);
    const view = publish.args.view as HomeView;
    assertWithinSlackLimits(view);
    const shown = JSON.stringify(view.blocks);
    expect(shown).toContain('Start here');
    expect(shown).toContain('Bring the economic buyer in before pricing comes up.');
    expect(shown).toContain('Multi-thread before the champion moves on.');
    expect(shown).not.toContain('Secret pricing lesson');
    expect(shown).toContain('Against Globex');
    expect(shown).toContain('Build an onboarding bundle offer'); // Rita's action item
    expect(shown).not.toContain('Cyberdyne Systems');

    harness.slack.reset();
    await postEvent(harness.http, eventEnvelope({ type: 'app_home_opened', user: PRIVATE_MEMBER, channel: 'D0MEMBER', tab: 'home', event_ts: '1763910000.000200' }));
    const forMember = JSON.stringify(((await harness.slack.waitForCall('views.publish')).args.view as HomeView).blocks);
    expect(forMember).toContain('Secret pricing lesson');
    expect(forMember).toContain('Cyberdyne Systems');
    expect(forMember).not.toContain('Build an onboarding bundle offer');
  });

  it('does not publish when the Messages tab opens', async () => {
    await postEvent(harness.http, eventEnvelope({ type: 'app_home_opened', user: RITA, channel: 'D0RITA', tab: 'messages', event_ts: '1763910000.000300' }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(harness.slack.calls('views.publish')).toHaveLength(0);
  });

  it('searches from the Home tab in a modal: results replace its content, bad queries show on the input', async () => {
    await postInteraction(harness.http, blockAction({ actionId: ACTIONS.openSearch, value: 'search', userId: RITA }));
    const open = await harness.slack.waitForCall('views.open');
    expect((open.args.view as ModalView).callback_id).toBe(CALLBACKS.searchModal);

    const submit = (query: string) =>
      postInteraction(harness.http, viewSubmission({ callbackId: CALLBACKS.searchModal, userId: RITA, values: stateFor([[SEARCH_INPUTS.query, text(query)]]) }));
    const found = await submit('globx');
    const update = found.json as { response_action: string; view: ModalView };
    expect(update.response_action).toBe('update');
    assertWithinSlackLimits(update.view);
    expect(JSON.stringify(update.view.blocks)).toContain('Acme Corp renewal');
    expect(JSON.stringify(update.view.blocks)).toContain('Initech expansion');

    expect((await submit('since:someday')).json).toEqual({ response_action: 'errors', errors: { [SEARCH_INPUTS.query.block]: expect.stringContaining('since:') } });
  });

  it('pages inside the modal with views.update', async () => {
    const first = (await postInteraction(
      harness.http,
      viewSubmission({ callbackId: CALLBACKS.searchModal, userId: RITA, values: stateFor([[SEARCH_INPUTS.query, text('reason:price')]]) }),
    )).json as { view: ModalView };
    const more = (first.view.blocks as Array<{ type: string; elements?: Array<{ value: string }> }>).find((block) => block.type === 'actions')!.elements![0]!.value;
    await postInteraction(harness.http, { ...blockAction({ actionId: ACTIONS.searchMore, value: more, userId: RITA }), container: { type: 'view', view_id: 'V0SEARCH' }, view: { id: 'V0SEARCH', hash: '1.abc' } });
    const update = await harness.slack.waitForCall('views.update');
    expect(update.args.view_id).toBe('V0SEARCH');
    expect(JSON.stringify((update.args.view as ModalView).blocks)).toContain('Results 6–8');
  });

  it('sends a manager the matching losses as a CSV in a DM, and refuses everyone else', async () => {
    const refusal = harness.slack.responseUrl();
    await postCommand(harness.http, { command: COMMANDS.losses, text: 'export globex', user_id: RITA, response_url: refusal });
    const refused = await harness.slack.waitForCall('response_url', (call) => call.path === new URL(refusal).pathname);
    expect(String(refused.args.text)).toContain('Exports are for managers');
    expect(harness.slack.calls('files.getUploadURLExternal')).toHaveLength(0);

    const responseUrl = harness.slack.responseUrl();
    const response = await postCommand(harness.http, { command: COMMANDS.losses, text: 'export globex', user_id: MANAGER, response_url: responseUrl });
    expect(response.json).toMatchObject({ response_type: 'ephemeral' });
    const done = await harness.slack.waitForCall('response_url', (call) => call.path === new URL(responseUrl).pathname);
    // The manager is in the private channels too, so Cyberdyne and Wayne are exported for them.
    expect(String(done.args.text)).toContain('Sent 4 lost deals');
    const complete = await harness.slack.waitForCall('files.completeUploadExternal');
    expect(complete.args.channel_id).toBe(`D${MANAGER}`);
    const [upload] = harness.slack.uploads();
    const csv = upload!.bytes.toString('utf-8').replace(/^\uFEFF/, '');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('Deal,Winner,Outcome,Main reason,Amount,Currency,Lost on,Retro status,Owner Slack ID,Owner,Why the winner won,Lessons,First lesson,Retro thread');
    expect(lines).toHaveLength(5);
    expect(csv).toContain('Acme Corp renewal,Globex,Another vendor won,Price or budget,48000.00,USD,2026-10-01,reviewed');
    expect(csv).toContain('Bundled onboarding at no extra cost.');
  });
});
