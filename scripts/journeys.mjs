// Browser journeys (`npm test` runs them last, `npm run journeys` alone): jest's journeys project,
// one file at a time, in Debian's chromium. Where no browser can be installed, say so and skip:
// WXBANK_SKIP_BROWSER=1, or no chromium at /usr/bin/chromium (scripts/install-browser.sh installs it).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const chromium = process.env.WXBANK_CHROMIUM ?? '/usr/bin/chromium';

function skip(reason) {
  console.log(`\nbrowser journeys SKIPPED: ${reason}\n`);
  process.exit(0);
}

if (process.env.WXBANK_SKIP_BROWSER === '1') skip('WXBANK_SKIP_BROWSER=1 is set');
if (!existsSync(chromium)) skip(`no browser at ${chromium} (as root: bash scripts/install-browser.sh)`);

const run = spawnSync(
  process.execPath,
  [
    path.join(root, 'node_modules', 'jest', 'bin', 'jest.js'),
    '--selectProjects',
    'journeys',
    '--runInBand',
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, WXBANK_JOURNEYS: '1' } },
);
process.exit(run.status ?? 1);
