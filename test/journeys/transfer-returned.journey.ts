/**
 * Journey 2, the bank's failure path: demo user B transfers to a card whose bank later returns the
 * money (户名不符). The result page shows 处理中, then — once settle has the bank's answer — 已退回
 * with the reason, and the wallet has the amount and the fee back.
 */
import { CONFIG } from '../../server/config';
import { DEMO_IDENTITIES, seedDemoData } from '../../server/host/seed';
import { pressKeys } from '../helpers/browser';
import { useJourney } from '../helpers/journey';

const RETURNED_BY_BANK = '6222020000000000133';
const BOB = DEMO_IDENTITIES['o-demo-bob']!;

const journey = useJourney({ prepare: (host) => seedDemoData(host.app.deps, host.app.sandbox) });

test('a transfer the bank returns: 处理中 → 已退回 with the reason, amount and fee back in the wallet', async () => {
  const started = Date.now();
  const preview = await journey.open({ openid: 'o-demo-bob' });
  await preview.waitForText('最近交易');
  const balanceBefore = await preview.text('.balance');

  await preview.tap('.transfer-link');
  await preview.waitForText('今日还可转');
  await preview.type('.name-field', '王小明');
  await preview.type('.card-field', RETURNED_BY_BANK);
  await preview.waitForText('中国工商银行 储蓄卡');
  await preview.tap('.amount-field >>> .amount-field');
  await pressKeys(preview, '.keypad', '200');
  await preview.tap('.keypad >>> .key-confirm');
  await preview.waitForText('合计扣除');
  expect(await preview.text('.confirm-total')).toBe('合计扣除 ¥200.20');
  await preview.tap('.confirm-button');
  await preview.enterPayPassword(BOB.payPassword);
  await preview.waitForRoute('pages/result/index');
  await preview.waitForText('转账已提交，等待银行处理');

  journey.host.clock.advance(CONFIG.sandbox.settleAfterMs);
  const settled = await journey.host.call<{ ok: boolean; data: { resolved: { returned: number } } }>('settle', {
    action: 'run',
  });
  expect(settled.body.data.resolved.returned).toBe(1);
  await preview.waitForText('已退回，资金已原路返回零钱', 10_000);
  expect(await preview.text('.head-reason')).toContain('收款人户名与卡号不符');
  await preview.screenshot('journey2-transfer-returned');

  await preview.tap('.done-button');
  await preview.waitForRoute('pages/index/index');
  await preview.waitForText('已退回');
  expect(await preview.text('.balance')).toBe(balanceBefore);
  expect(await preview.text('.latest-0')).toContain('已退回');
  expect(await preview.problems()).toEqual([]);
  console.log(`journey 2 (transfer returned) ${Date.now() - started} ms`);
});
