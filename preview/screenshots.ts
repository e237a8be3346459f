/**
 * README screenshots from the preview (`npm run screenshots` → docs/screenshots/<name>.png): a local
 * host on a fresh seeded database, the preview, and one entry per shot with the steps that lead to
 * it — the same helpers the journeys use. Add a shot here when a page worth showing lands.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MemoryLogger } from '../server/adapters/system';
import { createLocalApp } from '../server/host/app';
import { listen } from '../server/host/http';
import { seedDemoData } from '../server/host/seed';
import { launchBrowser, openPreview, pressKeys, type PreviewPage } from '../test/helpers/browser';

interface Shot {
  name: string;
  /** Where the preview opens. */
  route: string;
  openid: string;
  /** The steps from there to the screen worth showing. */
  steps(preview: PreviewPage): Promise<void>;
}

const SHOTS: Shot[] = [
  {
    name: 'home',
    route: 'pages/index/index',
    openid: 'o-demo-bob',
    steps: (preview) => preview.waitForText('最近交易'),
  },
  {
    name: 'transfer-confirm',
    route: 'pages/transfer/index',
    openid: 'o-demo-bob',
    async steps(preview) {
      await preview.waitForText('今日还可转');
      await preview.type('.name-field', '王小明');
      await preview.type('.card-field', '6217000000000000160');
      await preview.waitForText('中国建设银行 储蓄卡');
      await preview.tap('.amount-field >>> .amount-field');
      await pressKeys(preview, '.keypad', '123.45');
      await preview.tap('.keypad >>> .key-confirm');
      await preview.waitForText('合计扣除');
      // vant's popup slides up: wait until it has arrived
      await preview.page.waitForTimeout(600);
    },
  },
  {
    name: 'cards',
    route: 'pages/cards/index',
    openid: 'o-demo-bob',
    steps: (preview) => preview.waitForText('尾号0158'),
  },
  {
    name: 'branches-nearby',
    route: 'packageBranches/pages/nearby/index',
    openid: 'o-demo-alice',
    steps: (preview) => preview.waitForText('没有更多了').catch(() => preview.waitForText('加载更多')),
  },
  {
    name: 'branches-detail',
    route: 'packageBranches/pages/nearby/index',
    openid: 'o-demo-alice',
    async steps(preview) {
      await preview.waitForText('加载更多');
      await preview.tap('.branch-item');
      await preview.waitForText('营业时间');
    },
  },
  {
    name: 'branches-booking',
    route: 'packageBranches/pages/nearby/index',
    // booking needs a verified real name: bob's was confirmed with his seeded card
    openid: 'o-demo-bob',
    async steps(preview) {
      await preview.waitForText('加载更多');
      await preview.tap('.branch-item');
      await preview.waitForText('预约取号');
      await preview.tap('.book-button');
      await preview.waitForText('1. 选择业务');
      await preview.tap('.service-option');
      await preview.waitForText('3. 选择时段');
    },
  },
];

async function main(): Promise<void> {
  const root = path.resolve(process.argv[2] ?? process.cwd());
  const outDir = path.join(root, 'docs', 'screenshots');
  const only = process.argv[3];
  const dbDir = mkdtempSync(path.join(os.tmpdir(), 'wxbank-shots-'));
  const app = createLocalApp({
    dbFile: path.join(dbDir, 'wxbank.sqlite'),
    log: new MemoryLogger(),
    previewDir: path.join(root, 'dist', 'preview'),
  });
  await seedDemoData(app.deps, app.sandbox);
  const address = await listen(app.server, 0);
  const browser = await launchBrowser();
  mkdirSync(outDir, { recursive: true });
  try {
    for (const shot of SHOTS.filter((s) => !only || s.name === only)) {
      const started = Date.now();
      const preview = await openPreview(browser, `http://127.0.0.1:${address.port}`, {
        route: shot.route,
        openid: shot.openid,
      });
      await shot.steps(preview);
      await preview.idle();
      const problems = await preview.problems();
      if (problems.length > 0) throw new Error(`${shot.name}: the preview reported ${problems.join('; ')}`);
      const file = path.join(outDir, `${shot.name}.png`);
      await preview.phone.screenshot({ path: file });
      await preview.page.close();
      console.log(`${path.relative(root, file)}  (${Date.now() - started} ms)`);
    }
  } finally {
    await browser.close();
    await app.close();
    rmSync(dbDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
