// Regenerates docs/generic-webhook.schema.json from ZGenericWebhook:
//   npx tsx src/crm/writeGenericWebhookSchema.ts
// Kept as a script rather than done at build time so the published schema is reviewable in diffs.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { genericWebhookJsonSchema } from './generic';

const target = resolve(__dirname, '../../docs/generic-webhook.schema.json');
writeFileSync(target, `${JSON.stringify(genericWebhookJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target}`);
