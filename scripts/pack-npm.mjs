// Builds miniprogram/miniprogram_npm from package.json "dependencies" — what the devtools'
// "构建 npm" does — with miniprogram-ci, which works offline and needs no appid key.
import { existsSync, statSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const outDir = path.join(root, 'miniprogram', 'miniprogram_npm');
const marker = path.join(outDir, '@vant', 'weapp', 'button', 'index.js');

export async function packNpm({ force = false } = {}) {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const lockTime = statSync(path.join(root, 'package-lock.json')).mtimeMs;
  // Skip when the packed output is newer than the lockfile: packing takes seconds on every run.
  if (!force && existsSync(marker) && statSync(marker).mtimeMs >= lockTime) return { skipped: true };
  const ci = require('miniprogram-ci');
  const started = Date.now();
  const warnings = await ci.packNpmManually({
    packageJsonPath: path.join(root, 'package.json'),
    miniprogramNpmDistDir: path.join(root, 'miniprogram'),
  });
  if (!existsSync(marker)) {
    throw new Error(
      `packNpm did not produce ${path.relative(root, marker)} (dependencies: ${Object.keys(pkg.dependencies ?? {}).join(', ')})`,
    );
  }
  return { skipped: false, ms: Date.now() - started, warnings };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await packNpm({ force: process.argv.includes('--force') });
  console.log(result.skipped ? 'miniprogram_npm is up to date' : `packed miniprogram_npm in ${result.ms} ms`);
}
