import { CRM_CONNECTION_INPUTS } from '../../../../src/slack/ids';
import { parseNewConnectionForm, parseReplaceHubSpotCredentialsForm } from '../../../../src/slack/parsers/crmConnectionForm';
import type { TInputId, TInputState } from '../../../../src/slack/parsers/viewState';
import { stateFor, text } from '../../../helpers/payloads';

const SECRET = '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const TOKEN = 'pat-na1-11111111-2222-3333-4444-555555555555';
const form = (...entries: Array<[TInputId, TInputState]>) => stateFor([[CRM_CONNECTION_INPUTS.label, text('  HubSpot   EU ')], ...entries]);

describe('the new CRM connection form', () => {
  it('reads a HubSpot connection: name squeezed, values trimmed', () => {
    const values = form([CRM_CONNECTION_INPUTS.hubspotClientSecret, text(` ${SECRET} `)], [CRM_CONNECTION_INPUTS.hubspotAccessToken, text(TOKEN)]);
    expect(parseNewConnectionForm('hubspot', values)).toEqual({ ok: true, value: { label: 'HubSpot EU', credentials: { kind: 'hubspot', clientSecret: SECRET, accessToken: TOKEN } } });
  });

  it('answers every HubSpot problem next to its field at once', () => {
    const missing = parseNewConnectionForm('hubspot', stateFor([[CRM_CONNECTION_INPUTS.label, text('')]]));
    expect(missing).toEqual({
      ok: false,
      errors: {
        [CRM_CONNECTION_INPUTS.label.block]: 'Give the connection a name.',
        [CRM_CONNECTION_INPUTS.hubspotClientSecret.block]: expect.stringContaining('client secret'),
        [CRM_CONNECTION_INPUTS.hubspotAccessToken.block]: expect.stringContaining('access token'),
      },
    });
    const swapped = parseNewConnectionForm('hubspot', form([CRM_CONNECTION_INPUTS.hubspotClientSecret, text(TOKEN)], [CRM_CONNECTION_INPUTS.hubspotAccessToken, text(SECRET)]));
    expect(swapped).toEqual({ ok: false, errors: { [CRM_CONNECTION_INPUTS.hubspotClientSecret.block]: expect.stringContaining('That is the access token'), [CRM_CONNECTION_INPUTS.hubspotAccessToken.block]: expect.stringContaining('starts with pat-') } });
    const spaced = parseNewConnectionForm('hubspot', form([CRM_CONNECTION_INPUTS.hubspotClientSecret, text('abc def ghi jkl mno pqr')], [CRM_CONNECTION_INPUTS.hubspotAccessToken, text(TOKEN)]));
    expect(spaced).toEqual({ ok: false, errors: { [CRM_CONNECTION_INPUTS.hubspotClientSecret.block]: expect.stringContaining('no spaces') } });
  });

  it.each([
    ['00D5g000004ZkPb', true],
    ['00D5g000004ZkPbEAK', true],
    ['00D5g000004ZkP', false],
    ['00X5g000004ZkPbEAK', false],
    ['00D5g000004ZkPbEA', false],
  ])('checks a Salesforce org id %s', (orgId, valid) => {
    const result = parseNewConnectionForm('salesforce', form([CRM_CONNECTION_INPUTS.salesforceOrgId, text(orgId)]));
    if (valid) expect(result).toEqual({ ok: true, value: { label: 'HubSpot EU', credentials: { kind: 'salesforce', orgId } } });
    else expect(result).toEqual({ ok: false, errors: { [CRM_CONNECTION_INPUTS.salesforceOrgId.block]: expect.stringContaining('00D') } });
  });

  it('leaves the org id out when empty, and asks nothing more of Pipedrive and generic connections', () => {
    expect(parseNewConnectionForm('salesforce', form())).toEqual({ ok: true, value: { label: 'HubSpot EU', credentials: { kind: 'salesforce', orgId: undefined } } });
    expect(parseNewConnectionForm('pipedrive', form())).toEqual({ ok: true, value: { label: 'HubSpot EU', credentials: { kind: 'pipedrive' } } });
    expect(parseNewConnectionForm('generic', stateFor([[CRM_CONNECTION_INPUTS.label, text('x'.repeat(81))]]))).toEqual({ ok: false, errors: { [CRM_CONNECTION_INPUTS.label.block]: expect.stringContaining('80 characters') } });
  });

  it('reads replacement HubSpot credentials', () => {
    const values = stateFor([[CRM_CONNECTION_INPUTS.hubspotClientSecret, text(SECRET)], [CRM_CONNECTION_INPUTS.hubspotAccessToken, text(TOKEN)]]);
    expect(parseReplaceHubSpotCredentialsForm(values)).toEqual({ ok: true, value: { clientSecret: SECRET, accessToken: TOKEN } });
    expect(parseReplaceHubSpotCredentialsForm(stateFor([]))).toMatchObject({ ok: false });
  });
});
