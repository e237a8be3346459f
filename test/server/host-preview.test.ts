/** The local host's routes for the browser preview: static files under /preview, and the demo users. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_USERS } from '../../server/host/seed';
import { startTestHost, type TestHost } from '../helpers/host';

let dir: string;
let host: TestHost;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wxbank-preview-dir-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>preview</title>');
  writeFileSync(path.join(dir, 'preview.js'), 'window.x = 1;');
  writeFileSync(path.join(path.dirname(dir), 'wxbank-secret.txt'), 'outside');
  host = await startTestHost({ previewDir: dir });
});
afterAll(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(path.join(path.dirname(dir), 'wxbank-secret.txt'), { force: true });
});

test('/preview redirects to the folder, which serves index.html and files with their types', async () => {
  const redirect = await fetch(`${host.url}/preview?w=390&h=844`, { redirect: 'manual' });
  expect(redirect.status).toBe(302);
  expect(redirect.headers.get('location')).toBe('/preview/?w=390&h=844');

  const index = await fetch(`${host.url}/preview/`);
  expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(await index.text()).toContain('<title>preview</title>');
  const script = await fetch(`${host.url}/preview/preview.js`);
  expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  expect(await script.text()).toBe('window.x = 1;');
});

test('nothing outside the preview folder is reachable, and folders or missing files are 404', async () => {
  for (const pathname of [
    '/preview/%2e%2e/wxbank-secret.txt',
    '/preview/..%2fwxbank-secret.txt',
    '/preview/assets',
    '/preview/nope.js',
    '/preview/%E0%A4%A',
  ]) {
    const response = await host.raw(pathname);
    expect({ pathname, status: response.status }).toEqual({ pathname, status: 404 });
    expect(response.text).not.toContain('outside');
  }
});

test('/dev/demo-users lists the seed identities for the user switcher', async () => {
  const response = await host.raw('/dev/demo-users');
  expect(JSON.parse(response.text)).toEqual({ ok: true, data: DEMO_USERS });
});

test('without a built preview the host serves no /preview', async () => {
  const plain = await startTestHost();
  try {
    expect((await plain.raw('/preview/')).status).toBe(404);
  } finally {
    await plain.close();
  }
});
