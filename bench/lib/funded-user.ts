/** Bench set-up shared by the benches that need money in a wallet. */
import { ALICE, bindCard, ok, verifiedUser } from '../../test/helpers/verification';
import type { HostClient } from '../../test/helpers/host';

/** A verified user (ALICE's name and password, this ID number) with a bound sandbox card and ¥`yuan` in the wallet. */
export async function fundedUser(
  host: HostClient,
  openid: string,
  idNumber: string,
  cardNumber: string,
  yuan: number,
): Promise<void> {
  const person = { ...ALICE, idNumber };
  await verifiedUser(host, openid, person);
  // bindCard also moves the clock past the SMS resend interval: every test card shares one reserved phone.
  const card = await bindCard(host, openid, cardNumber, person);
  for (let i = 0; i * 50_000 < yuan; i++) {
    await ok(host, openid, 'ledger', {
      action: 'topup',
      requestId: `bench-topup-${openid}-${i}`,
      cardId: card.cardId,
      amountFen: 5_000_000,
      payPassword: ALICE.payPassword,
    });
  }
}
