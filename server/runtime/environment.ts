/**
 * Builds a function's dependencies from its environment, once per process (a warm CloudBase
 * instance reuses them across invocations).
 *
 *   WXBANK_STORE    sqlite (default outside CloudBase) | cloudbase (default inside CloudBase)
 *   WXBANK_DB       SQLite file, default .data/wxbank.sqlite
 *   TCB_ENV_ID      CloudBase environment (default: the function's own)
 *   WXBANK_SECRET   server secret for fingerprints and signatures; required inside CloudBase
 *                   (elsewhere a development secret beside the SQLite file is used, see adapters/secrets.ts)
 *   WXBANK_BANK     sandbox (the only bank gateway so far)
 *   WXBANK_SMS      sandbox | tencent (Tencent Cloud SMS, configured by WXBANK_SMS_* — adapters/sms/)
 *                   Inside CloudBase both must be set: a production environment never runs the
 *                   sandbox by accident. Outside, the sandbox is the default.
 *   WXBANK_NOTIFIER wechat (default inside CloudBase: subscribe messages through the SDK's open API) |
 *                   sandbox (default elsewhere: the outbox collection the local host shows)
 *   WXBANK_MP_CODES wechat (default inside CloudBase: wxacode.getUnlimited, cached in cloud storage) |
 *                   sandbox (default elsewhere: a plain QR of the same launch)
 *   WXBANK_MP_ENV_VERSION release (default) | trial | develop — which version a 小程序码 opens
 *
 * A wrong or missing setting throws MisconfiguredError: `main` answers INTERNAL and logs which.
 */
import path from 'node:path';
import { COLLECTION_SPECS, type Collections } from '../domain/collections';
import type { Store } from '../domain/ports/store';
import type { BranchLocator } from '../domain/ports/branch-locator';
import { MisconfiguredError } from '../domain/ports/failures';
import type { MiniProgramCodes } from '../domain/ports/miniprogram-code';
import type { Notifier } from '../domain/ports/notifier';
import type { CloudBaseConnection } from '../adapters/cloudbase/app';
import { CloudBaseStore } from '../adapters/cloudbase/store';
import { CloudBaseBranchLocator } from '../adapters/cloudbase/branch-locator';
import { consoleLogger, randomIds, systemClock } from '../adapters/system';
import { createSandbox } from '../adapters/sandbox';
import { SandboxMiniProgramCodes } from '../adapters/sandbox/miniprogram-code';
import { SandboxNotifier } from '../adapters/sandbox/notifier';
import { loadSecrets } from '../adapters/secrets';
import { smsFromEnvironment } from '../adapters/sms';
import { WechatSubscribeNotifier, sendThroughCloudBase } from '../adapters/wechat/notifier';
import { MINI_PROGRAM_ENV_VERSIONS, WechatMiniProgramCodes } from '../adapters/wechat/miniprogram-code';
import type { AppDeps } from './deps';
import type * as SqliteModule from '../adapters/sqlite/store';
import type * as SchemaModule from '../adapters/sqlite/schema';
import type * as SqliteLocatorModule from '../adapters/sqlite/branch-locator';

export const DEFAULT_DB_FILE = path.join('.data', 'wxbank.sqlite');

export function insideCloudBase(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.TENCENTCLOUD_RUNENV || env.SCF_NAMESPACE);
}

/** A setting from a closed list: its default outside CloudBase, required inside when `requiredInCloud`. */
function choice<T extends string>(
  env: NodeJS.ProcessEnv,
  name: string,
  allowed: readonly T[],
  fallback: T,
  requiredInCloud = false,
): T {
  const value = env[name];
  if (value === undefined || value === '') {
    if (requiredInCloud && insideCloudBase(env)) {
      throw new MisconfiguredError(`${name} is not set: choose ${allowed.join(' or ')} (npm run deploy sets it)`);
    }
    return fallback;
  }
  if (!(allowed as readonly string[]).includes(value)) {
    throw new MisconfiguredError(`${name} must be ${allowed.join(' or ')}, got ${value.slice(0, 40)}`);
  }
  return value as T;
}

function cloudBaseConnection(env: NodeJS.ProcessEnv): CloudBaseConnection {
  return { env: env.TCB_ENV_ID || undefined };
}

export function openStoreFromEnvironment(env: NodeJS.ProcessEnv = process.env): Store<Collections> {
  const kind = choice(env, 'WXBANK_STORE', ['sqlite', 'cloudbase'], insideCloudBase(env) ? 'cloudbase' : 'sqlite');
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
  return new CloudBaseStore<Collections>({ collections: COLLECTION_SPECS, connection: cloudBaseConnection(env) });
}

/** The bank and SMS gateways the environment names. */
function gatewaysFromEnvironment(env: NodeJS.ProcessEnv, parts: Parameters<typeof createSandbox>[0]) {
  choice(env, 'WXBANK_BANK', ['sandbox'], 'sandbox', true);
  choice(env, 'WXBANK_SMS', ['sandbox', 'tencent'], 'sandbox', true);
  const sandbox = createSandbox(parts);
  return { bank: sandbox.bank, ...smsFromEnvironment(env, sandbox) };
}

/** Where subscribe messages go: WeChat inside CloudBase, the sandbox outbox elsewhere. */
function notifierFromEnvironment(env: NodeJS.ProcessEnv, store: Store<Collections>): Notifier {
  const kind = choice(env, 'WXBANK_NOTIFIER', ['wechat', 'sandbox'], insideCloudBase(env) ? 'wechat' : 'sandbox');
  if (kind === 'wechat') return new WechatSubscribeNotifier(sendThroughCloudBase(cloudBaseConnection(env)));
  return new SandboxNotifier({ store, clock: systemClock });
}

/** The spatial index beside the store: the R*Tree in the same SQLite file, or geoNear in CloudBase. */
export function openBranchLocator(store: Store<Collections>, env: NodeJS.ProcessEnv = process.env): BranchLocator {
  if (store instanceof CloudBaseStore) return new CloudBaseBranchLocator({ connection: cloudBaseConnection(env) });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SqliteBranchLocator } = require('../adapters/sqlite/branch-locator') as typeof SqliteLocatorModule;
  return new SqliteBranchLocator(store as SqliteModule.SqliteStore<Collections>);
}

/** 小程序码: WeChat's inside CloudBase, the sandbox's plain QR elsewhere. */
function miniProgramCodesFromEnvironment(env: NodeJS.ProcessEnv): MiniProgramCodes {
  const kind = choice(env, 'WXBANK_MP_CODES', ['wechat', 'sandbox'], insideCloudBase(env) ? 'wechat' : 'sandbox');
  if (kind === 'sandbox') return new SandboxMiniProgramCodes();
  const envVersion = choice(env, 'WXBANK_MP_ENV_VERSION', MINI_PROGRAM_ENV_VERSIONS, 'release');
  return new WechatMiniProgramCodes({ connection: cloudBaseConnection(env), envVersion });
}

/**
 * A promise some library rejected and nobody awaited would end the process (Node's default) and
 * with it the request a warm instance is serving: inside CloudBase it is logged as one line instead.
 */
let guarded = false;
function guardProcess(): void {
  if (guarded) return;
  guarded = true;
  process.on('unhandledRejection', (reason) => {
    consoleLogger.error('process.unhandled_rejection', {
      error: reason instanceof Error ? `${reason.name}: ${reason.message}`.slice(0, 200) : 'non-error rejection',
    });
  });
}

let cached: AppDeps | undefined;

export function depsFromEnvironment(env: NodeJS.ProcessEnv = process.env): AppDeps {
  if (cached) return cached;
  if (insideCloudBase(env)) guardProcess();
  let secrets;
  try {
    secrets = loadSecrets({
      env,
      insideCloudBase: insideCloudBase(env),
      devSecretDir: path.dirname(path.resolve(env.WXBANK_DB ?? DEFAULT_DB_FILE)),
    });
  } catch (error) {
    throw new MisconfiguredError(error instanceof Error ? error.message : String(error));
  }
  const store = openStoreFromEnvironment(env);
  const base = { store, clock: systemClock, ids: randomIds, log: consoleLogger, secrets };
  const gateways = gatewaysFromEnvironment(env, base);
  cached = {
    ...base,
    ...gateways,
    notifier: notifierFromEnvironment(env, store),
    branchLocator: openBranchLocator(store, env),
    miniProgramCodes: miniProgramCodesFromEnvironment(env),
  };
  return cached;
}
