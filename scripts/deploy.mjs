// `npm run deploy -- --env <envId>` (or `-- --dry-run`): bundles server/deploy/main.ts with esbuild
// — packages stay in node_modules, so nothing beyond `npm ci` is needed — and runs it from the
// repository root with the same arguments. docs/deploy.md tells the whole story.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'dist', 'deploy');
const outfile = path.join(outDir, 'main.js');

const result = await build({
  entryPoints: [path.join(root, 'server', 'deploy', 'main.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  write: false,
  logLevel: 'warning',
});
mkdirSync(outDir, { recursive: true });
// Written beside and renamed: two runs at once never execute a half-written bundle.
const partial = `${outfile}.${process.pid}.tmp`;
writeFileSync(partial, result.outputFiles[0].contents);
renameSync(partial, outfile);

const run = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
