/**
 * `npm run build` output is deployable: one folder per function with index.js exporting main,
 * package.json listing only runtime packages, config.json — and that main works when loaded by
 * plain node, the way CloudBase loads it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

test.each(Object.keys(FUNCTIONS))('%s: index.js, package.json with runtime deps only, config.json', (name) => {
  const folder = path.join(dist, name);
  expect(existsSync(path.join(folder, 'index.js'))).toBe(true);
  expect(existsSync(path.join(folder, 'config.json'))).toBe(true);
  const pkg = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as {
    main: string;
    dependencies: Record<string, string>;
  };
  expect(pkg.main).toBe('index.js');
  for (const dep of Object.keys(pkg.dependencies)) expect(['@cloudbase/node-sdk', 'wx-server-sdk']).toContain(dep);
  expect(pkg.dependencies).not.toHaveProperty('better-sqlite3');
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
  const script = `
    const { main } = require('./index.js');
    const context = { request_id: 'r2', environment: JSON.stringify({ WX_OPENID: 'o-built', WX_CONTEXT_KEYS: 'WX_OPENID' }) };
    main({ action: 'list' }, context).then((r) => process.stdout.write(JSON.stringify(r)));
  `;
  const { WXBANK_SECRET: _unset, ...env } = process.env;
  const run = spawnSync(process.execPath, ['-e', script], {
    cwd: path.join(dist, 'cards'),
    env: { ...env, TENCENTCLOUD_RUNENV: 'SCF', WXBANK_STORE: 'sqlite', WXBANK_DB: tempDbFile() },
    encoding: 'utf8',
  });
  expect(JSON.parse(run.stdout.trim().split('\n').pop()!)).toEqual({
    ok: false,
    error: { code: 'INTERNAL', message: expect.any(String) },
  });
  expect(run.stderr).toContain('WXBANK_SECRET is not set');
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
