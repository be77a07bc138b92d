import { parseDebriefSubmission } from '../../../../src/slack/parsers/debrief';
import { debriefFormState } from '../../../helpers/payloads';

const TODAY = '2026-11-23';

describe('parseDebriefSubmission', () => {
  it('reads the anonymity checkbox: ticked means keep the name out of digests', () => {
    const ticked = parseDebriefSubmission(debriefFormState({ anonymous: true }), TODAY);
    const unticked = parseDebriefSubmission(debriefFormState({ anonymous: false }), TODAY);
    expect(ticked).toMatchObject({ ok: true, value: { anonymous: true } });
    expect(unticked).toMatchObject({ ok: true, value: { anonymous: false } });
  });

  it('treats a form without the checkbox (an older modal still open) as not anonymous', () => {
    const values = debriefFormState();
    delete values.debrief_anonymous;
    expect(parseDebriefSubmission(values, TODAY)).toMatchObject({ ok: true, value: { anonymous: false } });
  });
});
