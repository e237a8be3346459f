// `npm run build`: bundles each cloud function into dist/cloudfunctions/<name>/ — one index.js
// exporting main, a package.json with only the runtime packages the bundle requires, and its
// config.json — plus the local host into dist/host/main.js.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const distRoot = path.join(root, 'dist');
const rootPackage = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

// Left out of bundles: installed by CloudBase from the function's package.json (the SDK), or only
// ever loaded by the local host from this repository's node_modules (the native SQLite driver).
const EXTERNAL = ['@cloudbase/node-sdk', 'wx-server-sdk', 'better-sqlite3'];
const LOCAL_ONLY = new Set(['better-sqlite3']);

function versionOf(name) {
  const version = rootPackage.dependencies?.[name] ?? rootPackage.devDependencies?.[name];
  if (!version) throw new Error(`${name} is required by a bundle but not pinned in package.json`);
  return version;
}

/** Packages a bundle still requires at run time, from esbuild's metafile. */
function externalPackages(metafile) {
  const names = new Set();
  for (const output of Object.values(metafile.outputs)) {
    for (const imported of output.imports) {
      if (!imported.external || imported.path.startsWith('node:')) continue;
      const parts = imported.path.split('/');
      const name = imported.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
      if (EXTERNAL.includes(name)) names.add(name);
    }
  }
  return [...names].sort();
}

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // CloudBase's Node.js 16 runtime is the oldest the functions target.
  target: 'node16',
  external: EXTERNAL,
  sourcemap: false,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
};

export async function buildAll() {
  const started = Date.now();
  rmSync(path.join(distRoot, 'cloudfunctions'), { recursive: true, force: true });
  const functionsDir = path.join(root, 'cloudfunctions');
  const names = readdirSync(functionsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(functionsDir, entry.name, 'index.ts')))
    .map((entry) => entry.name)
    .sort();
  for (const name of names) {
    const outDir = path.join(distRoot, 'cloudfunctions', name);
    mkdirSync(outDir, { recursive: true });
    const result = await build({
      ...common,
      entryPoints: [path.join(functionsDir, name, 'index.ts')],
      outfile: path.join(outDir, 'index.js'),
    });
    const runtime = externalPackages(result.metafile).filter((pkg) => !LOCAL_ONLY.has(pkg));
    const pkg = {
      name: `wxbank-fn-${name}`,
      version: rootPackage.version,
      private: true,
      main: 'index.js',
      dependencies: Object.fromEntries(runtime.map((dep) => [dep, versionOf(dep)])),
    };
    writeFileSync(path.join(outDir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
    const config = path.join(functionsDir, name, 'config.json');
    if (existsSync(config)) copyFileSync(config, path.join(outDir, 'config.json'));
  }
  await build({
    ...common,
    target: 'node20',
    entryPoints: [path.join(root, 'server', 'host', 'main.ts')],
    outfile: path.join(distRoot, 'host', 'main.js'),
  });
  return { functions: names, ms: Date.now() - started };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { functions, ms } = await buildAll();
  console.log(
    `built ${functions.length} cloud function(s) [${functions.join(', ')}] and the local host in ${ms} ms → dist/`,
  );
}
