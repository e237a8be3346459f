/**
 * Journey 1, a new user end to end in the browser preview, clicked as a person would: session →
 * real name stated (pending) → pay password on the digit keyboard → 绑定银行卡完成认证: a sandbox
 * card bound with the SMS code from the outbox, which has the bank confirm the real name (verified)
 * → top-up ¥500 → transfer ¥123.45 to another card (fee ¥0.12 on the confirm sheet) → the bank
 * settles → the transfer's detail says 成功 and the message centre has the notice.
 */
import { SANDBOX_RESERVED_PHONE } from '../../server/adapters/sandbox/test-cards';
import { CONFIG } from '../../server/config';
import { pressKeys } from '../helpers/browser';
import { useJourney } from '../helpers/journey';
import { ALICE, latestSmsCode } from '../helpers/verification';

const OWN_CARD = '6222020000000000018';
const PAYEE_CARD = '6217000000000000160';

const journey = useJourney();

test('new user: real name → pay password → first card by SMS verifies it → top-up → transfer → settled → 成功 and a message', async () => {
  const started = Date.now();
  const preview = await journey.open({ openid: 'o-journey-new' });
  await preview.waitForText('完成实名认证并设置支付密码后');
  expect(await preview.text('.balance')).toBe('¥0.00');

  // real name: stated, pending until the first card confirms it
  await preview.tap('.security-link');
  await preview.waitForRoute('pages/security/index');
  await preview.type('.name-field', ALICE.name);
  await preview.type('.id-field', ALICE.idNumber);
  await preview.tap('.verify-button');
  await preview.waitForText('设置支付密码');
  expect(await preview.text('.identity-id')).toMatch(/^身份证号 \*{14}\d{3}[\dX]$/);
  expect(await preview.text('.identity-status')).toBe('状态 待绑卡验证');

  // pay password, twice, on the sheet's own digit keyboard
  await preview.tap('.set-pay-password');
  await preview.enterPayPassword(ALICE.payPassword);
  await preview.waitForText('请再次输入以确认');
  await preview.enterPayPassword(ALICE.payPassword);
  await preview.waitForText('修改支付密码');
  await preview.screenshot('journey1-1-security');

  // 绑定银行卡完成认证: the first card, confirmed by the SMS code the sandbox bank sent to the
  // reserved phone, completes the real name
  await preview.tap('.bind-card-button');
  await preview.waitForRoute('pages/cards/add/index');
  await preview.waitForText('验证身份以添加银行卡'); // the page asks for the pay password first
  await preview.enterPayPassword(ALICE.payPassword);
  await preview.type('.card-field', OWN_CARD);
  await preview.waitForText('中国工商银行 储蓄卡');
  await preview.waitForText('这张卡将同时完成实名认证');
  // filled in from the real-name form of this session; typed again, it is the same number
  await preview.type('.id-field', ALICE.idNumber);
  await preview.type('.phone-field', SANDBOX_RESERVED_PHONE);
  await preview.tap('.next-button');
  await preview.waitForText('验证码已发送至');
  await preview.type('.code-field', await latestSmsCode(journey.host, SANDBOX_RESERVED_PHONE));
  await preview.tap('.confirm-button');
  await preview.waitForRoute('pages/security/index');
  await preview.waitForText('已认证');
  await preview.screenshot('journey1-2-verified');
  await preview.back();
  await preview.waitForRoute('pages/index/index');
  await preview.waitForText('已实名');
  await preview.tap('.cards-link');
  await preview.waitForText('尾号0018');
  await preview.back();
  await preview.waitForRoute('pages/index/index');

  // top-up ¥500 on the amount keypad
  await preview.tap('.topup-link');
  await preview.waitForText('充值金额');
  await pressKeys(preview, '.keypad', '500');
  await preview.tap('.keypad >>> .key-confirm');
  await preview.waitForText('充值 ¥500.00');
  await preview.enterPayPassword(ALICE.payPassword);
  await preview.waitForRoute('pages/result/index');
  await preview.waitForText('充值成功');
  await preview.tap('.done-button');
  await preview.waitForRoute('pages/index/index');
  await preview.waitForText('¥500.00');

  // transfer ¥123.45 to someone else's card: the fee on the confirm sheet
  await preview.tap('.transfer-link');
  await preview.waitForText('今日还可转');
  await preview.type('.name-field', '王小明');
  await preview.type('.card-field', PAYEE_CARD);
  await preview.waitForText('中国建设银行 储蓄卡');
  await preview.tap('.amount-field >>> .amount-field');
  await pressKeys(preview, '.keypad', '123.45');
  await preview.tap('.keypad >>> .key-confirm');
  await preview.waitForText('合计扣除');
  expect(await preview.text('.confirm-fee')).toBe('手续费 ¥0.12');
  expect(await preview.text('.confirm-total')).toBe('合计扣除 ¥123.57');
  expect(await preview.text('.confirm-payee')).toBe('收款人 中国建设银行(0160) **明');
  await preview.screenshot('journey1-3-transfer-confirm');
  await preview.tap('.confirm-button');
  await preview.enterPayPassword(ALICE.payPassword);
  await preview.waitForRoute('pages/result/index');
  await preview.waitForText('转账已提交，等待银行处理');
  await preview.screenshot('journey1-4-transfer-sent');

  // the bank settles; the result page, still open, asks again and shows it
  journey.host.clock.advance(CONFIG.sandbox.settleAfterMs);
  const settled = await journey.host.call<{ ok: boolean; data: { resolved: { succeeded: number } } }>('settle', {
    action: 'run',
  });
  expect(settled.body.data.resolved.succeeded).toBe(1);
  await preview.waitForText('转账成功', 10_000);

  // history → the transfer's detail says 成功
  await preview.tap('.history-button');
  await preview.waitForRoute('pages/history/index');
  await preview.waitForText('没有更多了');
  expect(await preview.text('.history-0')).toMatch(/^转账到银行卡 中国建设银行\(0160\) \*\*明 .* -¥123\.57 成功$/);
  await preview.tap('.history-0');
  await preview.waitForRoute('pages/history/detail/index');
  await preview.waitForText('交易编号');
  expect(await preview.text('.head-status')).toBe('成功');
  await preview.screenshot('journey1-5-transfer-detail');

  // the message centre has the notice
  await preview.back();
  await preview.back();
  await preview.waitForRoute('pages/index/index');
  await preview.tap('.messages-link');
  await preview.waitForRoute('pages/messages/index');
  await preview.waitForText('转账成功');
  expect(await preview.text('.message-0')).toContain('向中国建设银行(0160) **明转账 ¥123.45');
  await preview.screenshot('journey1-6-messages');

  expect(await preview.problems()).toEqual([]);
  console.log(`journey 1 (new user) ${Date.now() - started} ms`);
});
