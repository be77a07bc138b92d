import type { ModalView } from '@slack/types';
import { buildNotAllowedText, describeManagers } from '../../../../src/slack/blocks/permissions';
import { buildPerspectiveMessage, buildPerspectiveModal } from '../../../../src/slack/blocks/perspective';
import { buildRetroPrompt } from '../../../../src/slack/blocks/retro';
import { buildMarkLessonModal, buildOutcomeMessage, buildOutcomeModal, buildRetroAgenda, type TOutcomeMessageInput } from '../../../../src/slack/blocks/teamRetro';
import { LESSON_MAX, MAX_ACTION_ITEMS, MAX_LESSONS, type TPerspectiveAnswers } from '../../../../src/domain/teamRetro';
import { ACTIONS, ANONYMOUS_OPTION_VALUE, CALLBACKS, MARK_LESSON_INPUTS, OUTCOME_INPUTS, PERSPECTIVE_INPUTS, SHARE_WITH_NEW_REPS_VALUE } from '../../../../src/slack/ids';
import { assertWithinSlackLimits, liveMentions, mrkdwnTexts } from '../../../helpers/blockKitLimits';

const RETRO_ID = '2f6d2a4e-9b1c-4a57-8d0b-6c1e2f3a4b5c';
const EVIL = '<!channel> <https://evil.example|click>';

type TBlock = { type: string; block_id?: string; element?: Record<string, unknown>; elements?: Array<Record<string, unknown>> };
const blocks = (view: { blocks: unknown[] }) => view.blocks as TBlock[];
const elementOf = (view: ModalView, blockId: string) => blocks(view).find((block) => block.block_id === blockId)?.element;
const buttons = (message: { blocks: unknown[] }) => blocks(message).filter((block) => block.type === 'actions').flatMap((block) => block.elements ?? []);

describe('buildRetroPrompt', () => {
  it('offers the debrief, a perspective and the team retro, each carrying the retro id', () => {
    const prompt = buildRetroPrompt({
      retroId: RETRO_ID,
      dealName: 'Acme',
      amount: null,
      currency: null,
      owner: { slackUserId: 'U0OWNER01' },
      competitor: null,
      crmLossReason: null,
      crmUrl: null,
      source: 'manual',
      status: 'open',
      lostOn: '2026-11-20',
    });
    expect(buttons(prompt).map((button) => [button.action_id, button.value])).toEqual([
      [ACTIONS.openDebrief, RETRO_ID],
      [ACTIONS.openPerspective, RETRO_ID],
      [ACTIONS.runTeamRetro, RETRO_ID],
    ]);
    assertWithinSlackLimits(prompt);
  });
});

describe('perspective', () => {
  const answers: TPerspectiveAnswers = { role: 'sales_engineer', saw: `Security came late ${EVIL}`, wouldChange: 'Earlier review.', anonymous: false };

  it('builds an empty modal for a first perspective, within Slack limits', () => {
    const modal = buildPerspectiveModal({ retroId: RETRO_ID, dealName: 'Acme', existing: null });
    expect(modal.callback_id).toBe(CALLBACKS.perspectiveModal);
    expect(JSON.parse(modal.private_metadata!)).toEqual({ retroId: RETRO_ID });
    expect(elementOf(modal, PERSPECTIVE_INPUTS.saw.block)?.initial_value).toBeUndefined();
    expect(elementOf(modal, PERSPECTIVE_INPUTS.anonymous.block)?.initial_options).toBeUndefined();
    expect(JSON.stringify(modal)).toContain("Don't show my name in digests");
    assertWithinSlackLimits(modal);
  });

  it('prefills every answer when editing', () => {
    const modal = buildPerspectiveModal({ retroId: RETRO_ID, dealName: EVIL, existing: { ...answers, anonymous: true } });
    expect(modal.title.text).toBe('Edit your perspective');
    expect(elementOf(modal, PERSPECTIVE_INPUTS.role.block)?.initial_option).toMatchObject({ value: 'sales_engineer' });
    expect(elementOf(modal, PERSPECTIVE_INPUTS.saw.block)?.initial_value).toBe(answers.saw);
    expect(elementOf(modal, PERSPECTIVE_INPUTS.wouldChange.block)?.initial_value).toBe('Earlier review.');
    expect(elementOf(modal, PERSPECTIVE_INPUTS.anonymous.block)?.initial_options).toEqual([expect.objectContaining({ value: ANONYMOUS_OPTION_VALUE })]);
    expect(liveMentions(modal)).toEqual([]);
    assertWithinSlackLimits(modal);
  });

  it('shows the perspective in the thread with the author, escaped text and an edit button', () => {
    const message = buildPerspectiveMessage({ retroId: RETRO_ID, dealName: 'Acme', authorSlackUserId: 'U0SE00001', answers, revision: 1 });
    const text = mrkdwnTexts(message).join('\n');
    expect(text).toContain('Perspective from <@U0SE00001>* (sales engineer)');
    expect(text).toContain('Security came late &lt;!channel&gt;');
    expect(liveMentions(message)).toEqual(['<@U0SE00001>']);
    expect(text).not.toContain('(edited)');
    expect(text).not.toContain('digests');
    expect(buttons(message)).toEqual([expect.objectContaining({ action_id: ACTIONS.openPerspective, value: RETRO_ID })]);
    assertWithinSlackLimits(message);
  });

  it('marks an edited, anonymous perspective as such', () => {
    const text = mrkdwnTexts(buildPerspectiveMessage({ retroId: RETRO_ID, dealName: 'Acme', authorSlackUserId: 'U1', answers: { ...answers, anonymous: true }, revision: 3 })).join('\n');
    expect(text).toContain('(edited)');
    expect(text).toContain('without a name in digests');
  });

  it('stays within limits at the longest answers', () => {
    const long = 'é'.repeat(1500);
    assertWithinSlackLimits(buildPerspectiveMessage({ retroId: RETRO_ID, dealName: long, authorSlackUserId: 'U1', answers: { ...answers, saw: long, wouldChange: long }, revision: 1 }));
    assertWithinSlackLimits(buildPerspectiveModal({ retroId: RETRO_ID, dealName: long, existing: { ...answers, saw: long, wouldChange: long } }));
  });
});

describe('buildRetroAgenda', () => {
  it('lists the four questions, what is in the thread so far, and the outcome button', () => {
    const agenda = buildRetroAgenda({
      retroId: RETRO_ID,
      dealName: EVIL,
      startedBySlackUserId: 'U0MGR0001',
      debrief: { authorSlackUserId: 'U0REP0001', primaryReason: 'price_budget' },
      perspectiveCount: 2,
    });
    const text = mrkdwnTexts(agenda).join('\n');
    const order = ['What happened?', 'Why did the winner win?', 'What was in our control?', 'What do we change?'].map((question) => text.indexOf(question));
    expect(order.every((position) => position >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toContain('main reason: Price or budget');
    expect(text).toContain('2 perspectives');
    expect(liveMentions(agenda).sort()).toEqual(['<@U0MGR0001>', '<@U0REP0001>']);
    expect(buttons(agenda).map((button) => button.action_id)).toEqual([ACTIONS.recordOutcome, ACTIONS.openPerspective]);
    assertWithinSlackLimits(agenda);
  });

  it('says when there is no debrief yet', () => {
    const text = mrkdwnTexts(buildRetroAgenda({ retroId: RETRO_ID, dealName: 'Acme', startedBySlackUserId: 'U1', debrief: null, perspectiveCount: 1 })).join('\n');
    expect(text).toContain('no debrief yet and 1 perspective');
  });
});

describe('buildOutcomeModal', () => {
  it(`has ${MAX_LESSONS} lesson rows with a new-reps box each and ${MAX_ACTION_ITEMS} action item rows, all optional`, () => {
    const modal = buildOutcomeModal({ retroId: RETRO_ID, dealName: 'Acme', repReason: 'price_budget', existing: null });
    for (let row = 0; row < MAX_LESSONS; row += 1) {
      expect(elementOf(modal, OUTCOME_INPUTS.lesson(row).block)).toMatchObject({ type: 'plain_text_input', max_length: LESSON_MAX });
      expect(elementOf(modal, OUTCOME_INPUTS.lessonShare(row).block)).toMatchObject({ type: 'checkboxes', options: [expect.objectContaining({ value: SHARE_WITH_NEW_REPS_VALUE })] });
    }
    for (let row = 0; row < MAX_ACTION_ITEMS; row += 1) {
      expect(elementOf(modal, OUTCOME_INPUTS.actionText(row).block)?.type).toBe('plain_text_input');
      expect(elementOf(modal, OUTCOME_INPUTS.actionOwner(row).block)?.type).toBe('users_select');
      expect(elementOf(modal, OUTCOME_INPUTS.actionDue(row).block)?.type).toBe('datepicker');
    }
    const inputs = blocks(modal).filter((block) => block.type === 'input');
    expect(inputs.filter((block) => !(block as { optional?: boolean }).optional).map((block) => block.block_id)).toEqual([OUTCOME_INPUTS.primaryReason.block]);
    // The first close starts from the rep's reason and says where it came from.
    expect(elementOf(modal, OUTCOME_INPUTS.primaryReason.block)?.initial_option).toMatchObject({ value: 'price_budget' });
    expect(JSON.stringify(modal.blocks)).toContain("The rep's debrief says: *Price or budget*");
    expect(modal.submit?.text).toBe('Close the retro');
    assertWithinSlackLimits(modal);
  });

  it('prefills a saved outcome, row by row', () => {
    const modal = buildOutcomeModal({
      retroId: RETRO_ID,
      dealName: 'Acme',
      repReason: 'price_budget',
      existing: {
        primaryReason: 'product_gap',
        lessons: [{ text: 'One.', shareWithNewReps: false }, { text: 'Two.', shareWithNewReps: true }],
        actionItems: [{ text: 'Do it', ownerSlackUserId: 'U0SE00001', dueOn: '2026-12-04' }],
      },
    });
    expect(modal.title.text).toBe('Edit retro outcome');
    expect(elementOf(modal, OUTCOME_INPUTS.primaryReason.block)?.initial_option).toMatchObject({ value: 'product_gap' });
    expect(elementOf(modal, OUTCOME_INPUTS.lesson(1).block)?.initial_value).toBe('Two.');
    expect(elementOf(modal, OUTCOME_INPUTS.lessonShare(0).block)?.initial_options).toBeUndefined();
    expect(elementOf(modal, OUTCOME_INPUTS.lessonShare(1).block)?.initial_options).toHaveLength(1);
    expect(elementOf(modal, OUTCOME_INPUTS.lesson(2).block)?.initial_value).toBeUndefined();
    expect(elementOf(modal, OUTCOME_INPUTS.actionOwner(0).block)?.initial_user).toBe('U0SE00001');
    expect(elementOf(modal, OUTCOME_INPUTS.actionDue(0).block)?.initial_date).toBe('2026-12-04');
    expect(elementOf(modal, OUTCOME_INPUTS.actionOwner(1).block)?.initial_user).toBeUndefined();
    assertWithinSlackLimits(modal);
  });

  it('works without a debrief', () => {
    const modal = buildOutcomeModal({ retroId: RETRO_ID, dealName: 'Acme', repReason: null, existing: null });
    expect(elementOf(modal, OUTCOME_INPUTS.primaryReason.block)?.initial_option).toBeUndefined();
    expect(JSON.stringify(modal.blocks)).toContain('no debrief from the rep yet');
  });
});

describe('buildOutcomeMessage', () => {
  const input = (overrides: Partial<TOutcomeMessageInput> = {}): TOutcomeMessageInput => ({
    retroId: RETRO_ID,
    dealName: 'Acme',
    primaryReason: 'product_gap',
    repReason: 'price_budget',
    closedBySlackUserId: 'U0MGR0001',
    revision: 1,
    lastSavedBySlackUserId: 'U0MGR0001',
    lastSavedOn: '2026-11-23',
    lessons: [
      { text: `Bring security in early ${EVIL}`, shareWithNewReps: true, source: 'outcome', authorSlackUserId: 'U0MGR0001' },
      { text: 'Send redlines in week one.', shareWithNewReps: false, source: 'reply', authorSlackUserId: 'U0SE00001' },
    ],
    actionItems: [
      { text: 'Write the one-pager', ownerSlackUserId: 'U0SE00001', dueOn: '2026-12-04', done: false },
      { text: 'Call the CISO', ownerSlackUserId: 'U0REP0001', dueOn: '2026-11-30', done: true },
    ],
    ...overrides,
  });

  it('shows the agreed reason against the rep’s, the lessons, the action items and an edit button', () => {
    const message = buildOutcomeMessage(input());
    const text = mrkdwnTexts(message).join('\n');
    expect(text).toContain('Team retro closed by <@U0MGR0001>');
    expect(text).toContain('Product gap (the debrief said: Price or budget)');
    expect(text).toContain('Bring security in early &lt;!channel&gt;');
    expect(text).toContain(':mortar_board: _for new reps_');
    expect(text).toContain("Lessons from the discussion*\n• Send redlines in week one. (from <@U0SE00001>'s reply)");
    expect(text).toContain('• Write the one-pager: <@U0SE00001>, due Dec 4, 2026');
    expect(text).toContain('• ~Call the CISO: <@U0REP0001>, due Nov 30, 2026~ :heavy_check_mark:');
    expect(text).not.toContain('Revision');
    expect(text).not.toContain('<https://evil');
    expect(buttons(message)).toEqual([expect.objectContaining({ action_id: ACTIONS.recordOutcome, value: RETRO_ID })]);
    assertWithinSlackLimits(message);
  });

  it('leaves out the comparison when the team agrees with the rep, and says when nothing was agreed', () => {
    const text = mrkdwnTexts(buildOutcomeMessage(input({ primaryReason: 'price_budget', actionItems: [], lessons: input().lessons.slice(0, 1) }))).join('\n');
    expect(text).not.toContain('the debrief said');
    expect(text).toContain('_None agreed._');
    expect(text).not.toContain('Lessons from the discussion');
  });

  it('records an edit: who, when, and that earlier versions are kept', () => {
    const text = mrkdwnTexts(buildOutcomeMessage(input({ revision: 3, lastSavedBySlackUserId: 'U0LEAD001', lastSavedOn: '2026-12-01' }))).join('\n');
    expect(text).toContain('(edited)');
    expect(text).toContain('Revision 3, last edited by <@U0LEAD001> on Dec 1, 2026; earlier versions are kept.');
  });

  it('caps a long list of reply lessons and stays within limits', () => {
    const many = Array.from({ length: 30 }, (_, index) => ({ text: `${index} ${'x'.repeat(LESSON_MAX - 5)}`, shareWithNewReps: true, source: 'reply' as const, authorSlackUserId: 'U1' }));
    const message = buildOutcomeMessage(input({ lessons: many }));
    expect(mrkdwnTexts(message).join('\n')).toContain('…and 22 more');
    assertWithinSlackLimits(message);
  });
});

describe('buildMarkLessonModal', () => {
  it("prefills the reply, cut to a lesson's length, and carries where it came from", () => {
    const modal = buildMarkLessonModal({ retroId: RETRO_ID, messageTs: '1800000000.000100', authorSlackUserId: 'U0SE00001', text: 'y'.repeat(1000), shareWithNewReps: false, alreadyMarked: false });
    expect(modal.callback_id).toBe(CALLBACKS.markLessonModal);
    expect(JSON.parse(modal.private_metadata!)).toEqual({ retroId: RETRO_ID, messageTs: '1800000000.000100', authorSlackUserId: 'U0SE00001' });
    expect(String(elementOf(modal, MARK_LESSON_INPUTS.text.block)?.initial_value)).toHaveLength(LESSON_MAX);
    expect(modal.submit?.text).toBe('Keep as lesson');
    assertWithinSlackLimits(modal);
  });

  it('says when the reply is already a lesson and keeps its audience', () => {
    const modal = buildMarkLessonModal({ retroId: RETRO_ID, messageTs: '1.2', authorSlackUserId: null, text: 'Kept.', shareWithNewReps: true, alreadyMarked: true });
    expect(JSON.stringify(modal.blocks)).toContain('already a lesson');
    expect(elementOf(modal, MARK_LESSON_INPUTS.share.block)?.initial_options).toHaveLength(1);
    expect(modal.submit?.text).toBe('Save changes');
    assertWithinSlackLimits(modal);
  });
});

describe('permissions', () => {
  it('describes managers by group and by name, shortening long lists', () => {
    expect(describeManagers({ userGroupId: 'S0LEADS01', userIds: [] })).toBe('members of <!subteam^S0LEADS01>');
    expect(describeManagers({ userGroupId: undefined, userIds: ['U1', 'U2'] })).toBe('<@U1> and <@U2>');
    expect(describeManagers({ userGroupId: 'S1', userIds: ['U1'] })).toBe('members of <!subteam^S1> and <@U1>');
    expect(describeManagers({ userGroupId: undefined, userIds: ['U1', 'U2', 'U3', 'U4', 'U5', 'U6', 'U7'] })).toBe('<@U1>, <@U2>, <@U3>, <@U4>, <@U5> and 2 more');
    expect(describeManagers({ userGroupId: undefined, userIds: [] })).toBeNull();
  });

  it('explains the refusal, who can do it, and what to do instead', () => {
    const text = buildNotAllowedText({ action: 'run the team retro', ownerMayToo: true, ownerSlackUserId: 'U0REP', managers: { userGroupId: undefined, userIds: ['U0MGR'] }, instead: 'Add your perspective.' });
    expect(text).toBe(':lock: Only managers and the deal owner can run the team retro. Managers here are <@U0MGR>; the owner is <@U0REP>. Add your perspective.');
    const unconfigured = buildNotAllowedText({ action: 'mark a reply as a lesson', ownerMayToo: false, ownerSlackUserId: null, managers: { userGroupId: undefined, userIds: [] }, instead: '' });
    expect(unconfigured).toContain('No managers are set up yet');
    expect(unconfigured).toContain('/losses settings');
  });
});
