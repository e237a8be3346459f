// `npm run bench [name-filter]`: bundles each bench/*.bench.ts with esbuild and runs it in its own
// node process, one after another (figures are ratios against a baseline measured in the same run).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const filter = process.argv[2] ?? '';
const benches = readdirSync(path.join(root, 'bench'))
  .filter((file) => file.endsWith('.bench.ts') && file.includes(filter))
  .sort();
if (benches.length === 0) {
  console.log(`no bench/*.bench.ts matches "${filter}"`);
  process.exit(0);
}
let failed = false;
for (const file of benches) {
  const outfile = path.join(root, 'dist', 'bench', file.replace(/\.ts$/, '.js'));
  await build({
    entryPoints: [path.join(root, 'bench', file)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3', '@cloudbase/node-sdk', 'autocannon', 'esbuild'],
    logLevel: 'warning',
  });
  console.log(`\n=== ${file} ===`);
  const run = spawnSync(process.execPath, [outfile], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
