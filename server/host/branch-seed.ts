/**
 * The local host's branches: generated deterministically (server/adapters/sandbox/branch-generator.ts)
 * and registered through the domain, with a queue-machine secret per branch. Secrets derive from a
 * random key kept in the sandbox state, so only their hashes sit beside the branches, while the
 * host's queue simulator (and a developer with curl) can still act as any seeded machine.
 *
 * Idempotent and cheap on every start: a marker records what was seeded; when it matches, nothing
 * is generated or written.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { generateBranches } from '../adapters/sandbox/branch-generator';
import { registerBranches, type RegisterOptions } from '../domain/branches/provision';
import type { AppDeps } from '../runtime/deps';

/** Bump when the generator's output changes, so existing files are re-seeded. */
const GENERATOR_VERSION = 1;
const SEED = 20261128;
const MARKER_ID = 'branchSeed';

export const DEMO_BRANCH_COUNT = 2_000;

export interface SeededMachines {
  branchIds: readonly string[];
  /** The secret the branch's queuing machine authenticates with. */
  secretOf(branchId: string): string;
}

export function machineSecret(key: string, branchId: string): string {
  return createHmac('sha256', key).update(branchId).digest('base64url');
}

/** The sandbox key the seeded machines' secrets derive from, or null before the first seed. */
export async function sandboxMachineKey(deps: Pick<AppDeps, 'store'>): Promise<string | null> {
  return (await deps.store.get('sandboxState', MARKER_ID))?.secret ?? null;
}

export async function seedBranches(
  deps: Pick<AppDeps, 'store' | 'clock'>,
  options: { count?: number; register?: RegisterOptions } = {},
): Promise<SeededMachines & { created: boolean }> {
  const count = options.count ?? DEMO_BRANCH_COUNT;
  const version = `v${GENERATOR_VERSION}:${count}:${SEED}`;
  const marker = await deps.store.get('sandboxState', MARKER_ID);
  const key = marker?.secret ?? randomBytes(32).toString('hex');
  const secretOf = (branchId: string) => machineSecret(key, branchId);
  const branches = generateBranches({ count, seed: SEED, now: deps.clock.now() });
  const branchIds = branches.map((branch) => branch.id);
  if (marker?.version === version) return { branchIds, secretOf, created: false };
  await registerBranches(deps, branches, secretOf, options.register);
  await deps.store.set('sandboxState', { id: MARKER_ID, version, secret: key, updatedAt: deps.clock.now() });
  return { branchIds, secretOf, created: true };
}
