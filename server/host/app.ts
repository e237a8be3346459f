/**
 * Wires the local host: one SQLite store shared by every function, the sandbox adapters, and
 * the same `main` each deployable entry exports, built by `createMain` from the same definitions.
 * Tests build it on a temporary file with their own clock; `npm start` builds it on .data/.
 */
import type http from 'node:http';
import path from 'node:path';
import { COLLECTION_SPECS, type Collections } from '../domain/collections';
import type { Clock, Ids, Logger } from '../domain/ports/system';
import type { Notifier } from '../domain/ports/notifier';
import { SandboxNotifier } from '../adapters/sandbox/notifier';
import { SqliteStore } from '../adapters/sqlite/store';
import { SqliteBranchLocator } from '../adapters/sqlite/branch-locator';
import { SandboxMiniProgramCodes } from '../adapters/sandbox/miniprogram-code';
import { MIGRATIONS } from '../adapters/sqlite/schema';
import { consoleLogger, randomIds, systemClock } from '../adapters/system';
import { createSandbox, type Sandbox } from '../adapters/sandbox';
import { loadSecrets } from '../adapters/secrets';
import { FUNCTIONS } from '../functions';
import type { AppDeps } from '../runtime/deps';
import { createMain, type Main } from '../runtime/main';
import { mobilePhone } from '../runtime/validation';
import { createHost, invalid, type HostRoute, type StaticMount } from './http';
import { DEMO_USERS } from './seed';
import { staffRoutes } from './staff';
import { ledgerAuditRoute } from './audit-routes';
import { qrRoutes } from './qr-routes';
import { sandboxMachineRoute, sandboxOutboxRoute } from './sandbox-routes';

export interface LocalAppOptions {
  dbFile: string;
  clock?: Clock;
  ids?: Ids;
  log?: Logger;
  /** Replaces the sandbox outbox (tests use a failing one). */
  notifier?: Notifier;
  /** Server secret; default WXBANK_SECRET, else the development secret beside dbFile. */
  secret?: string;
  /** Earlier server secrets, newest first (with `secret`): what a rotation keeps for verifying. */
  earlierSecrets?: readonly string[];
  /** Test aids of the SQLite adapter: fail fast on store misuse; run transaction callbacks twice. */
  detectStoreMisuse?: boolean;
  rehearseTransactions?: boolean;
  /** The built browser preview (dist/preview), served at /preview when given. */
  previewDir?: string;
  /** Token the assistant's staff console (/staff/…) requires; without one those routes are off. */
  staffToken?: string;
  /** false: the functions see no SMS outbox, as under a real SMS provider (codes still land in GET /sandbox/sms). */
  smsOutbox?: boolean;
}

export interface LocalApp {
  deps: AppDeps;
  mains: Record<string, Main>;
  /** The sandbox bank and SMS outbox the functions talk to. */
  sandbox: Sandbox;
  server: http.Server;
  close(): Promise<void>;
}

export function createLocalApp(options: LocalAppOptions): LocalApp {
  const store = new SqliteStore<Collections>({
    file: options.dbFile,
    collections: COLLECTION_SPECS,
    migrations: MIGRATIONS,
    detectMisuse: options.detectStoreMisuse,
    rehearseTransactions: options.rehearseTransactions,
  });
  const secrets = loadSecrets({
    env: options.secret
      ? { WXBANK_SECRET: options.secret, WXBANK_SECRET_PREVIOUS: (options.earlierSecrets ?? []).join(',') }
      : process.env,
    insideCloudBase: false,
    devSecretDir: path.dirname(options.dbFile),
  });
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  const sandbox = createSandbox({ store, secrets, clock, ids });
  const outbox = new SandboxNotifier({ store, clock });
  const deps: AppDeps = {
    store,
    clock,
    ids,
    log: options.log ?? consoleLogger,
    secrets,
    bank: sandbox.bank,
    sms: sandbox.sms,
    smsOutbox: options.smsOutbox === false ? null : sandbox.sms,
    notifier: options.notifier ?? outbox,
    branchLocator: new SqliteBranchLocator(store),
    miniProgramCodes: new SandboxMiniProgramCodes(),
  };
  const mains: Record<string, Main> = {};
  for (const [name, definition] of Object.entries(FUNCTIONS)) mains[name] = createMain(definition, () => deps);
  const routes: HostRoute[] = [
    sandboxSmsRoute(sandbox),
    // The identities the preview's user switcher offers.
    { method: 'GET', path: '/dev/demo-users', handle: () => ({ ok: true, data: DEMO_USERS }) },
    ...staffRoutes(deps, options.staffToken),
    sandboxOutboxRoute(deps, outbox),
    sandboxMachineRoute(deps),
    ledgerAuditRoute(deps),
    ...qrRoutes(deps),
  ];
  const statics: StaticMount[] = options.previewDir ? [{ prefix: '/preview', dir: options.previewDir }] : [];
  const server = createHost({ functions: mains, routes, statics, log: deps.log });
  return {
    deps,
    mains,
    sandbox,
    server,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}

/**
 * GET /sandbox/sms?phone=<11 digits>: the latest sandbox messages to that phone, newest first —
 * where a developer (or a test) reads the SMS code the sandbox "sent".
 */
function sandboxSmsRoute(sandbox: Sandbox): HostRoute {
  return {
    method: 'GET',
    path: '/sandbox/sms',
    async handle({ query }) {
      const phone = mobilePhone.safeParse(query.get('phone') ?? '');
      if (!phone.success) return invalid('请提供11位手机号 phone');
      return { ok: true, data: { messages: await sandbox.sms.latest(phone.data) } };
    },
  };
}
