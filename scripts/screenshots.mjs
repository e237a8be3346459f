// `npm run screenshots [name]`: README screenshots from the browser preview into docs/screenshots/.
// Builds the host and the preview, then runs preview/screenshots.ts (bundled by esbuild, as benches are).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPreview } from './build-preview.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const chromium = process.env.WXBANK_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(`no browser at ${chromium}: as root, bash scripts/install-browser.sh`);
  process.exit(1);
}
await buildPreview();
const outfile = path.join(root, 'dist', 'screenshots', 'screenshots.js');
await build({
  entryPoints: [path.join(root, 'preview', 'screenshots.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['better-sqlite3', 'playwright-core'],
  logLevel: 'warning',
});
const run = spawnSync(process.execPath, [outfile, root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
