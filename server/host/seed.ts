/**
 * Demo data for the local host, written through the domain (never raw inserts) so it obeys every
 * rule real data does. Idempotent: re-running on an existing file changes nothing.
 */
import type { Sandbox } from '../adapters/sandbox';
import { DEMO_SEED_CARD } from '../adapters/sandbox/test-cards';
import { bindConfirm, bindStart } from '../domain/cards/binding';
import { listOwnedCards } from '../domain/cards/cards';
import { topup, transferToCard } from '../domain/ledger/operations';
import { findSubmittedIdentity, submitRealName } from '../domain/users/identity';
import { openSession } from '../domain/users/session';
import { payPasswordStatus, setPayPassword } from '../domain/verify/pay-password';
import type { AppDeps } from '../runtime/deps';
import { seedBranches, type SeededMachines } from './branch-seed';
import { registerSandboxMerchants } from './qr-routes';

export interface DemoUser {
  openid: string;
  label: string;
}

/** The identities a developer can act as (header X-WX-OPENID, or the mini program's dev setting). */
export const DEMO_USERS: readonly DemoUser[] = [
  { openid: 'o-demo-alice', label: '演示用户 A（新用户）' },
  { openid: 'o-demo-bob', label: '演示用户 B（已实名，支付密码 147258，已绑工行卡，零钱 ¥5,000）' },
];

/**
 * Demo users seeded with a real name and a pay password; with the sandbox (the local host), their
 * first card is bound too, which has the bank confirm the real name: verified, ready to bind more
 * of the sandbox test cards (README). Kept apart from DEMO_USERS, which the host serves at
 * /dev/demo-users.
 */
export const DEMO_IDENTITIES: Readonly<Record<string, { name: string; idNumber: string; payPassword: string }>> = {
  'o-demo-bob': { name: '李四', idNumber: '310104198511204567', payPassword: '147258' },
};

/**
 * Demo user B's wallet: its own ICBC test card bound (through the real binding, reading the code from
 * the sandbox outbox — the bank's confirmation makes B's real name verified), ¥5,000.00 topped up
 * and one transfer sent — so the wallet home, history and transfer pages have something to show.
 * Skipped once B has a card. Request ids are fixed, so a second run could not move money twice anyway.
 */
async function seedDemoWallet(deps: AppDeps, sandbox: Sandbox, openid: string, userId: string): Promise<void> {
  const identity = DEMO_IDENTITIES[openid]!;
  if ((await listOwnedCards(deps, userId)).length > 0) return;
  const caller = { openid };
  const { payPassword } = identity;
  const started = await bindStart(deps, caller, {
    cardNumber: DEMO_SEED_CARD.number,
    holderName: identity.name,
    idNumber: identity.idNumber,
    reservedPhone: DEMO_SEED_CARD.reservedPhone,
    payPassword,
  });
  const [message] = await sandbox.sms.latest(DEMO_SEED_CARD.reservedPhone, 1);
  const smsCode = /验证码(\d{6})/.exec(message?.text ?? '')?.[1];
  if (!smsCode) throw new Error('seed: no SMS code in the sandbox outbox');
  const card = await bindConfirm(deps, caller, { bindingId: started.bindingId, smsCode });
  await topup(deps, caller, { requestId: 'seed-demo-b-topup-1', cardId: card.cardId, amountFen: 500_000, payPassword });
  await transferToCard(deps, caller, {
    requestId: 'seed-demo-b-transfer-1',
    payeeName: '王小明',
    cardNumber: '6217000000000000160',
    amountFen: 12_345,
    speed: 'fast',
    payPassword,
  });
}

export async function seedDemoData(
  deps: AppDeps,
  /** Given by the local host: demo user B also gets a bound card (which verifies the real name) and a wallet with history. */
  sandbox?: Sandbox,
): Promise<{ users: number; branches: SeededMachines & { created: boolean } }> {
  for (const user of DEMO_USERS) {
    const caller = { openid: user.openid };
    const session = await openSession(deps, caller);
    const identity = DEMO_IDENTITIES[user.openid];
    if (!identity) continue;
    if (!(await findSubmittedIdentity(deps, session.userId))) await submitRealName(deps, caller, identity);
    if (!(await payPasswordStatus(deps, session.userId)).set) {
      const { payPassword } = identity;
      await setPayPassword(deps, caller, { payPassword, confirmPayPassword: payPassword });
    }
    if (sandbox) await seedDemoWallet(deps, sandbox, user.openid, session.userId);
  }
  await registerSandboxMerchants(deps);
  const branches = await seedBranches(deps);
  return { users: DEMO_USERS.length, branches };
}
