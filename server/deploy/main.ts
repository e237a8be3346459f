/**
 * `npm run deploy`: provisions a CloudBase environment from the repository and deploys the
 * functions (docs/deploy.md). `--dry-run` prints the whole plan without credentials or network.
 *
 * Run from the repository root (scripts/deploy.mjs bundles this file and runs it there).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { COLLECTION_SPECS, type Collections } from '../domain/collections';
import { CloudBaseStore } from '../adapters/cloudbase/store';
import { systemClock } from '../adapters/system';
import { deploy } from './apply';
import { builtFunction } from './code';
import { buildPlan, formatPlan, localDir } from './plan';
import { maskSecret, readLocalSecrets, writeLocalSecrets } from './secrets';
import { seedEnvironment, writeMachineSecrets } from './seed';
import { loadSettings, USAGE, UsageError } from './settings';

/** Seeding writes thousands of documents over the public endpoint: a slow answer is not a failure. */
const SEED_REQUEST_TIMEOUT_MS = 20_000;

function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

async function run(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const started = Date.now();
  const root = process.cwd();
  const settings = loadSettings(argv, { root, env });
  if (settings.help) {
    say(USAGE);
    return;
  }
  const plan = buildPlan(root, settings);

  if (settings.dryRun) {
    say('wxbank deploy — dry run: the full plan (no credentials read, no network)');
    say();
    say(formatPlan(plan, { settingsFile: settings.settingsFile }));
    say();
    say(`plan computed in ${seconds(started)}; run without --dry-run to apply it`);
    return;
  }

  const envId = settings.envId;
  if (!envId) throw new UsageError('--env <envId> is needed (or "env" in deploy.local.json)');
  const secretId = env.TENCENTCLOUD_SECRETID;
  const secretKey = env.TENCENTCLOUD_SECRETKEY;
  if (!secretId || !secretKey) {
    throw new UsageError(
      'set TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY (an API key allowed to manage the environment)',
    );
  }

  const indexCount = plan.collections.reduce((sum, collection) => sum + collection.indexes.length, 0);
  say(
    `wxbank deploy → ${envId}: ${plan.collections.length} collections, ${indexCount} indexes, ${plan.functions.length} functions (--dry-run shows the whole plan)`,
  );
  if (settings.skipBuild) {
    say('build: skipped (--skip-build), deploying dist/cloudfunctions as it is');
  } else {
    const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], {
      cwd: root,
      stdio: 'inherit',
    });
    if (build.status !== 0) throw new Error('the build failed (see above)');
  }
  const dist = path.join(root, 'dist', 'cloudfunctions');
  const dir = localDir(root, envId);

  // Loaded only here: a dry run never loads the management SDK.
  const { ManagerNodeAdmin } = await import('./manager-admin');
  const admin = new ManagerNodeAdmin({
    envId,
    secretId,
    secretKey,
    ...(settings.region ? { region: settings.region } : {}),
  });
  const outcome = await deploy({
    admin,
    plan,
    codeOf: (name) => builtFunction(dist, name),
    localSecrets: { read: () => readLocalSecrets(dir), write: (values) => writeLocalSecrets(dir, values) },
    log: say,
  });
  say(`rules checked: ${plan.collections.length} collections admin-only, function security rule in place`);

  const store = new CloudBaseStore<Collections>({
    collections: COLLECTION_SPECS,
    connection: { env: envId, secretId, secretKey, timeoutMs: SEED_REQUEST_TIMEOUT_MS },
  });
  const seedStarted = Date.now();
  const seeded = await seedEnvironment({ store, clock: systemClock }, plan.seeds);
  const { branches, merchants } = seeded;
  say(
    `seeds: branches ${branches.count} ${branches.created ? 'written' : 'already there'}; merchants created ${merchants.created.length}, already there ${merchants.existing.length} (${seconds(seedStarted)})`,
  );
  if (branches.machines && branches.machines.branchIds.length > 0) {
    const file = writeMachineSecrets(dir, branches.machines);
    const first = branches.machines.branchIds[0]!;
    say(
      `queue machines: ${branches.machines.branchIds.length} secrets in ${path.relative(root, file)} (e.g. ${first}: ${maskSecret(branches.machines.secretOf(first))})`,
    );
  }
  for (const access of plan.httpAccess) {
    say(
      `HTTP access: ${outcome.httpDomain ? `https://${outcome.httpDomain}` : '<default domain>'}${access.path} → ${access.functionName}`,
    );
  }
  say(`local secrets: ${path.relative(root, dir)}/secrets.json (git-ignored, mode 600)`);
  say(
    `done in ${seconds(started)}: ${outcome.changes.length === 0 ? 'nothing changed' : `${outcome.changes.length} change(s) applied`}. The mini program: miniprogram/config.ts transport 'cloud', cloudEnvId '${envId}'.`,
  );
}

run(process.argv.slice(2), process.env).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`deploy failed: ${message}\n`);
  if (error instanceof UsageError) process.stderr.write(`\n${USAGE}\n`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
