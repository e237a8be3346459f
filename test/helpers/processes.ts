/**
 * Real local-host processes for tests that need more than one (several processes on one SQLite
 * file) or one to kill (crash safety). The host's entry is bundled once per test file into a
 * temporary folder — not dist/, which other tests rebuild — and started with plain node.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { build } from 'esbuild';
import { tempDbFile } from './tmp';

const root = path.resolve(__dirname, '../..');

export interface HostProcess {
  url: string;
  child: ChildProcess;
  /** SIGKILL: no cleanup, no WAL checkpoint — what a crash looks like. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

let bundled: string | undefined;

export async function hostBundle(): Promise<string> {
  if (bundled) return bundled;
  const outfile = path.join(path.dirname(tempDbFile('bundle-marker')), 'host.js');
  await build({
    entryPoints: [path.join(root, 'server', 'host', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3', '@cloudbase/node-sdk'],
    logLevel: 'error',
  });
  bundled = outfile;
  return outfile;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** Starts a host on `dbFile` on a free port and resolves once it prints that it is ready. */
export async function spawnHost(dbFile: string, env: Record<string, string> = {}): Promise<HostProcess> {
  const entry = await hostBundle();
  const child = spawn(process.execPath, [entry], {
    cwd: root,
    env: { ...process.env, NODE_PATH: path.join(root, 'node_modules'), WXBANK_DB: dbFile, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /ready on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', (code) => reject(new Error(`host exited (${code}) before it was ready:\n${output}`)));
    setTimeout(() => reject(new Error(`host not ready after 30 s:\n${output}`)), 30_000).unref();
  });
  child.stdout!.resume();
  child.stderr!.resume();
  return {
    url,
    child,
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}
