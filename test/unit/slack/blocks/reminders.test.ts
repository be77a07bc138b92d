import type { KnownBlock } from '@slack/types';
import { buildActionItemsDue, buildDebriefNudge, buildRevisitFollowUp, type TRevisitFollowUpInput } from '../../../../src/slack/blocks/reminders';
import { ACTIONS } from '../../../../src/slack/ids';
import { assertWithinSlackLimits, liveMentions, mrkdwnTexts } from '../../../helpers/blockKitLimits';

const deal = { dealName: 'Acme <!channel> renewal', amount: '48000', currency: 'USD', lostOn: '2026-11-20', threadUrl: 'https://test.slack.com/archives/C1/p1' };

function buttons(blocks: KnownBlock[]): Array<{ action_id?: string; value?: string; style?: string }> {
  return blocks.flatMap((block) => (block.type === 'actions' ? (block.elements as Array<{ action_id?: string; value?: string; style?: string }>) : []));
}

describe('buildDebriefNudge', () => {
  it('names the deal, links the thread and carries the "Write debrief" button', () => {
    const message = buildDebriefNudge({ ...deal, retroId: 'retro-1', reminderNumber: 1, isLastReminder: false });
    expect(buttons(message.blocks)).toEqual([expect.objectContaining({ action_id: ACTIONS.openDebrief, value: 'retro-1', style: 'primary' })]);
    const text = mrkdwnTexts(message).join('\n');
    expect(text).toContain('Acme &lt;!channel&gt; renewal');
    expect(text).toContain('$48,000.00');
    expect(text).toContain('<https://test.slack.com/archives/C1/p1|Open the retro thread>');
    expect(text).not.toContain('last reminder');
    expect(liveMentions(message)).toEqual([]);
    assertWithinSlackLimits(message);
  });

  it('says when it is the last reminder', () => {
    const message = buildDebriefNudge({ ...deal, retroId: 'retro-1', reminderNumber: 2, isLastReminder: true });
    expect(mrkdwnTexts(message).join('\n')).toContain("last reminder: I won't ask again");
  });
});

describe('buildRevisitFollowUp', () => {
  const input: TRevisitFollowUpInput = {
    ...deal,
    debriefId: 'debrief-1',
    winnerName: 'Globex',
    whyWinnerWon: 'Cheaper in year one.',
    buyerWords: 'Call us when\nthe contract ends.',
  };

  it("quotes the buyer, says why the winner won, and offers snooze and done", () => {
    const message = buildRevisitFollowUp(input);
    const text = mrkdwnTexts(message).join('\n');
    expect(text).toContain('>Call us when\n>the contract ends.');
    expect(text).toContain('*Why Globex won*\nCheaper in year one.');
    expect(buttons(message.blocks).map((button) => [button.action_id, button.value])).toEqual([
      [ACTIONS.followUpSnoozeTwoWeeks, 'debrief-1'],
      [ACTIONS.followUpSnoozeOneMonth, 'debrief-1'],
      [ACTIONS.followUpDone, 'debrief-1'],
    ]);
    assertWithinSlackLimits(message);
  });

  it('shows the answer instead of the buttons once the owner has chosen', () => {
    const snoozed = buildRevisitFollowUp(input, { kind: 'snoozed', until: '2027-06-03' });
    expect(buttons(snoozed.blocks)).toEqual([]);
    expect(mrkdwnTexts(snoozed).join('\n')).toContain('Jun 3, 2027');
    const done = buildRevisitFollowUp(input, { kind: 'done' });
    expect(buttons(done.blocks)).toEqual([]);
    expect(mrkdwnTexts(done).join('\n')).toContain('Marked done');
  });

  it('says when the buyer said nothing, and names the winner without a reason', () => {
    const text = mrkdwnTexts(buildRevisitFollowUp({ ...input, buyerWords: null, whyWinnerWon: null })).join('\n');
    expect(text).toContain('Nothing was recorded from the buyer');
    expect(text).toContain('*Who won:* Globex');
  });

  it('stays within limits with answers as long as the debrief allows', () => {
    const long = 'x'.repeat(2900);
    assertWithinSlackLimits(buildRevisitFollowUp({ ...input, dealName: 'D'.repeat(500), buyerWords: long, whyWinnerWon: long }));
  });
});

describe('buildActionItemsDue', () => {
  const item = (index: number) => ({ text: `Item ${index} <@U0BOSS>`, dealName: `Deal ${index}`, threadUrl: index % 2 ? `https://test.slack.com/archives/C1/p${index}` : null });

  it('lists each item with the retro it came from, escaping what people typed', () => {
    const message = buildActionItemsDue({ dueOn: '2026-12-01', items: [item(1), item(2)] });
    const text = mrkdwnTexts(message).join('\n');
    expect(text).toContain('2 action items from team retros are due today');
    expect(text).toContain('Item 1 &lt;@U0BOSS&gt;');
    expect(text).toContain('<https://test.slack.com/archives/C1/p1|retro of Deal 1>');
    expect(text).toContain('retro of *Deal 2*');
    expect(text).toContain('Dec 1, 2026');
    expect(liveMentions(message)).toEqual([]);
    expect(message.text).toBe('2 action items are due today');
  });

  it('lists the first twenty of a long list and counts the rest, within limits', () => {
    const message = buildActionItemsDue({ dueOn: '2026-12-01', items: Array.from({ length: 60 }, (_, index) => item(index)) });
    const text = mrkdwnTexts(message).join('\n');
    expect(text).toContain('Item 19 ');
    expect(text).not.toContain('Item 20 ');
    expect(text).toContain('…and 40 more');
    assertWithinSlackLimits(message);
  });
});
