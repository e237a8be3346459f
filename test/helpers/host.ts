/**
 * A real local host for a test: the same wiring as `npm start`, on a temporary SQLite file, on an
 * ephemeral loopback port, with a clock the test controls and logs kept in memory.
 */
import { MemoryLogger } from '../../server/adapters/system';
import { httpRequest } from './http';
import type { Notifier } from '../../server/domain/ports/notifier';
import { createLocalApp, type LocalApp } from '../../server/host/app';
import { listen } from '../../server/host/http';
import { ManualClock } from './clock';
import { removeTempDirs, tempDbFile } from './tmp';

export interface TestHost {
  url: string;
  app: LocalApp;
  clock: ManualClock;
  log: MemoryLogger;
  dbFile: string;
  /** POST /fn/<name> as `openid` (none: no identity header), returning the parsed body. */
  call<T = unknown>(name: string, body: unknown, openid?: string): Promise<{ status: number; body: T }>;
  /** Raw request, for malformed bodies and other routes. */
  raw(
    path: string,
    init?: { method?: string; headers?: Record<string, string>; body?: string },
  ): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

export interface TestHostOptions {
  /** A built browser preview to serve at /preview (journeys). */
  previewDir?: string;
  /** Turns on the assistant's staff console with this token. */
  staffToken?: string;
  /** Replaces the sandbox outbox as the Notifier (a failing or refusing WeChat). */
  notifier?: Notifier;
  /** An existing database (another host's: a restart, a rotation); default a fresh one. */
  dbFile?: string;
  /** The server secret and the earlier ones kept for verifying; default the development secret. */
  secret?: string;
  earlierSecrets?: readonly string[];
}

/**
 * What the story helpers (test/helpers/verification.ts) need of a host: calls, and a clock to move
 * past SMS resend intervals — a no-op for host processes, which run on the real clock.
 */
export type HostClient = Pick<TestHost, 'url' | 'call' | 'raw'> & { clock: { advance(ms: number): void } };

/** Calls and raw requests to a host listening at `url`. */
export function hostClient(url: string): Pick<TestHost, 'url' | 'call' | 'raw'> {
  return {
    url,
    async call<T>(name: string, body: unknown, openid?: string) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (openid) headers['X-WX-OPENID'] = openid;
      const response = await httpRequest(`${url}/fn/${name}`, { method: 'POST', headers, body: JSON.stringify(body) });
      return { status: response.status, body: JSON.parse(response.text) as T };
    },
    raw(path: string, init?: { method?: string; headers?: Record<string, string>; body?: string }) {
      return httpRequest(`${url}${path}`, init);
    },
  };
}

export async function startTestHost(options: TestHostOptions = {}): Promise<TestHost> {
  const clock = new ManualClock();
  const log = new MemoryLogger();
  const dbFile = options.dbFile ?? tempDbFile();
  const app = createLocalApp({
    dbFile,
    secret: options.secret,
    earlierSecrets: options.earlierSecrets,
    clock,
    log,
    detectStoreMisuse: true,
    rehearseTransactions: true,
    previewDir: options.previewDir,
    staffToken: options.staffToken,
    notifier: options.notifier,
  });
  const address = await listen(app.server, 0);
  const url = `http://127.0.0.1:${address.port}`;
  return {
    app,
    clock,
    log,
    dbFile,
    ...hostClient(url),
    async close() {
      await app.close();
      removeTempDirs();
    },
  };
}
