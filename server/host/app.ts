/**
 * Wires the local host: one SQLite store shared by every function, the sandbox adapters, and
 * the same `main` each deployable entry exports, built by `createMain` from the same definitions.
 * Tests build it on a temporary file with their own clock; `npm start` builds it on .data/.
 */
import type http from 'node:http';
import { COLLECTION_SPECS, type Collections } from '../domain/collections';
import type { Clock, Ids, Logger } from '../domain/ports/system';
import type { Notifier } from '../domain/ports/notifier';
import { SandboxNotifier } from '../adapters/sandbox/notifier';
import { SqliteStore } from '../adapters/sqlite/store';
import { SqliteBranchLocator } from '../adapters/sqlite/branch-locator';
import { MIGRATIONS } from '../adapters/sqlite/schema';
import { consoleLogger, randomIds, systemClock } from '../adapters/system';
import { FUNCTIONS } from '../functions';
import type { AppDeps } from '../runtime/deps';
import { createMain, type Main } from '../runtime/main';
import { createHost, type HostRoute } from './http';
import { sandboxMachineRoute, sandboxOutboxRoute } from './sandbox-routes';

export interface LocalAppOptions {
  dbFile: string;
  clock?: Clock;
  ids?: Ids;
  log?: Logger;
  /** Replaces the sandbox outbox (tests use a failing one). */
  notifier?: Notifier;
  /** Test aids of the SQLite adapter: fail fast on store misuse; run transaction callbacks twice. */
  detectStoreMisuse?: boolean;
  rehearseTransactions?: boolean;
}

export interface LocalApp {
  deps: AppDeps;
  mains: Record<string, Main>;
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
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  const outbox = new SandboxNotifier({ store, clock, ids });
  const deps: AppDeps = {
    store,
    clock,
    ids,
    log: options.log ?? consoleLogger,
    notifier: options.notifier ?? outbox,
    branchLocator: new SqliteBranchLocator(store),
  };
  const mains: Record<string, Main> = {};
  for (const [name, definition] of Object.entries(FUNCTIONS)) mains[name] = createMain(definition, () => deps);
  const routes: HostRoute[] = [sandboxOutboxRoute(deps, outbox), sandboxMachineRoute(deps)];
  const server = createHost({ functions: mains, routes, log: deps.log });
  return {
    deps,
    mains,
    server,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}
