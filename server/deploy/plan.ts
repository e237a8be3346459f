/**
 * The desired state of a CloudBase environment, computed from the project's own sources of truth so
 * nothing is typed twice:
 *  - collections and their indexes: COLLECTION_SPECS (the same specs the SQLite adapter indexes),
 *    plus the 2dsphere index the CloudBase branch locator's geoNear needs on `branches.location`;
 *  - every collection admin-only (`{"read": false, "write": false}`): clients never touch the
 *    database, every read and write goes through a function — a document a client could create in
 *    `walletOperations` would otherwise fake a withdrawal;
 *  - functions: the FUNCTIONS registry, each with the settings beside it in
 *    `cloudfunctions/<name>/config.json` (runtime, timeout, memory, open-API permissions, triggers,
 *    and the `wxbank` block: who may invoke it, its HTTP access path, extra environment variables);
 *  - seeds: the sandbox branches the local host seeds and the sandbox merchants.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { COLLECTION_SPECS, type BranchDoc, type CollectionName } from '../domain/collections';
import { generateBranches } from '../adapters/sandbox/branch-generator';
import { FUNCTIONS } from '../functions';
import { SANDBOX_MERCHANTS } from '../host/qr-routes';
import type { HttpAccess, IndexSpec, TriggerSpec } from './admin';
import type { DeploySettings } from './settings';

/** The runtime the bundles are built for (scripts/build.mjs targets node20). */
export const RUNTIME = 'Nodejs20.19';
export const HANDLER = 'index.main';
/** 仅管理端可读写: only functions (and the console) read or write. */
export const ADMIN_ONLY_RULE = { read: false, write: false } as const;
export const ADMIN_ONLY_RULE_TEXT = JSON.stringify(ADMIN_ONLY_RULE);
/** The function security rule's value for "signed-in users only" (one of the three CloudBase accepts). */
export const SIGNED_IN = 'auth != null';

/** The field geoNear reads (CloudBaseBranchLocator): a GeoJSON point on every branch. */
const GEO_FIELD = 'location' satisfies keyof BranchDoc;
const GEO_INDEXES: Partial<Record<CollectionName, string>> = { branches: GEO_FIELD };

/** Secrets deploy hands to functions: generated once and kept, or given by the operator. */
export type SecretName =
  'WXBANK_SECRET' | 'WXBANK_SECRET_PREVIOUS' | 'WXBANK_STAFF_TOKEN' | 'WXBANK_SMS_SECRET_ID' | 'WXBANK_SMS_SECRET_KEY';

export interface SecretSpec {
  name: SecretName;
  /**
   * generated: 32 random bytes (hex) on the first deploy, then always the deployed value (a new one
   * with --rotate-secret); operator: given in the settings or the shell; earlier: the secrets a
   * rotation retired, kept for verifying (empty until the first rotation).
   */
  origin: 'generated' | 'operator' | 'earlier';
  /** WXBANK_SECRET only: make a new one this run. */
  rotate?: boolean;
  /** An operator secret's value from the settings, when given this run. */
  given?: string;
}

/** An environment variable's value: plain, or a secret resolved at deploy time (never printed). */
export type EnvValue = { value: string } | { secret: SecretName };

export interface CollectionPlan {
  name: CollectionName;
  securityRule: string;
  indexes: IndexSpec[];
}

export type InvokeMode = 'signedIn' | 'none';

export interface FunctionPlan {
  name: string;
  runtime: string;
  handler: string;
  timeoutSeconds: number;
  memoryMb: number;
  invoke: InvokeMode;
  httpPath: string | null;
  openapi: string[];
  triggers: TriggerSpec[];
  env: Record<string, EnvValue>;
}

export type FunctionRule = Record<string, { invoke: boolean | string }>;

export interface DeployPlan {
  envId: string | null;
  collections: CollectionPlan[];
  functions: FunctionPlan[];
  /** The environment's function security rule (our entries; others' are kept by apply). */
  functionRule: FunctionRule;
  httpAccess: HttpAccess[];
  secrets: SecretSpec[];
  seeds: { branches: number; merchants: { id: string; name: string }[] };
}

/** Environment variables a config.json may ask for beyond the shared set. */
const EXTRA_ENV = { WXBANK_STAFF_TOKEN: { secret: 'WXBANK_STAFF_TOKEN' } } as const satisfies Record<string, EnvValue>;

const functionConfigSchema = z.object({
  permissions: z.object({ openapi: z.array(z.string().regex(/^[A-Za-z]+\.[A-Za-z]+$/)) }),
  triggers: z
    .array(
      z
        .object({
          name: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,59}$/),
          type: z.literal('timer'),
          config: z.string().regex(/^(\S+\s){6}\S+$/, 'a 7-field cron expression'),
        })
        .strict(),
    )
    .optional(),
  runtime: z.literal(RUNTIME, `must be ${RUNTIME}, the runtime the bundles target`),
  timeout: z.number().int().min(3).max(900),
  memorySize: z.union([64, 128, 256, 512, 1024, 2048].map((size) => z.literal(size))),
  wxbank: z
    .object({
      invoke: z.enum(['signedIn', 'none']),
      httpPath: z
        .string()
        .regex(/^\/[a-z0-9][a-z0-9-]*(\/[a-z0-9-]+)*$/, 'a path such as /queue-feed')
        .optional(),
      env: z.array(z.enum(Object.keys(EXTRA_ENV) as [keyof typeof EXTRA_ENV])).optional(),
    })
    .strict(),
});

export type FunctionConfig = z.infer<typeof functionConfigSchema>;

/** Reads and checks `cloudfunctions/<name>/config.json`; a missing or wrong one stops the deploy. */
export function readFunctionConfig(root: string, name: string): FunctionConfig {
  const file = path.join(root, 'cloudfunctions', name, 'config.json');
  const shown = path.relative(root, file);
  if (!existsSync(file)) {
    throw new Error(`${shown} is missing: every function needs its settings (runtime, timeout, who may invoke it)`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new Error(`${shown} is not valid JSON`);
  }
  const parsed = functionConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`);
    throw new Error(`${shown}: ${issues.join('; ')}`);
  }
  return parsed.data;
}

/** Mongo's naming (`userId_1_createdAt_1`), so an index reads the same in the console. */
export function indexName(keys: readonly { field: string; direction: string }[]): string {
  return keys.map((key) => `${key.field}_${key.direction}`).join('_');
}

function collectionPlans(): CollectionPlan[] {
  return (Object.keys(COLLECTION_SPECS) as CollectionName[]).sort().map((name) => {
    const indexes: IndexSpec[] = COLLECTION_SPECS[name].indexes.map((fields) => {
      const keys = fields.map((field) => ({ field, direction: '1' as const }));
      return { name: indexName(keys), keys };
    });
    const geoField = GEO_INDEXES[name];
    if (geoField) {
      const keys = [{ field: geoField, direction: '2dsphere' as const }];
      indexes.push({ name: indexName(keys), keys });
    }
    return { name, securityRule: ADMIN_ONLY_RULE_TEXT, indexes };
  });
}

/**
 * Variables every function gets: the runtime wiring (server/runtime/environment.ts) builds every
 * port in every function, and inside CloudBase refuses to start without an explicit bank and SMS.
 */
function sharedEnv(settings: DeploySettings): Record<string, EnvValue> {
  const env: Record<string, EnvValue> = {
    WXBANK_SECRET: { secret: 'WXBANK_SECRET' },
    WXBANK_SECRET_PREVIOUS: { secret: 'WXBANK_SECRET_PREVIOUS' },
    WXBANK_STORE: { value: 'cloudbase' },
    WXBANK_BANK: { value: 'sandbox' },
    WXBANK_SMS: { value: settings.sms.provider },
    WXBANK_NOTIFIER: { value: 'wechat' },
    WXBANK_MP_CODES: { value: 'wechat' },
    WXBANK_MP_ENV_VERSION: { value: settings.mpEnvVersion },
  };
  if (settings.sms.provider === 'tencent') {
    env.WXBANK_SMS_APP_ID = { value: settings.sms.appId };
    env.WXBANK_SMS_SIGN_NAME = { value: settings.sms.signName };
    env.WXBANK_SMS_TEMPLATE_ID = { value: settings.sms.templateId };
    env.WXBANK_SMS_REGION = { value: settings.sms.region };
    env.WXBANK_SMS_SECRET_ID = { secret: 'WXBANK_SMS_SECRET_ID' };
    env.WXBANK_SMS_SECRET_KEY = { secret: 'WXBANK_SMS_SECRET_KEY' };
  }
  if (settings.qrLinkBase) env.WXBANK_QR_LINK_BASE = { value: settings.qrLinkBase };
  return env;
}

function functionPlan(root: string, name: string, settings: DeploySettings): FunctionPlan {
  const config = readFunctionConfig(root, name);
  const env = sharedEnv(settings);
  for (const extra of config.wxbank.env ?? []) env[extra] = EXTRA_ENV[extra];
  return {
    name,
    runtime: config.runtime,
    handler: HANDLER,
    timeoutSeconds: config.timeout,
    memoryMb: config.memorySize,
    invoke: config.wxbank.invoke,
    httpPath: config.wxbank.httpPath ?? null,
    openapi: config.permissions.openapi,
    triggers: config.triggers ?? [],
    env,
  };
}

export function functionRuleOf(functions: readonly FunctionPlan[]): FunctionRule {
  const rule: FunctionRule = { '*': { invoke: SIGNED_IN } };
  for (const fn of functions) rule[fn.name] = { invoke: fn.invoke === 'signedIn' ? SIGNED_IN : false };
  return rule;
}

export function buildPlan(root: string, settings: DeploySettings): DeployPlan {
  const functions = Object.keys(FUNCTIONS)
    .sort()
    .map((name) => functionPlan(root, name, settings));
  const httpAccess: HttpAccess[] = [];
  for (const fn of functions) {
    if (!fn.httpPath) continue;
    const taken = httpAccess.find((access) => access.path === fn.httpPath);
    if (taken) throw new Error(`HTTP path ${fn.httpPath} is claimed by ${taken.functionName} and ${fn.name}`);
    httpAccess.push({ path: fn.httpPath, functionName: fn.name });
  }
  const secretNames = new Set<SecretName>();
  for (const fn of functions) {
    for (const value of Object.values(fn.env)) if ('secret' in value) secretNames.add(value.secret);
  }
  const secrets: SecretSpec[] = [...secretNames].sort().map((name) => {
    if (name === 'WXBANK_SMS_SECRET_ID' || name === 'WXBANK_SMS_SECRET_KEY') {
      const given =
        settings.sms.provider === 'tencent'
          ? name === 'WXBANK_SMS_SECRET_ID'
            ? settings.sms.secretId
            : settings.sms.secretKey
          : undefined;
      return given ? { name, origin: 'operator', given } : { name, origin: 'operator' };
    }
    if (name === 'WXBANK_SECRET_PREVIOUS') return { name, origin: 'earlier' };
    return name === 'WXBANK_SECRET' && settings.rotateSecret
      ? { name, origin: 'generated', rotate: true }
      : { name, origin: 'generated' };
  });
  return {
    envId: settings.envId,
    collections: collectionPlans(),
    functions,
    functionRule: functionRuleOf(functions),
    httpAccess,
    secrets,
    seeds: {
      // What the generator makes of the count asked for (it places at least one per city and bank).
      branches: settings.seed.branches > 0 ? generateBranches({ count: settings.seed.branches }).length : 0,
      merchants: settings.seed.merchants ? SANDBOX_MERCHANTS.map(({ id, name }) => ({ id, name })) : [],
    },
  };
}

/** Where deploy keeps an environment's secrets and the queue machines' file (git-ignored). */
export function localDir(root: string, envId: string): string {
  return path.join(root, '.deploy', envId);
}

function describeIndex(index: IndexSpec): string {
  if (index.keys.some((key) => key.direction === '2dsphere')) {
    return `geo 2dsphere(${index.keys.map((key) => key.field).join('+')})`;
  }
  return index.keys.map((key) => key.field).join('+');
}

function describeInvoke(fn: FunctionPlan): string {
  if (fn.invoke === 'signedIn') return `signed-in users only (${SIGNED_IN})`;
  return 'no client (invoke false): admin API and triggers only';
}

function describeEnv(name: string, value: EnvValue): string {
  return 'secret' in value ? `${name}=•••• (secret)` : `${name}=${value.value}`;
}

/** The whole plan as text: what `--dry-run` prints. Secret values never appear in it. */
export function formatPlan(plan: DeployPlan, options: { settingsFile: string | null }): string {
  const lines: string[] = [];
  const indexCount = plan.collections.reduce((sum, c) => sum + c.indexes.length, 0);
  const geoCount = plan.collections.reduce(
    (sum, c) => sum + c.indexes.filter((index) => index.keys.some((key) => key.direction === '2dsphere')).length,
    0,
  );
  lines.push(`environment: ${plan.envId ?? '(none given: --env <envId>)'}`);
  lines.push(`settings: ${options.settingsFile ?? '(no settings file: defaults and flags)'}`);
  lines.push('');
  lines.push(
    `collections: ${plan.collections.length}, indexes: ${indexCount - geoCount} + ${geoCount} geo, every collection admin-only`,
  );
  const width = Math.max(...plan.collections.map((c) => c.name.length));
  for (const collection of plan.collections) {
    const indexes = collection.indexes.length > 0 ? collection.indexes.map(describeIndex).join(', ') : '(none)';
    lines.push(`  ${collection.name.padEnd(width)}  rule ${collection.securityRule}  indexes: ${indexes}`);
  }
  lines.push('');
  lines.push(
    `functions: ${plan.functions.length} (handler ${HANDLER}; code: dist/cloudfunctions/<name>/ uploaded as built, dependencies not installed)`,
  );
  for (const fn of plan.functions) {
    lines.push(`  ${fn.name}: runtime ${fn.runtime}, timeout ${fn.timeoutSeconds} s, memory ${fn.memoryMb} MB`);
    lines.push(`    invoke: ${describeInvoke(fn)}`);
    if (fn.httpPath) lines.push(`    HTTP access: ${fn.httpPath} (no CloudBase auth; the function checks its caller)`);
    for (const trigger of fn.triggers) {
      lines.push(`    trigger: ${trigger.type} ${trigger.name} "${trigger.config}"`);
    }
    lines.push(`    open API: ${fn.openapi.length > 0 ? fn.openapi.join(', ') : '(none)'}`);
    lines.push(
      `    env: ${Object.entries(fn.env)
        .map(([name, value]) => describeEnv(name, value))
        .join(' ')}`,
    );
  }
  lines.push('');
  lines.push(`function security rule: ${JSON.stringify(plan.functionRule)}`);
  lines.push(
    `HTTP access: ${
      plan.httpAccess.length > 0
        ? plan.httpAccess.map((access) => `${access.path} → ${access.functionName}`).join(', ')
        : '(none)'
    }`,
  );
  lines.push(
    `secrets: ${plan.secrets
      .map((secret) =>
        secret.origin === 'generated'
          ? `${secret.name} (kept from the deployed functions; generated once, 32 random bytes)`
          : `${secret.name} (${secret.given ? 'given' : 'kept from the deployed functions'})`,
      )
      .join('; ')}`,
  );
  const dir = plan.envId ? `.deploy/${plan.envId}` : '.deploy/<envId>';
  lines.push('');
  lines.push(
    `seeds: branches ${plan.seeds.branches} with ${plan.seeds.branches} queueMachines credentials (secrets to ${dir}/queue-machines.csv)`,
  );
  lines.push(
    `       merchants ${plan.seeds.merchants.length}${
      plan.seeds.merchants.length > 0
        ? `: ${plan.seeds.merchants.map((merchant) => `${merchant.id} ${merchant.name}`).join(', ')}`
        : ''
    }`,
  );
  return lines.join('\n');
}
