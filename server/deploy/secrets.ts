/**
 * The values behind the plan's secrets. A generated secret is made once (32 random bytes, hex) and
 * from then on the deployed functions are its source of truth: a lost or stale local file never
 * rotates WXBANK_SECRET, which would orphan every fingerprint and SMS code hash already stored.
 * The local copy (`.deploy/<envId>/secrets.json`, mode 600, git-ignored) is for the operator and for
 * the very first deploy, written before anything is uploaded.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SecretName, SecretSpec } from './plan';

const MIN_SECRET_LENGTH = 32;

export type SecretValues = Partial<Record<SecretName, string>>;

export interface SecretResolution {
  values: SecretValues;
  /** One line per secret saying where its value came from; never the value. */
  notes: string[];
  /** What the local file should hold afterwards (generated secrets only). */
  local: SecretValues;
}

export function generateSecret(): string {
  return randomBytes(32).toString('hex');
}

/**
 * Picks each secret's value: the deployed one when the functions have it (they must agree), else the
 * local file's, else a new one; an operator secret given this run wins over the deployed one.
 */
export function resolveSecrets(
  specs: readonly SecretSpec[],
  deployedEnvs: readonly { functionName: string; env: Record<string, string> }[],
  local: SecretValues,
  generate: () => string = generateSecret,
): SecretResolution {
  const values: SecretValues = {};
  const notes: string[] = [];
  const nextLocal: SecretValues = {};
  const deployedValue = (name: SecretName): string | undefined => {
    const holders = new Map<string, string[]>();
    for (const { functionName, env } of deployedEnvs) {
      const value = env[name];
      if (!value) continue;
      holders.set(value, [...(holders.get(value) ?? []), functionName]);
    }
    if (holders.size > 1) {
      const groups = [...holders.values()].map((names) => names.join(', ')).join(' | ');
      throw new Error(
        `the deployed functions disagree on ${name} (${groups}): give them one value by hand in the console, then deploy again`,
      );
    }
    return [...holders.keys()][0];
  };
  // A rotation retires the secret in use: it becomes the newest of the earlier ones.
  const rotation = specs.find((spec) => spec.name === 'WXBANK_SECRET' && spec.rotate);
  const retired = rotation ? (deployedValue('WXBANK_SECRET') ?? local.WXBANK_SECRET) : undefined;
  for (const spec of specs) {
    const deployed = deployedValue(spec.name);
    let value: string | undefined;
    if (spec.origin === 'earlier') {
      const kept = (deployed ?? local[spec.name] ?? '').split(',').filter(Boolean);
      value = [...(retired ? [retired] : []), ...kept.filter((earlier) => earlier !== retired)].join(',');
      notes.push(
        `${spec.name}: ${value ? `${value.split(',').length} earlier secret(s) kept for verifying${retired ? ' (the one in use until now added)' : ''}` : 'none (no rotation yet)'}`,
      );
      nextLocal[spec.name] = value;
      values[spec.name] = value;
      continue;
    }
    if (spec.origin === 'operator') {
      value = spec.given ?? deployed;
      if (!value) throw new Error(`${spec.name} is needed: set it in the shell or in deploy.local.json (sms block)`);
      if (!spec.given) notes.push(`${spec.name}: kept from the deployed functions`);
      else if (deployed && deployed !== spec.given) notes.push(`${spec.name}: given (replaces the deployed value)`);
      else notes.push(`${spec.name}: given`);
    } else {
      if (spec.rotate) {
        value = generate();
        notes.push(`${spec.name}: rotated — a new one in use; the old one is kept for verifying`);
      } else if (deployed) {
        value = deployed;
        const stale = local[spec.name] && local[spec.name] !== deployed;
        notes.push(
          `${spec.name}: kept from the deployed functions${stale ? ` (the local copy differed and is replaced: the deployed value is the one in use)` : ''}`,
        );
      } else if (local[spec.name]) {
        value = local[spec.name]!;
        notes.push(`${spec.name}: from the local copy (no deployed function has it yet)`);
      } else {
        value = generate();
        notes.push(`${spec.name}: generated (first deploy)`);
      }
      nextLocal[spec.name] = value;
    }
    if (spec.name === 'WXBANK_SECRET' && value.length < MIN_SECRET_LENGTH) {
      throw new Error(`WXBANK_SECRET in use is shorter than ${MIN_SECRET_LENGTH} characters: the functions refuse it`);
    }
    values[spec.name] = value;
  }
  return { values, notes, local: nextLocal };
}

export function secretsFile(dir: string): string {
  return path.join(dir, 'secrets.json');
}

export function readLocalSecrets(dir: string): SecretValues {
  const file = secretsFile(dir);
  if (!existsSync(file)) return {};
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (!parsed || typeof parsed !== 'object') return {};
    return Object.fromEntries(
      Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    ) as SecretValues;
  } catch {
    throw new Error(`${file} is not valid JSON: fix or delete it (the deployed values are reused)`);
  }
}

export function writeLocalSecrets(dir: string, values: SecretValues): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(secretsFile(dir), `${JSON.stringify(values, null, 2)}\n`, { mode: 0o600 });
}

/** `3f9a…c2` — enough to tell two values apart in a log, never enough to use. */
export function maskSecret(value: string): string {
  return value.length <= 8 ? '••••' : `${value.slice(0, 4)}…${value.slice(-2)}`;
}
