/**
 * Demo data for the local host, written through the domain (never raw inserts) so it obeys every
 * rule real data does. Idempotent: re-running on an existing file changes nothing.
 */
import { verifyRealName } from '../domain/users/identity';
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
  { openid: 'o-demo-bob', label: '演示用户 B（已实名，支付密码 147258）' },
];

/**
 * Demo users seeded as verified, with a pay password, ready to bind the sandbox test cards
 * (README). Kept apart from DEMO_USERS, which the host serves at /dev/demo-users.
 */
export const DEMO_IDENTITIES: Readonly<Record<string, { name: string; idNumber: string; payPassword: string }>> = {
  'o-demo-bob': { name: '李四', idNumber: '310104198511204567', payPassword: '147258' },
};

export async function seedDemoData(
  deps: AppDeps,
): Promise<{ users: number; branches: SeededMachines & { created: boolean } }> {
  for (const user of DEMO_USERS) {
    const caller = { openid: user.openid };
    const session = await openSession(deps, caller);
    const identity = DEMO_IDENTITIES[user.openid];
    if (!identity) continue;
    if (!(await deps.store.get('identities', session.userId))) await verifyRealName(deps, caller, identity);
    if (!(await payPasswordStatus(deps, session.userId)).set) {
      const { payPassword } = identity;
      await setPayPassword(deps, caller, { payPassword, confirmPayPassword: payPassword });
    }
  }
  await registerSandboxMerchants(deps);
  const branches = await seedBranches(deps);
  return { users: DEMO_USERS.length, branches };
}
