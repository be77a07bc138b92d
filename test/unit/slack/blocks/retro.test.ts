import { buildOwnerNotice, buildRetroParentMessage, buildRetroPrompt, type TRetroCard, type TSlackMessage } from '../../../../src/slack/blocks/retro';
import { ACTIONS } from '../../../../src/slack/ids';
import { assertWithinSlackLimits, liveMentions, mrkdwnTexts } from '../../../helpers/blockKitLimits';

const card = (overrides: Partial<TRetroCard> = {}): TRetroCard => ({
  retroId: '2f6d2a4e-9b1c-4a57-8d0b-6c1e2f3a4b5c',
  dealName: 'Acme Corp renewal',
  amount: '48000.00',
  currency: 'USD',
  owner: { slackUserId: 'U0OWNER01' },
  competitor: 'Globex',
  crmLossReason: 'Went with a cheaper vendor',
  crmUrl: 'https://app.hubspot.com/contacts/123/deal/456',
  source: 'hubspot',
  status: 'open',
  lostOn: '2026-11-20',
  ...overrides,
});

const allText = (message: TSlackMessage) => mrkdwnTexts(message).join('\n') + JSON.stringify(message.blocks);

describe('buildRetroParentMessage', () => {
  it('shows the deal, the money, the owner as a mention, the winner, the status and the CRM link', () => {
    const message = buildRetroParentMessage(card());
    const text = allText(message);
    expect(text).toContain('Lost: Acme Corp renewal');
    expect(text).toContain('$48,000');
    expect(liveMentions(message)).toEqual(['<@U0OWNER01>']);
    expect(text).toContain('Globex');
    expect(text).toContain('Waiting for the debrief');
    expect(text).toContain('<https://app.hubspot.com/contacts/123/deal/456|Open in CRM>');
    expect(text).toContain('Went with a cheaper vendor');
    expect(message.text).toContain('Acme Corp renewal');
    assertWithinSlackLimits(message);
  });

  it.each([
    ['debriefed', 'Debriefed'],
    ['reviewed', 'Reviewed by the team'],
    ['reopened', 'Deal reopened'],
  ] as const)('labels the %s status', (status, label) => {
    expect(allText(buildRetroParentMessage(card({ status })))).toContain(label);
  });

  it('names an owner without a Slack account in text, pinging nobody', () => {
    const message = buildRetroParentMessage(card({ owner: { name: 'Dana Reyes', email: 'dana@example.com' } }));
    expect(liveMentions(message)).toEqual([]);
    expect(allText(message)).toContain('Dana Reyes (dana@example.com)');
  });

  it('escapes deal names so they cannot ping a channel or forge a link', () => {
    const message = buildRetroParentMessage(card({ dealName: '<!channel> <https://evil.example|Acme>', competitor: '<@U0EVIL>' }));
    expect(liveMentions(message)).toEqual(['<@U0OWNER01>']);
    expect(mrkdwnTexts(message).join('\n')).not.toContain('<https://evil.example');
  });

  it('says the winner is not known yet and leaves the CRM link out when there is none', () => {
    const text = allText(buildRetroParentMessage(card({ competitor: null, crmUrl: null, crmLossReason: null, source: 'manual' })));
    expect(text).toContain('Not known yet');
    expect(text).not.toContain('Open in CRM');
    expect(text).toContain('Logged in Slack');
  });

  it('links to the earlier retro when the deal was lost before', () => {
    const linked = allText(buildRetroParentMessage(card({ previousLoss: { lossNumber: 1, threadUrl: 'https://slack.example/archives/C1/p1' } })));
    expect(linked).toContain('Lost before: <https://slack.example/archives/C1/p1|the earlier retro>');
    const unlinked = allText(buildRetroParentMessage(card({ previousLoss: { lossNumber: 2, threadUrl: null } })));
    expect(unlinked).toContain('Lost before: loss #2');
  });

  it('stays within Slack limits for a very long deal name and loss reason', () => {
    assertWithinSlackLimits(buildRetroParentMessage(card({ dealName: 'x'.repeat(400), crmLossReason: 'y'.repeat(5000) })));
  });
});

describe('buildRetroPrompt and buildOwnerNotice', () => {
  it('asks the owner, by mention, with a button carrying the retro id', () => {
    const prompt = buildRetroPrompt(card());
    expect(liveMentions(prompt)).toEqual(['<@U0OWNER01>']);
    const buttons = JSON.stringify(prompt.blocks);
    expect(buttons).toContain(ACTIONS.openDebrief);
    expect(buttons).toContain('2f6d2a4e-9b1c-4a57-8d0b-6c1e2f3a4b5c');
    assertWithinSlackLimits(prompt);
  });

  it('asks for the buyer’s words and why the winner won, without suggesting an answer', () => {
    const text = mrkdwnTexts(buildRetroPrompt(card())).join('\n');
    expect(text).toMatch(/buyer said in their own words/);
    expect(text).toMatch(/why the winner won/);
  });

  it('links the owner to the thread when Slack gave a permalink', () => {
    const notice = buildOwnerNotice(card(), 'https://slack.example/archives/C1/p2');
    expect(mrkdwnTexts(notice).join('\n')).toContain('<https://slack.example/archives/C1/p2|the retro thread>');
    expect(JSON.stringify(notice.blocks)).toContain(ACTIONS.openDebrief);
    assertWithinSlackLimits(notice);
    expect(mrkdwnTexts(buildOwnerNotice(card(), null)).join('\n')).toContain('the retro thread');
  });
});
