/**
 * Builds a function's dependencies from its environment, once per process (a warm CloudBase
 * instance reuses them across invocations).
 *
 *   WXBANK_STORE  sqlite (default outside CloudBase) | cloudbase (default inside CloudBase)
 *   WXBANK_DB     SQLite file, default .data/wxbank.sqlite
 *   TCB_ENV_ID    CloudBase environment (default: the function's own)
 */
import path from 'node:path';
import { COLLECTION_SPECS, type Collections } from '../domain/collections';
import type { Store } from '../domain/ports/store';
import type { BranchLocator } from '../domain/ports/branch-locator';
import { CloudBaseStore } from '../adapters/cloudbase/store';
import { CloudBaseBranchLocator } from '../adapters/cloudbase/branch-locator';
import { consoleLogger, randomIds, systemClock } from '../adapters/system';
import { SandboxNotifier } from '../adapters/sandbox/notifier';
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

/** The spatial index beside the store: the R*Tree in the same SQLite file, or geoNear in CloudBase. */
export function openBranchLocator(store: Store<Collections>, env: NodeJS.ProcessEnv = process.env): BranchLocator {
  if (store instanceof CloudBaseStore) return new CloudBaseBranchLocator({ env: env.TCB_ENV_ID || undefined });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SqliteBranchLocator } = require('../adapters/sqlite/branch-locator') as typeof SqliteLocatorModule;
  return new SqliteBranchLocator(store as SqliteModule.SqliteStore<Collections>);
}

let cached: AppDeps | undefined;

export function depsFromEnvironment(): AppDeps {
  if (!cached) {
    const store = openStoreFromEnvironment();
    // No real message provider yet: messages go to the outbox collection, in CloudBase too.
    const notifier = new SandboxNotifier({ store, clock: systemClock, ids: randomIds });
    const branchLocator = openBranchLocator(store, process.env);
    cached = { store, clock: systemClock, ids: randomIds, log: consoleLogger, notifier, branchLocator };
  }
  return cached;
}
