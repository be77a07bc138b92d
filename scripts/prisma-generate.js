#!/usr/bin/env node
// `prisma generate` does not use the schema engine, but Prisma 7's CLI tries to download one
// unless PRISMA_SCHEMA_ENGINE_BINARY names an existing file. Pointing it at node keeps
// generation offline; a real engine, when the user has one, is left alone.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
const cli = path.join(path.dirname(require.resolve('prisma/package.json')), 'build', 'index.js');
const result = spawnSync(process.execPath, [cli, 'generate'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
