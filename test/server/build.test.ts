/**
 * `npm run build` output is deployable: one self-contained folder per function — index.js exporting
 * main with everything inside, a package.json with nothing to install, config.json — and that main
 * works when loaded by plain node from a copy in an empty folder, the way CloudBase loads it, and
 * fails safe (the envelope, one log line, no crash) when the cloud gives it nothing to work with.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FUNCTIONS } from '../../server/functions';
import { removeTempDirs, tempDbFile } from '../helpers/tmp';

const root = path.resolve(__dirname, '../..');
const dist = path.join(root, 'dist', 'cloudfunctions');

beforeAll(() => {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'pipe' });
}, 60_000);
afterAll(() => removeTempDirs());

test('every function definition has a deployable folder, and every folder a definition', () => {
  const folders = readdirSync(path.join(root, 'cloudfunctions')).sort();
  expect(folders).toEqual(Object.keys(FUNCTIONS).sort());
  expect(readdirSync(dist).sort()).toEqual(folders);
});

test.each(Object.keys(FUNCTIONS))('%s: index.js, package.json with nothing to install, config.json', (name) => {
  const folder = path.join(dist, name);
  expect(existsSync(path.join(folder, 'index.js'))).toBe(true);
  expect(existsSync(path.join(folder, 'config.json'))).toBe(true);
  const pkg = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as {
    main: string;
    dependencies: Record<string, string>;
  };
  expect(pkg.main).toBe('index.js');
  expect(pkg.dependencies).toEqual({});
});

/** A copy of a built function in an empty folder: nothing around it to resolve packages from. */
function isolatedCopy(name: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wxbank-fn-'));
  cpSync(path.join(dist, name), dir, { recursive: true });
  return dir;
}

/** What a CloudBase instance looks like to the SDK, minus anything the test leaves out. */
const INSIDE_CLOUDBASE = {
  TENCENTCLOUD_RUNENV: 'SCF',
  SCF_NAMESPACE: 'wxbank-test-env',
  TENCENTCLOUD_REGION: 'ap-shanghai',
  WXBANK_SECRET: 'built-function-test-secret-0123456789abcdef',
  WXBANK_BANK: 'sandbox',
  WXBANK_SMS: 'sandbox',
};

/** Runs one call of a built function's main in a fresh node process, from the given folder. */
function callBuilt(cwd: string, env: NodeJS.ProcessEnv, event: object = { action: 'list' }) {
  const script = `
    const { main } = require('./index.js');
    const context = { request_id: 'r-built', environment: JSON.stringify({ WX_OPENID: 'o-built', WX_CONTEXT_KEYS: 'WX_OPENID' }) };
    main(${JSON.stringify(event)}, context).then((r) => { process.stdout.write('\\n' + JSON.stringify(r)); });
  `;
  const run = spawnSync(process.execPath, ['-e', script], {
    cwd,
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  const lines = run.stdout.trim().split('\n');
  return {
    status: run.status,
    result: JSON.parse(lines.pop()!) as unknown,
    logs: `${lines.join('\n')}\n${run.stderr}`,
  };
}

test('a copy in an empty folder loads without node_modules; inside CloudBase without credentials it answers UNAVAILABLE, logs one line, and does not crash', () => {
  const run = callBuilt(isolatedCopy('cards'), INSIDE_CLOUDBASE);
  expect(run.status).toBe(0);
  expect(run.result).toEqual({ ok: false, error: { code: 'UNAVAILABLE', message: '服务暂时不可用，请稍后再试' } });
  const lines = run.logs.split('\n').filter((line) => line.includes('function.dependency_unavailable'));
  expect(lines).toHaveLength(1);
  expect(JSON.parse(lines[0]!)).toMatchObject({
    fn: 'cards',
    action: 'list',
    dependency: 'cloudbase',
    reason: 'credentials',
  });
  expect(run.logs).not.toMatch(/TcbError|\bat .*index\.js/);
});

test('inside CloudBase a function refuses to start without an explicit bank and SMS gateway: INTERNAL, and the log says which', () => {
  const { WXBANK_SMS: _sms, ...withoutSms } = INSIDE_CLOUDBASE;
  const run = callBuilt(isolatedCopy('cards'), {
    ...withoutSms,
    TENCENTCLOUD_SECRETID: 'id',
    TENCENTCLOUD_SECRETKEY: 'key',
  });
  expect(run.status).toBe(0);
  expect(run.result).toEqual({ ok: false, error: { code: 'INTERNAL', message: expect.any(String) } });
  expect(run.logs).toContain('function.misconfigured');
  expect(run.logs).toContain('WXBANK_SMS is not set');
});

test('the built user function loads with plain node and answers a session call', () => {
  const script = `
    const { main } = require('./index.js');
    const context = { request_id: 'r1', environment: JSON.stringify({ WX_OPENID: 'o-built', WX_CONTEXT_KEYS: 'WX_OPENID' }) };
    main({ action: 'session' }, context).then((r) => process.stdout.write(JSON.stringify(r)));
  `;
  const out = execFileSync(process.execPath, ['-e', script], {
    cwd: path.join(dist, 'user'),
    env: { ...process.env, WXBANK_STORE: 'sqlite', WXBANK_DB: tempDbFile() },
    encoding: 'utf8',
  });
  // the function's own log lines come first on stdout, its result last
  expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({
    ok: true,
    data: expect.objectContaining({ level: 'follower', created: true }),
  });
});

test('inside CloudBase a built function without WXBANK_SECRET answers INTERNAL and logs why', () => {
  const { WXBANK_SECRET: _unset, ...withoutSecret } = INSIDE_CLOUDBASE;
  const run = callBuilt(isolatedCopy('cards'), withoutSecret);
  expect(run.status).toBe(0);
  expect(run.result).toEqual({ ok: false, error: { code: 'INTERNAL', message: expect.any(String) } });
  expect(run.logs).toContain('function.misconfigured');
  expect(run.logs).toContain('WXBANK_SECRET is not set');
});

test('the built branches function loads with plain node: migrations (the R*Tree) run and nearby answers', () => {
  const script = `
    const { main } = require('./index.js');
    main({ action: 'nearby', lat: 45.76, lng: 126.64 }, { request_id: 'r1', environment: '{}' })
      .then((r) => process.stdout.write(JSON.stringify(r)));
  `;
  const out = execFileSync(process.execPath, ['-e', script], {
    cwd: path.join(dist, 'branches'),
    env: { ...process.env, WXBANK_STORE: 'sqlite', WXBANK_DB: tempDbFile() },
    encoding: 'utf8',
  });
  expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({
    ok: true,
    data: { branches: [], nextCursor: null, radiusM: 5000 },
  });
});
