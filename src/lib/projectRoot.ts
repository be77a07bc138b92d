import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The folder holding package.json. Sources run from src/ (tsx) and compiled code from dist/src/,
 * so paths to prisma/ or slack-manifest.yml cannot be a fixed number of "../" from __dirname.
 */
export function projectRoot(from: string = __dirname): string {
  for (let folder = from; ; folder = path.dirname(folder)) {
    if (existsSync(path.join(folder, 'package.json'))) return folder;
    if (path.dirname(folder) === folder) throw new Error(`No package.json above ${from}`);
  }
}
