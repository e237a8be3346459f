/**
 * Putting branches on the map: the bank's own data (the sandbox seed, here) and each branch's
 * queuing-machine credential, of which only the hash is stored.
 */
import type { BranchDoc } from '../collections';
import type { DomainDeps } from '../deps';
import { hashMachineSecret } from './queue';

/** Branches per transaction: large enough to be fast on SQLite, small enough for any store. */
const BATCH = 500;

export interface RegisterOptions {
  /** Branches per transaction (default 500): a remote store's transaction must end within its lifetime. */
  batch?: number;
  /** Transactions at once (default 1): over a remote store, round trips rather than the store are the cost. */
  parallel?: number;
}

export async function registerBranches(
  deps: Pick<DomainDeps, 'store' | 'clock'>,
  branches: readonly BranchDoc[],
  machineSecretOf: (branchId: string) => string,
  options: RegisterOptions = {},
): Promise<void> {
  const now = deps.clock.now();
  // Hashing is pure work: done before the transactions, which may re-run.
  const machines = branches.map((branch) => ({
    id: branch.id,
    secretHash: hashMachineSecret(machineSecretOf(branch.id)),
    registeredAt: now,
  }));
  const batch = options.batch ?? BATCH;
  const starts: number[] = [];
  for (let start = 0; start < branches.length; start += batch) starts.push(start);
  const register = async (start: number) =>
    deps.store.transaction(async (tx) => {
      for (let i = start; i < Math.min(start + batch, branches.length); i++) {
        await tx.set('branches', branches[i]!);
        await tx.set('queueMachines', machines[i]!);
      }
    });
  const lanes = Array.from({ length: Math.max(1, options.parallel ?? 1) }, async () => {
    for (let start = starts.shift(); start !== undefined; start = starts.shift()) await register(start);
  });
  await Promise.all(lanes);
}
