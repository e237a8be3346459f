// `npm run build`: bundles each cloud function into dist/cloudfunctions/<name>/ — one minified
// index.js exporting main with everything it needs inside (the CloudBase SDK included), a
// package.json without dependencies (CloudBase installs nothing), and its config.json — plus the
// local host into dist/host/main.js.
import { build } from 'esbuild';
import { builtinModules } from 'node:module';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deferSdkModules } from './lib/defer-sdk-modules.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const distRoot = path.join(root, 'dist');
const rootPackage = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

// Left out of the function bundles: the native SQLite driver, only ever loaded (lazily) when a
// function runs on the local SQLite store, from this repository's node_modules.
const LOCAL_ONLY = ['better-sqlite3'];

/**
 * Large packages a function needs only on a path most calls never take: left out of index.js (whose
 * every byte is parsed at each cold start) and bundled beside it as vendor/<file>, which the
 * bundle requires by relative path on first use. Tencent Cloud SMS (~560 KB) is sent only by a
 * binding or a resend, and only where WXBANK_SMS=tencent.
 */
const ON_DEMAND = {
  'tencentcloud-sdk-nodejs-sms/tencentcloud/services/sms/v20210111/sms_client': 'tencent-sms.js',
};

const onDemandVendor = {
  name: 'on-demand-vendor',
  setup(builder) {
    builder.onResolve({ filter: /^tencentcloud-sdk-nodejs-sms\// }, (args) => {
      const file = ON_DEMAND[args.path];
      if (!file) throw new Error(`${args.path}: only the entries in ON_DEMAND may be required from this package`);
      return { path: `./vendor/${file}`, external: true };
    });
  },
};

/** Packages a bundle still requires at run time, from esbuild's metafile: must be none but LOCAL_ONLY. */
function externalPackages(metafile) {
  const names = new Set();
  for (const output of Object.values(metafile.outputs)) {
    for (const imported of output.imports) {
      if (!imported.external || imported.path.startsWith('node:') || builtinModules.includes(imported.path)) continue;
      if (imported.path.startsWith('./vendor/')) continue;
      const parts = imported.path.split('/');
      names.add(imported.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
    }
  }
  return [...names].sort();
}

const functionBundle = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // The runtime `npm run deploy` sets (Nodejs20.19), the version the tests run on.
  target: 'node20',
  external: LOCAL_ONLY,
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  plugins: [deferSdkModules(), onDemandVendor],
};

/** Each ON_DEMAND entry bundled alone, minified, into dir/vendor/. */
async function buildVendor(dir) {
  for (const [entry, file] of Object.entries(ON_DEMAND)) {
    await build({
      ...functionBundle,
      plugins: [],
      metafile: false,
      entryPoints: [path.join(root, 'node_modules', `${entry}.js`)],
      outfile: path.join(dir, file),
    });
  }
}

export async function buildAll() {
  const started = Date.now();
  rmSync(path.join(distRoot, 'cloudfunctions'), { recursive: true, force: true });
  const vendorDir = path.join(distRoot, 'vendor');
  await buildVendor(vendorDir);
  const functionsDir = path.join(root, 'cloudfunctions');
  const names = readdirSync(functionsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(functionsDir, entry.name, 'index.ts')))
    .map((entry) => entry.name)
    .sort();
  for (const name of names) {
    const outDir = path.join(distRoot, 'cloudfunctions', name);
    mkdirSync(outDir, { recursive: true });
    const result = await build({
      ...functionBundle,
      entryPoints: [path.join(functionsDir, name, 'index.ts')],
      outfile: path.join(outDir, 'index.js'),
    });
    const leftOut = externalPackages(result.metafile).filter((pkg) => !LOCAL_ONLY.includes(pkg));
    if (leftOut.length > 0) throw new Error(`${name}: the bundle still requires ${leftOut.join(', ')}`);
    const pkg = {
      name: `wxbank-fn-${name}`,
      version: rootPackage.version,
      private: true,
      main: 'index.js',
      // Nothing to install: the bundle is self-contained.
      dependencies: {},
    };
    writeFileSync(path.join(outDir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
    const config = path.join(functionsDir, name, 'config.json');
    if (existsSync(config)) copyFileSync(config, path.join(outDir, 'config.json'));
    cpSync(vendorDir, path.join(outDir, 'vendor'), { recursive: true });
  }
  await build({
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // The host runs from this repository: it loads its packages from node_modules.
    packages: 'external',
    sourcemap: false,
    logLevel: 'warning',
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
