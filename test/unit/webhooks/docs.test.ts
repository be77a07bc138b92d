import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ZEnvironment } from '../../../src/config/env';
import { CONNECTION_KINDS, CONNECTION_PATHS } from '../../../src/services/crmConnections';
import { WEBHOOK_PATHS } from '../../../src/webhooks/routes';

// The CRM set-up guides are what an admin follows; they must name the routes that exist and the
// variables Debrief reads, and .env.example must offer every CRM variable.

const root = join(__dirname, '../../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const CRM_VARIABLE = /\b(?:PUBLIC_URL|WEBHOOK_SIGNING_SECRET|(?:HUBSPOT|SALESFORCE|PIPEDRIVE)_[A-Z_]+)\b/g;
const known = new Set(Object.keys(ZEnvironment.shape));
const crmVariables = [...known].filter((name) => name.match(CRM_VARIABLE));

describe('CRM documentation', () => {
  it.each(Object.entries(WEBHOOK_PATHS))('docs/crm/%s.md gives the real endpoint and only real variables', (crm, path) => {
    const doc = read(`docs/crm/${crm}.md`);
    expect(doc).toContain(`POST {PUBLIC_URL}${path}`);
    // The developers' section names code constants; the admin's part names only settings.
    const forAdmins = doc.split('## For developers')[0] ?? doc;
    const mentioned = [...new Set(forAdmins.match(CRM_VARIABLE) ?? [])];
    // PIPEDRIVE_API_TOKEN is the admin's own Pipedrive token in the curl that creates the webhook.
    expect(mentioned.filter((name) => !known.has(name) && name !== 'PIPEDRIVE_API_TOKEN')).toEqual([]);
  });

  it.each(CONNECTION_KINDS)('docs/crm/%s.md explains the per-workspace connection and its route', (crm) => {
    const doc = read(`docs/crm/${crm}.md`);
    expect(doc).toContain('## One connection per workspace');
    expect(doc).toContain(`POST {PUBLIC_URL}${CONNECTION_PATHS[crm]}/<connection id>`);
  });

  it('lists every CRM variable in .env.example and the README links every guide', () => {
    const example = read('.env.example');
    expect(crmVariables.filter((name) => !new RegExp(`^${name}=`, 'm').test(example))).toEqual([]);
    const readme = read('README.md');
    expect(readme).toContain('## Connecting your CRM');
    for (const crm of Object.keys(WEBHOOK_PATHS)) expect(readme).toContain(`(docs/crm/${crm}.md)`);
  });
});
