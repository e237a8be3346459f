/**
 * Demo data for the local host, written through the domain (never raw inserts) so it obeys every
 * rule real data does. Idempotent: re-running on an existing file changes nothing.
 */
import { openSession } from '../domain/users/session';
import type { AppDeps } from '../runtime/deps';
import { seedBranches, type SeededMachines } from './branch-seed';

export interface DemoUser {
  openid: string;
  label: string;
}

/** The identities a developer can act as (header X-WX-OPENID, or the mini program's dev setting). */
export const DEMO_USERS: readonly DemoUser[] = [
  { openid: 'o-demo-alice', label: '演示用户 A（新用户）' },
  { openid: 'o-demo-bob', label: '演示用户 B' },
];

export async function seedDemoData(
  deps: AppDeps,
): Promise<{ users: number; branches: SeededMachines & { created: boolean } }> {
  for (const user of DEMO_USERS) await openSession(deps, { openid: user.openid });
  const branches = await seedBranches(deps);
  return { users: DEMO_USERS.length, branches };
}
