/**
 * Builds a function's dependencies from its environment, once per process (a warm CloudBase
 * instance reuses them across invocations).
 *
 *   WXBANK_STORE  sqlite (default outside CloudBase) | cloudbase (default inside CloudBase)
 *   WXBANK_DB     SQLite file, default .data/wxbank.sqlite
 *   TCB_ENV_ID    CloudBase environment (default: the function's own)
 *   WXBANK_SECRET server secret for fingerprints and signatures; required inside CloudBase
 *                 (elsewhere a development secret beside the SQLite file is used, see adapters/secrets.ts)
 *   WXBANK_BANK   sandbox (default; the only bank gateway so far)
 *   WXBANK_SMS    sandbox (default; the only SMS gateway so far)
 *   WXBANK_NOTIFIER wechat (default inside CloudBase: subscribe messages through wx-server-sdk) |
 *                 sandbox (default elsewhere: the outbox collection the local host shows)
 */
import path from 'node:path';
import { COLLECTION_SPECS, type Collections } from '../domain/collections';
import type { Store } from '../domain/ports/store';
import type { BranchLocator } from '../domain/ports/branch-locator';
import { CloudBaseStore } from '../adapters/cloudbase/store';
import { CloudBaseBranchLocator } from '../adapters/cloudbase/branch-locator';
import { consoleLogger, randomIds, systemClock } from '../adapters/system';
import { createSandbox } from '../adapters/sandbox';
import { loadSecrets } from '../adapters/secrets';
import { SandboxNotifier } from '../adapters/sandbox/notifier';
import { WechatSubscribeNotifier } from '../adapters/wechat/notifier';
import type { Notifier } from '../domain/ports/notifier';
import type { AppDeps } from './deps';
import type * as SqliteModule from '../adapters/sqlite/store';
import type * as SchemaModule from '../adapters/sqlite/schema';
import type * as SqliteLocatorModule from '../adapters/sqlite/branch-locator';

export const DEFAULT_DB_FILE = path.join('.data', 'wxbank.sqlite');

function insideCloudBase(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.TENCENTCLOUD_RUNENV || env.SCF_NAMESPACE);
}

export function openStoreFromEnvironment(env: NodeJS.ProcessEnv = process.env): Store<Collections> {
  const kind = env.WXBANK_STORE ?? (insideCloudBase(env) ? 'cloudbase' : 'sqlite');
  if (kind === 'sqlite') {
    // Required lazily: the deployed bundle never loads the native module unless asked to.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { SqliteStore } = require('../adapters/sqlite/store') as typeof SqliteModule;
    const { MIGRATIONS } = require('../adapters/sqlite/schema') as typeof SchemaModule;
    /* eslint-enable @typescript-eslint/no-require-imports */
    return new SqliteStore<Collections>({
      file: path.resolve(env.WXBANK_DB ?? DEFAULT_DB_FILE),
      collections: COLLECTION_SPECS,
      migrations: MIGRATIONS,
    });
  }
  if (kind === 'cloudbase') {
    return new CloudBaseStore<Collections>({ collections: COLLECTION_SPECS, env: env.TCB_ENV_ID || undefined });
  }
  throw new Error(`WXBANK_STORE must be sqlite or cloudbase, got ${kind}`);
}

/** The bank and SMS gateways the environment names; only the sandbox exists so far. */
function gatewaysFromEnvironment(env: NodeJS.ProcessEnv, parts: Parameters<typeof createSandbox>[0]) {
  for (const name of ['WXBANK_BANK', 'WXBANK_SMS'] as const) {
    const kind = env[name] ?? 'sandbox';
    if (kind !== 'sandbox') throw new Error(`${name} must be sandbox (the only gateway so far), got ${kind}`);
  }
  const sandbox = createSandbox(parts);
  return { bank: sandbox.bank, sms: sandbox.sms };
}

/** Where subscribe messages go: WeChat inside CloudBase, the sandbox outbox elsewhere. */
function notifierFromEnvironment(env: NodeJS.ProcessEnv, store: Store<Collections>): Notifier {
  const kind = env.WXBANK_NOTIFIER ?? (insideCloudBase(env) ? 'wechat' : 'sandbox');
  if (kind === 'wechat') return new WechatSubscribeNotifier();
  if (kind === 'sandbox') return new SandboxNotifier({ store, clock: systemClock });
  throw new Error(`WXBANK_NOTIFIER must be wechat or sandbox, got ${kind}`);
}

/** The spatial index beside the store: the R*Tree in the same SQLite file, or geoNear in CloudBase. */
export function openBranchLocator(store: Store<Collections>, env: NodeJS.ProcessEnv = process.env): BranchLocator {
  if (store instanceof CloudBaseStore) return new CloudBaseBranchLocator({ env: env.TCB_ENV_ID || undefined });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SqliteBranchLocator } = require('../adapters/sqlite/branch-locator') as typeof SqliteLocatorModule;
  return new SqliteBranchLocator(store as SqliteModule.SqliteStore<Collections>);
}

let cached: AppDeps | undefined;

export function depsFromEnvironment(env: NodeJS.ProcessEnv = process.env): AppDeps {
  if (cached) return cached;
  const secrets = loadSecrets({
    env,
    insideCloudBase: insideCloudBase(env),
    devSecretDir: path.dirname(path.resolve(env.WXBANK_DB ?? DEFAULT_DB_FILE)),
  });
  const store = openStoreFromEnvironment(env);
  const base = { store, clock: systemClock, ids: randomIds, log: consoleLogger, secrets };
  const notifier = notifierFromEnvironment(env, store);
  cached = { ...base, ...gatewaysFromEnvironment(env, base), notifier, branchLocator: openBranchLocator(store, env) };
  return cached;
}
