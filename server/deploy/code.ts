/**
 * A built function folder and its digest. Deploy uploads a folder only when its digest differs
 * from the one recorded on the deployed function (in its description), so a second deploy of the
 * same build uploads nothing. The build is deterministic (esbuild), so the digest follows the code.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface FunctionCode {
  dir: string;
  sha256: string;
}

function filesUnder(dir: string, prefix = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...filesUnder(dir, relative));
    else if (entry.isFile()) files.push(relative);
  }
  return files;
}

/** SHA-256 over every file's relative path and content, in path order. */
export function hashFolder(dir: string): string {
  const hash = createHash('sha256');
  for (const file of filesUnder(dir).sort()) {
    const content = readFileSync(path.join(dir, file));
    hash.update(`${file}\0${content.length}\0`);
    hash.update(content);
  }
  return hash.digest('hex');
}

/** The built folder of a function, checked to be deployable as it is. */
export function builtFunction(distDir: string, name: string): FunctionCode {
  const dir = path.join(distDir, name);
  if (!existsSync(path.join(dir, 'index.js'))) {
    throw new Error(
      `${path.join(dir, 'index.js')} is missing: run the build (npm run deploy builds unless --skip-build)`,
    );
  }
  return { dir, sha256: hashFolder(dir) };
}
