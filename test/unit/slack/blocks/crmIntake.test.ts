import { buildIntakeFailureNotice, buildLostAgainNote, buildReopenedNote, inCrm } from '../../../../src/slack/blocks/crmIntake';
import { assertWithinSlackLimits, liveMentions, mrkdwnTexts } from '../../../helpers/blockKitLimits';

const textOf = (message: Parameters<typeof mrkdwnTexts>[0]) => mrkdwnTexts(message).join('\n');

describe('buildReopenedNote', () => {
  it('says where and when the deal was reopened, that nothing is needed yet, and mentions nobody', () => {
    const note = buildReopenedNote({ source: 'salesforce', reopenedOn: '2025-11-21', debriefed: false });
    expect(textOf(note)).toContain('reopened in Salesforce on Nov 21, 2025');
    expect(textOf(note)).toContain('No debrief is needed while the deal is open');
    expect(textOf(note)).toContain('a new retro opens and links back');
    expect(liveMentions(note)).toEqual([]);
    assertWithinSlackLimits(note);
  });

  it('keeps a debrief already given', () => {
    expect(textOf(buildReopenedNote({ source: 'hubspot', reopenedOn: '2025-11-21', debriefed: true }))).toContain('The debrief and this thread stay as they are');
  });

  it.each([
    ['hubspot', 'in HubSpot'],
    ['pipedrive', 'in Pipedrive'],
    ['generic', 'in your CRM'],
  ] as const)('names %s as "%s"', (source, words) => {
    expect(inCrm(source)).toBe(words);
  });
});

describe('buildLostAgainNote', () => {
  it('links to the new retro', () => {
    const note = buildLostAgainNote({ lostOn: '2025-11-24', newThreadUrl: 'https://acme.slack.com/archives/C1/p1' });
    expect(textOf(note)).toContain('lost again on Nov 24, 2025');
    expect(textOf(note)).toContain('<https://acme.slack.com/archives/C1/p1|the new retro>');
    assertWithinSlackLimits(note);
  });

  it('still points somewhere without a permalink', () => {
    expect(textOf(buildLostAgainNote({ lostOn: '2025-11-24', newThreadUrl: null }))).toContain('a new retro in this channel');
  });
});

describe('buildIntakeFailureNotice', () => {
  it('links the deal, quotes the reason escaped, and says how to recover', () => {
    const notice = buildIntakeFailureNotice({
      crmName: 'HubSpot',
      dealId: '18385316571',
      recordUrl: 'https://app.hubspot.com/contacts/62515/record/0-3/18385316571',
      reason: 'HubSpot GET /crm/v3/objects/deals/1 failed with 403 <!channel>',
    });
    const text = textOf(notice);
    expect(text).toContain('<https://app.hubspot.com/contacts/62515/record/0-3/18385316571|deal 18385316571>');
    expect(text).toContain('no retro was opened');
    expect(text).toContain('failed with 403 &lt;!channel&gt;');
    expect(text).toContain('/losses log');
    expect(notice.text).toBe('HubSpot reported deal 18385316571 as lost, but no retro was opened');
    expect(liveMentions(notice)).toEqual([]);
    assertWithinSlackLimits(notice);
  });

  it('shortens a very long reason to stay within Slack’s limits', () => {
    assertWithinSlackLimits(buildIntakeFailureNotice({ crmName: 'HubSpot', dealId: '1', recordUrl: null, reason: 'x'.repeat(10_000) }));
  });
});
