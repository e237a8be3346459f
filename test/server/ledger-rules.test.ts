/**
 * Ledger rules one line at a time — the cases Stryker's run over server/domain/ledger found no
 * test for: "withdraw all" of an empty or negative balance, a payload's hash regardless of field
 * order, a reused requestId with another payload or action, the wallet document a first posting
 * creates, and the merchant account's name.
 */
import { maxWithdrawable } from '../../server/domain/ledger/fees';
import { merchantAccountId, walletAccountId } from '../../server/domain/ledger/accounts';
import { payloadHash } from '../../server/domain/ledger/idempotency';
import { startTestHost, type TestHost } from '../helpers/host';
import { ALICE, act, bindCard, ok, sandboxCardNumbers, verifiedUser } from '../helpers/verification';

test('withdraw all of nothing, or of a balance that should never be negative, is nothing', () => {
  for (const balance of [0, -1, -500_000]) {
    for (const quota of [0, 100_000]) {
      expect(maxWithdrawable(balance, quota)).toEqual({ amountFen: 0, feeFen: 0, quotaUsedFen: 0 });
    }
  }
});

describe('with a host', () => {
  let host: TestHost;
  beforeEach(async () => {
    host = await startTestHost();
  });
  afterEach(async () => {
    await host.close();
  });

  test("a payload's hash does not depend on the order of its fields, only on their values", () => {
    const { secrets } = host.app.deps;
    const hash = payloadHash(secrets, 'topup', { cardId: 'card_1', amountFen: 100 });
    expect(payloadHash(secrets, 'topup', { amountFen: 100, cardId: 'card_1' })).toBe(hash);
    expect(payloadHash(secrets, 'topup', { cardId: 'card_1', amountFen: 101 })).not.toBe(hash);
    expect(payloadHash(secrets, 'withdraw', { cardId: 'card_1', amountFen: 100 })).not.toBe(hash);
  });

  test('a requestId reused with another amount or for another action is a conflict; the same request replays', async () => {
    await verifiedUser(host, 'o-a', ALICE);
    const [cardNumber] = sandboxCardNumbers(1, 400);
    const card = await bindCard(host, 'o-a', cardNumber!);
    const topup = {
      action: 'topup',
      requestId: 'rules-req-1',
      cardId: card.cardId,
      amountFen: 10_000,
      payPassword: ALICE.payPassword,
    };
    const first = await ok<{ operationId: string }>(host, 'o-a', 'ledger', topup);
    expect(await ok<{ operationId: string }>(host, 'o-a', 'ledger', topup)).toMatchObject({
      operationId: first.operationId,
    });
    expect(await act(host, 'o-a', 'ledger', { ...topup, amountFen: 10_001 })).toMatchObject({
      ok: false,
      error: { code: 'IDEMPOTENCY_CONFLICT' },
    });
    expect(
      await act(host, 'o-a', 'ledger', {
        action: 'withdraw',
        requestId: 'rules-req-1',
        cardId: card.cardId,
        amountFen: 10_000,
        payPassword: ALICE.payPassword,
      }),
    ).toMatchObject({ ok: false, error: { code: 'IDEMPOTENCY_CONFLICT' } });

    // the wallet document the first top-up created names its user
    const { userId } = await ok<{ userId: string }>(host, 'o-a', 'user', { action: 'profile' });
    expect(await host.app.deps.store.get('wallets', walletAccountId(userId))).toMatchObject({
      id: walletAccountId(userId),
      userId,
      balanceFen: 10_000,
    });
  });
});

test("a merchant's account is named after the merchant, apart from wallets and house accounts", () => {
  expect(merchantAccountId('m_coffee')).toBe('merchant:m_coffee');
  expect(merchantAccountId('m_coffee')).not.toBe(walletAccountId('m_coffee'));
});
