/**
 * Journey 2, failure paths (the parts whose pages exist today): a card whose bank-reserved phone
 * is not the one typed is refused with the bank's reason, before any SMS goes out; and five wrong
 * old pay passwords in the security centre's 修改支付密码 lock the pay password, the sheet saying
 * for how long. The user states a real name and sets a pay password over HTTP first (journey 1
 * walks that through the pages): pending, so the card refused here would have been the one to
 * complete the real name. Still to come: a transfer the bank returns → 已退回 (the transfer page).
 */
import { SANDBOX_RESERVED_PHONE, TEST_CARDS } from '../../server/adapters/sandbox/test-cards';
import { CONFIG } from '../../server/config';
import type { PreviewPage } from '../helpers/browser';
import { useJourney } from '../helpers/journey';
import { ALICE, ok, outbox, verifiedUser } from '../helpers/verification';

const OPENID = 'o-journey-failures';
/** A phone the bank has not on record for any test card. */
const WRONG_PHONE = '13900139000';
const WRONG_PASSWORD = '580913';
const NEW_PASSWORD = '802613';

const journey = useJourney({ prepare: (host) => verifiedUser(host, OPENID, ALICE) });

/** The preview on the home page, as the user (real name pending: no card has confirmed it yet). */
async function openHome(): Promise<PreviewPage> {
  const preview = await journey.open({ openid: OPENID });
  await preview.waitForText('未实名');
  return preview;
}

const inputValue = async (preview: PreviewPage, field: string) =>
  (await preview.locate(field)).locator('input').inputValue();

test('a card whose reserved phone does not match: the bank’s reason on the page, no SMS, no card', async () => {
  const card = TEST_CARDS.find((c) => c.bind === 'success' && !c.reservedPhone)!;
  expect(WRONG_PHONE).not.toBe(SANDBOX_RESERVED_PHONE);

  const preview = await openHome();
  await preview.tap('.cards-link');
  await preview.waitForRoute('pages/cards/index');
  await preview.waitForText('还没有绑定银行卡');
  await preview.tap('.add-button');
  await preview.waitForRoute('pages/cards/add/index');
  // the pay password first, for the binding's ticket
  await preview.waitForText('验证身份以添加银行卡');
  await preview.enterPayPassword(ALICE.payPassword);
  await preview.waitForText('下一步');
  await preview.waitForSheetClosed();

  await preview.type('.card-field', card.number);
  await preview.waitForText('工商银行 储蓄卡');
  // the holder is the stated real name, not typed; this first card would complete it
  expect(await inputValue(preview, '.holder-field')).toBe(ALICE.name);
  await preview.waitForText('这张卡将同时完成实名认证');
  await preview.type('.id-field', ALICE.idNumber);
  await preview.type('.phone-field', WRONG_PHONE);
  await preview.tap('.next-button');
  await preview.waitForText('手机号与银行预留手机号不一致，请核对或联系发卡行');
  expect(await preview.text('.form-error')).toBe('手机号与银行预留手机号不一致，请核对或联系发卡行');
  // still on the card step, with what was typed, to correct the phone
  expect(await preview.locate('.code-field').then((field) => field.count())).toBe(0);
  expect(await inputValue(preview, '.phone-field')).toBe(WRONG_PHONE);
  await preview.screenshot('failures-1-reserved-phone-mismatch');

  expect(await outbox(journey.host, WRONG_PHONE)).toEqual([]);
  expect(await ok<{ cards: unknown[] }>(journey.host, OPENID, 'cards', { action: 'list' })).toMatchObject({
    cards: [],
  });
  // and the real name is still pending: a refused card confirms nothing
  expect(await ok(journey.host, OPENID, 'user', { action: 'profile' })).toMatchObject({
    level: 'follower',
    identity: null,
    pendingIdentity: { name: ALICE.name },
  });
  expect(await preview.problems()).toEqual([]);
});

test('five wrong pay passwords in 修改支付密码 lock it: the sheet says for how long', async () => {
  const preview = await openHome();
  await preview.tap('.security-link');
  await preview.waitForRoute('pages/security/index');
  await preview.waitForText('修改支付密码');

  await preview.tap('.change-pay-password');
  for (let attempt = 1; attempt <= CONFIG.payPassword.maxAttempts; attempt++) {
    await preview.waitForText('请输入原支付密码');
    await preview.enterPayPassword(WRONG_PASSWORD);
    await preview.waitForText('请设置新支付密码');
    await preview.enterPayPassword(NEW_PASSWORD);
    await preview.waitForText('请再次输入新支付密码');
    await preview.enterPayPassword(NEW_PASSWORD);
    const left = CONFIG.payPassword.maxAttempts - attempt;
    if (left > 0) {
      await preview.waitForText(`支付密码错误，还可以再试${left}次`);
      if (left === 1) await preview.screenshot('failures-2-last-try');
    }
  }
  await preview.waitForText('支付密码错误次数过多，已锁定，请3小时后再试');
  expect(await preview.text('.pay-sheet >>> .locked-message')).toBe('支付密码错误次数过多，已锁定，请3小时后再试');
  // the keyboard is gone: nothing more can be typed
  expect(await preview.locate('.pay-sheet >>> .keyboard').then((keyboard) => keyboard.count())).toBe(0);
  await preview.screenshot('failures-3-locked');

  // closed, the security centre says until when (China time: locked at 10:00 for 3 hours)
  await preview.tap('.pay-sheet >>> .close');
  await preview.waitForSheetClosed();
  expect(await preview.text('.change-pay-password')).toBe('修改支付密码 已锁定，11月28日 13:00后可用');
  await preview.screenshot('failures-4-locked-until');

  const status = await ok<{ payPassword: { locked: boolean; unlockAt: number } }>(journey.host, OPENID, 'user', {
    action: 'profile',
  });
  expect(status.payPassword).toMatchObject({
    locked: true,
    unlockAt: journey.host.clock.now() + CONFIG.payPassword.lockMs,
  });
  // even the right password is refused while locked
  const right = await journey.host.call<{ ok: boolean; error: { code: string } }>(
    'verify',
    { action: 'verifyPayPassword', payPassword: ALICE.payPassword, purpose: 'cards.bind' },
    OPENID,
  );
  expect(right.body).toMatchObject({ ok: false, error: { code: 'PAY_PASSWORD_LOCKED' } });
  expect(await preview.problems()).toEqual([]);
});
