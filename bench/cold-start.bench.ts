/**
 * Cold start and size of every deployable function, each next to a baseline measured in the same run.
 *
 *   baseline: a fresh node process that loads the bundled, minified `@cloudbase/node-sdk` alone
 *             (what any function that talks to CloudBase must at least pay);
 *   function: a fresh node process that loads the built function from a copy of its folder in an
 *             empty temporary directory — installed as CloudBase installs it (`npm install` of its
 *             package.json) — and answers one call that reaches the store.
 *
 * The store is the CloudBase emulator (test/helpers/cloudbase-emulator.ts), in a process of its
 * own, reached by the real SDK over loopback HTTP: the function runs as inside CloudBase
 * (TENCENTCLOUD_RUNENV=SCF, temporary keys in the environment) with the platform's own endpoint
 * override, TCB_CONTEXT_CNFG={"URL": …}. Runs alternate between the baseline and the functions;
 * medians are reported. Budgets (the production issue): cold start ≤ 1.3× the baseline, each
 * deployable folder ≤ 3 MB including what its install brings.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
// @ts-expect-error — a build script in JavaScript, no type declarations
import { deferSdkModules } from '../scripts/lib/defer-sdk-modules.mjs';
import { FUNCTIONS } from '../server/functions';
import { COLLECTION_SPECS } from '../server/domain/collections';
import { CloudBaseStore } from '../server/adapters/cloudbase/store';
import { startEmulatorProcess } from '../test/helpers/cloudbase-emulator-process';

// scripts/bench.mjs runs each bench from the repository root (the bundle itself lives in dist/bench/).
const root = process.cwd();
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const COLD_START_BUDGET = 1.3;
const SIZE_BUDGET_BYTES = 3 * 1024 * 1024;

/** A call per function that reaches the store (identity from the context, as CloudBase passes it). */
const FIRST_CALLS: Record<string, { event: object; openid: string | null }> = {
  user: { event: { action: 'session' }, openid: 'o-cold-start' },
  verify: { event: { action: 'verifyPayPassword', payPassword: '147258', purpose: 'cards.bind' }, openid: 'o-cold' },
  cards: { event: { action: 'list' }, openid: 'o-cold-start' },
  ledger: { event: { action: 'summary' }, openid: 'o-cold-start' },
  settle: { event: { action: 'run' }, openid: null },
  branches: { event: { action: 'nearby', lat: 31.2304, lng: 121.4737 }, openid: null },
  qrcode: { event: { action: 'receiveCode', cardId: 'card_none' }, openid: 'o-cold-start' },
  messages: { event: { action: 'unreadCount' }, openid: 'o-cold-start' },
  assistant: { event: { action: 'history' }, openid: 'o-cold-start' },
  staff: {
    event: {
      path: '/staff/conversations',
      httpMethod: 'GET',
      headers: { 'x-staff-token': 'cold-start-staff-token-0123456789abcdef' },
      queryStringParameters: {},
      body: '',
      isBase64Encoded: false,
    },
    openid: null,
  },
};

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(full) : statSync(full).size;
  }
  return total;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Wall time of a fresh node process running `script` in `cwd`, in ms; its stdout too. */
function timeProcess(script: string, cwd: string, env: NodeJS.ProcessEnv): { ms: number; stdout: string } {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['-e', script], { cwd, env, encoding: 'utf8', timeout: 60_000 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`process failed (${run.status}): ${run.stderr.slice(0, 500)}`);
  return { ms, stdout: run.stdout };
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'wxbank-cold-'));
  try {
    console.log('building the functions (npm run build) …');
    execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'pipe' });

    // The baseline: the SDK alone, bundled and minified the usual way (no deferral of its parts);
    // beside it, for the record, the same SDK with the deferral the function bundles use.
    const sdkDir = path.join(work, 'sdk-alone');
    const deferredSdkDir = path.join(work, 'sdk-deferred');
    for (const [dir, plugins] of [
      [sdkDir, []],
      [deferredSdkDir, [deferSdkModules()]],
    ] as const) {
      mkdirSync(dir);
      await build({
        stdin: { contents: "module.exports = require('@cloudbase/node-sdk');", resolveDir: root },
        outfile: path.join(dir, 'index.js'),
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        minify: true,
        legalComments: 'none',
        logLevel: 'warning',
        plugins: [...plugins],
      });
    }

    // user first: its session makes the other functions' first calls those of a signed-up user
    const names = Object.keys(FUNCTIONS).sort(
      (a, b) => Number(b === 'user') - Number(a === 'user') || a.localeCompare(b),
    );
    const folders: Record<string, string> = {};
    const sizes: Record<string, number> = {};
    for (const name of names) {
      const dir = path.join(work, 'fn', name);
      cpSync(path.join(root, 'dist', 'cloudfunctions', name), dir, { recursive: true });
      // What CloudBase does with 云端安装依赖: install the folder's package.json (nothing, by design).
      execFileSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--ignore-scripts'], {
        cwd: dir,
        stdio: 'pipe',
      });
      folders[name] = dir;
      sizes[name] = folderBytes(dir);
    }

    const emulator = await startEmulatorProcess(work, root);
    // Provisioned as `npm run deploy` leaves an environment: every collection exists.
    await new CloudBaseStore({
      collections: COLLECTION_SPECS,
      connection: { env: 'cold-start-env', secretId: 'bench', secretKey: 'bench', serviceUrl: emulator.url },
    }).ensureCollections();
    const cloudEnv: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      TENCENTCLOUD_RUNENV: 'SCF',
      SCF_NAMESPACE: 'cold-start-env',
      TENCENTCLOUD_REGION: 'ap-shanghai',
      TENCENTCLOUD_SECRETID: 'cold-start-id',
      TENCENTCLOUD_SECRETKEY: 'cold-start-key',
      TCB_CONTEXT_CNFG: JSON.stringify({ URL: emulator.url }),
      SILENCE: 'true',
      WXBANK_SECRET: 'cold-start-secret-0123456789abcdef0123456789',
      WXBANK_BANK: 'sandbox',
      WXBANK_SMS: 'sandbox',
      WXBANK_STAFF_TOKEN: 'cold-start-staff-token-0123456789abcdef',
    };
    const baselineScript = "require('./index.js'); process.exit(0);";
    const scriptFor = (name: string): string => {
      const call = FIRST_CALLS[name] ?? { event: { action: 'unknown' }, openid: null };
      const environment = call.openid ? { WX_OPENID: call.openid, WX_CONTEXT_KEYS: 'WX_OPENID' } : {};
      const context = { request_id: `cold-${name}`, environment: JSON.stringify(environment) };
      return (
        `require('./index.js').main(${JSON.stringify(call.event)}, ${JSON.stringify(context)})` +
        `.then((r) => { process.stdout.write('\\n' + JSON.stringify(r)); process.exit(0); })`
      );
    };

    const times: Record<string, number[]> = { baseline: [], deferred: [], empty: [] };
    const answers: Record<string, string> = {};
    for (let round = 0; round < ROUNDS; round++) {
      times.empty!.push(timeProcess('process.exit(0)', work, cloudEnv).ms);
      times.baseline!.push(timeProcess(baselineScript, sdkDir, cloudEnv).ms);
      times.deferred!.push(timeProcess(baselineScript, deferredSdkDir, cloudEnv).ms);
      for (const name of names) {
        const run = timeProcess(scriptFor(name), folders[name]!, cloudEnv);
        (times[name] ??= []).push(run.ms);
        const answer = JSON.parse(run.stdout.trim().split('\n').pop()!) as {
          ok: boolean;
          error?: { code: string };
          statusCode?: number;
        };
        answers[name] = answer.ok ? 'ok' : (answer.error?.code ?? `HTTP ${answer.statusCode ?? '?'}`);
      }
    }
    emulator.child.kill();

    const baseline = median(times.baseline!);
    console.log(`\nnode ${process.version}, ${ROUNDS} rounds, medians; store: CloudBase emulator over loopback HTTP`);
    console.log(`empty node process:                        ${median(times.empty!).toFixed(0)} ms`);
    console.log(`baseline, bundled @cloudbase/node-sdk alone: ${baseline.toFixed(0)} ms`);
    const deferred = median(times.deferred!);
    console.log(
      `the same SDK with its unused parts deferred (as in the functions): ${deferred.toFixed(0)} ms ` +
        `(${(deferred / baseline).toFixed(2)}× the baseline)`,
    );
    console.log('\nfunction   | cold start to first answer | × baseline | folder size | first answer');
    let over = false;
    for (const name of names) {
      const ms = median(times[name]!);
      const ratio = ms / baseline;
      const bytes = sizes[name]!;
      const within = ratio <= COLD_START_BUDGET && bytes <= SIZE_BUDGET_BYTES;
      if (!within) over = true;
      console.log(
        `${name.padEnd(10)} | ${`${ms.toFixed(0)} ms`.padStart(26)} | ${ratio.toFixed(2).padStart(10)} | ` +
          `${`${(bytes / 1024 / 1024).toFixed(2)} MB`.padStart(11)} | ${answers[name]}${within ? '' : '  ← over budget'}`,
      );
    }
    console.log(
      `\nbudgets: cold start ≤ ${COLD_START_BUDGET}× baseline, folder ≤ ${SIZE_BUDGET_BYTES / 1024 / 1024} MB — ${over ? 'NOT MET' : 'met'}`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

void main();
