/**
 * Putting branches on the map: the bank's own data (the sandbox seed, here) and each branch's
 * queuing-machine credential, of which only the hash is stored — and replacing that credential.
 */
import type { BranchDoc } from '../collections';
import type { DomainDeps } from '../deps';
import { AppError } from '../errors';
import { hashMachineSecret } from './queue';

const HOUR_MS = 60 * 60 * 1000;
export const MACHINE_SECRET_ROTATION = {
  minLength: 32,
  maxLength: 128,
  /** How long the replaced secret keeps working by default: time to switch the machine over. */
  defaultOverlapMs: HOUR_MS,
  maxOverlapMs: 7 * 24 * HOUR_MS,
} as const;

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

/**
 * Replaces a branch machine's secret — an operator's action, for a replaced machine or a secret that
 * may have leaked. The new secret works at once; the one it replaces keeps working for `overlapMs`
 * (default an hour; 0 ends it now) so the machine can be switched over without a gap; any older one
 * stops now. Give a fresh random secret of 32–128 characters; only its hash is stored.
 */
export async function rotateMachineSecret(
  deps: Pick<DomainDeps, 'store' | 'clock' | 'log'>,
  branchId: string,
  newSecret: string,
  options: { overlapMs?: number } = {},
): Promise<{ branchId: string; previousValidUntil: number }> {
  const { minLength, maxLength, defaultOverlapMs, maxOverlapMs } = MACHINE_SECRET_ROTATION;
  const overlapMs = options.overlapMs ?? defaultOverlapMs;
  if (!Number.isInteger(overlapMs) || overlapMs < 0 || overlapMs > maxOverlapMs) {
    throw new AppError('INVALID_ARGUMENT', '新旧密钥并用时间应在 0 到 7 天之间');
  }
  if (newSecret.length < minLength || newSecret.length > maxLength) {
    throw new AppError('INVALID_ARGUMENT', `排队机密钥应为 ${minLength}–${maxLength} 个随机字符`);
  }
  const secretHash = hashMachineSecret(newSecret);
  const now = deps.clock.now();
  const previousValidUntil = now + overlapMs;
  await deps.store.transaction(async (tx) => {
    const machine = await tx.get('queueMachines', branchId);
    if (!machine) throw new AppError('NOT_FOUND', '该网点没有登记排队机');
    if (machine.secretHash === secretHash) throw new AppError('INVALID_ARGUMENT', '新密钥不能与当前密钥相同');
    await tx.set('queueMachines', {
      ...machine,
      secretHash,
      previousSecretHash: machine.secretHash,
      previousValidUntil,
      rotatedAt: now,
    });
  });
  deps.log.info('branches.machine_secret_rotated', { branchId });
  return { branchId, previousValidUntil };
}
