/** `npm start`'s server: migrate and seed the SQLite file, then serve every function on loopback. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ownerOnlyFolder } from '../adapters/sqlite/store';
import { CONFIG } from '../config';
import { DEFAULT_DB_FILE } from '../runtime/environment';
import { createLocalApp } from './app';
import { listen } from './http';
import { QueueSimulator } from './queue-simulator';
import { DEMO_USERS, seedDemoData } from './seed';
import { upgradeLegacyIdentities } from '../domain/users/identity';

async function run(): Promise<void> {
  const dbFile = path.resolve(process.env.WXBANK_DB ?? DEFAULT_DB_FILE);
  // `.data/` is the host's own folder: owner-only, also when an older run left it readable. (A
  // folder WXBANK_DB points into is the developer's, and left as it is; the files are 0600 anyway.)
  if (process.env.WXBANK_DB === undefined) ownerOnlyFolder(path.dirname(dbFile));
  const port = Number(process.env.PORT ?? 3300);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got ${process.env.PORT}`);
  const previewDir = path.resolve('dist', 'preview');
  const hasPreview = existsSync(path.join(previewDir, 'index.html'));
  const app = createLocalApp({
    dbFile,
    previewDir: hasPreview ? previewDir : undefined,
    staffToken: process.env.WXBANK_STAFF_TOKEN || undefined,
  });
  // A database from before identities kept only the facts the rules need: rewrite those documents.
  const upgraded = await upgradeLegacyIdentities(app.deps);
  if (upgraded > 0) app.deps.log.info('host.identities_upgraded', { count: upgraded });
  const seedingStarted = Date.now();
  const seeded = await seedDemoData(app.deps, app.sandbox);
  const seedingMs = Date.now() - seedingStarted;
  const simulator = new QueueSimulator({
    deps: app.deps,
    branchesMain: app.mains.branches!,
    machines: seeded.branches,
  });
  simulator.start();
  // CloudBase runs settle on a timer trigger; the local host does the same, more often.
  const settleTimer = setInterval(() => {
    void app.mains.settle!({ action: 'run' }, { request_id: 'local-timer', environment: '{}' }).then((result) => {
      if (!result.ok) app.deps.log.error('host.settle_failed', { code: result.error.code });
    });
  }, CONFIG.sandbox.settleTimerMs);
  const address = await listen(app.server, port);
  const url = `http://127.0.0.1:${address.port}`;
  const lines = [
    '',
    `wxbank local host ready on ${url}  (database ${path.relative(process.cwd(), dbFile) || dbFile})`,
    hasPreview
      ? `  preview:    ${url}/preview  (the real pages in a phone frame, in any browser)`
      : '  preview:    not built (npm start builds it; or node scripts/build-preview.mjs)',
    `  health:     curl ${url}/health`,
    `  a function: curl -X POST ${url}/fn/user -H 'X-WX-OPENID: o-test' -H 'content-type: application/json' -d '{"action":"session"}'`,
    `  demo users: ${DEMO_USERS.map((u) => `${u.openid} (${u.label})`).join(', ')}`,
    `  branches:   ${seeded.branches.branchIds.length} ${seeded.branches.created ? 'seeded' : 'already seeded'} (seed step ${seedingMs} ms); sandbox queue machines report every ${CONFIG.branches.simulator.intervalMs / 1000} s`,
    `  sandbox:    ${url}/sandbox/notifications?openid=o-demo-alice   ${url}/sandbox/queue-machines?branchId=${seeded.branches.branchIds[0] ?? ''}`,
    `  settle:     every ${CONFIG.sandbox.settleTimerMs / 1000} s (the timer trigger's job); or curl -X POST ${url}/fn/settle -d '{"action":"run"}'`,
    `  QR codes:   npm run merchant-order -- 28.00   (a sandbox merchant's payment QR in this terminal and as a PNG; or POST ${url}/sandbox/merchant-orders)`,
    `  staff:      ${process.env.WXBANK_STAFF_TOKEN ? `curl ${url}/staff/conversations -H 'X-Staff-Token: …'` : 'assistant staff console off (set WXBANK_STAFF_TOKEN to turn it on)'}`,
    '',
    'Open the project in the WeChat devtools (导入项目 → this folder, appid from README or 测试号).',
    "miniprogram/config.ts uses transport 'local' (http://127.0.0.1:3300); on another PORT set the address on the 开发设置 page.",
    'project.config.json turns off domain checks (不校验合法域名) so the simulator may call loopback.',
    'Ctrl+C stops the host.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
  const stop = () => {
    simulator.stop();
    clearInterval(settleTimer);
    void app.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

run().catch((error: unknown) => {
  process.stderr.write(`wxbank host failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
