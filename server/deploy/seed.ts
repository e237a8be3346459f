/**
 * The sandbox data a deployed environment starts with, written through a Store (the real
 * CloudBaseStore in a deploy) by the same code the local host seeds with, so the documents are
 * exactly what the functions read:
 *  - branches and each one's queue-machine credential (server/host/branch-seed.ts → registerBranches);
 *    the key the machines' secrets derive from stays in the admin-only `sandboxState` collection, so
 *    a later deploy finds the marker, writes nothing and still knows every machine's secret;
 *  - the sandbox merchants (registerMerchant), created when absent.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Collections } from '../domain/collections';
import type { Store } from '../domain/ports/store';
import type { Clock } from '../domain/ports/system';
import { registerMerchant } from '../domain/qrcode/orders';
import { seedBranches, type SeededMachines } from '../host/branch-seed';
import type { DeployPlan } from './plan';

/**
 * Over the SDK every document write is a round trip, and a CloudBase transaction must end within
 * its lifetime: small transactions (50 writes), several at once.
 */
const REMOTE_REGISTRATION = { batch: 25, parallel: 8 };

export interface SeedOutcome {
  branches: { count: number; created: boolean; machines: SeededMachines | null };
  merchants: { created: string[]; existing: string[] };
}

export async function seedEnvironment(
  deps: { store: Store<Collections>; clock: Clock },
  seeds: DeployPlan['seeds'],
): Promise<SeedOutcome> {
  let branches: SeedOutcome['branches'] = { count: 0, created: false, machines: null };
  if (seeds.branches > 0) {
    const seeded = await seedBranches(deps, { count: seeds.branches, register: REMOTE_REGISTRATION });
    branches = { count: seeded.branchIds.length, created: seeded.created, machines: seeded };
  }
  const merchants: SeedOutcome['merchants'] = { created: [], existing: [] };
  for (const merchant of seeds.merchants) {
    if (await deps.store.get('merchants', merchant.id)) {
      merchants.existing.push(merchant.id);
      continue;
    }
    await registerMerchant(deps, merchant);
    merchants.created.push(merchant.id);
  }
  return { branches, merchants };
}

/**
 * The queue machines' secrets for the operator to install on each branch's machine: one CSV line
 * per branch, in a file only its owner may read. Never printed.
 */
export function writeMachineSecrets(dir: string, machines: SeededMachines): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'queue-machines.csv');
  writeFileSync(file, 'branchId,secret\n', { mode: 0o600 });
  const lines: string[] = [];
  for (const branchId of machines.branchIds) lines.push(`${branchId},${machines.secretOf(branchId)}\n`);
  appendFileSync(file, lines.join(''));
  return file;
}
