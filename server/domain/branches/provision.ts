/**
 * Putting branches on the map: the bank's own data (the sandbox seed, here) and each branch's
 * queuing-machine credential, of which only the hash is stored.
 */
import type { BranchDoc } from '../collections';
import type { DomainDeps } from '../deps';
import { hashMachineSecret } from './queue';

/** Documents per transaction: large enough to be fast on SQLite, small enough for any store. */
const BATCH = 500;

export async function registerBranches(
  deps: Pick<DomainDeps, 'store' | 'clock'>,
  branches: readonly BranchDoc[],
  machineSecretOf: (branchId: string) => string,
): Promise<void> {
  const now = deps.clock.now();
  // Hashing is pure work: done before the transactions, which may re-run.
  const machines = branches.map((branch) => ({
    id: branch.id,
    secretHash: hashMachineSecret(machineSecretOf(branch.id)),
    registeredAt: now,
  }));
  for (let start = 0; start < branches.length; start += BATCH) {
    await deps.store.transaction(async (tx) => {
      for (let i = start; i < Math.min(start + BATCH, branches.length); i++) {
        await tx.set('branches', branches[i]!);
        await tx.set('queueMachines', machines[i]!);
      }
    });
  }
}
