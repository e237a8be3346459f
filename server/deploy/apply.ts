/**
 * Brings an environment to the plan: read what is there (through the CloudBaseAdmin port), work
 * out the difference, apply only that. A second run against the same build finds nothing to do
 * and says so. Every run also checks that each collection is admin-only and that the function
 * security rule is what the plan says, and fails loudly when CloudBase would not take either.
 *
 * What deploy never does: drop a collection or an index (extra indexes are listed, left in place),
 * delete a function, or touch another function's entry in the environment's function rule.
 */
import type {
  CloudBaseAdmin,
  CollectionPermission,
  DeployedFunction,
  FunctionDeployment,
  HttpAccess,
  IndexSpec,
  TriggerSpec,
} from './admin';
import type { FunctionCode } from './code';
import { ADMIN_ONLY_RULE, type CollectionPlan, type DeployPlan, type FunctionPlan, type FunctionRule } from './plan';
import { resolveSecrets, type SecretValues } from './secrets';

/**
 * What deploy writes in a function's description: the digest of the code it uploaded. Letters,
 * digits and spaces only — what SCF accepts in a description.
 */
export function codeMarker(sha256: string): string {
  return `wxbank code sha256 ${sha256}`;
}

export type Change =
  | { kind: 'createCollection'; collection: string }
  | { kind: 'createIndexes'; collection: string; indexes: IndexSpec[] }
  | { kind: 'lockCollection'; collection: string; was: string }
  | { kind: 'createFunction'; deployment: FunctionDeployment }
  | { kind: 'replaceFunction'; deployment: FunctionDeployment; wasRuntime: string }
  | { kind: 'updateFunction'; deployment: FunctionDeployment; code: boolean; config: string[] }
  | { kind: 'deleteTrigger'; functionName: string; trigger: TriggerSpec }
  | { kind: 'createTrigger'; functionName: string; trigger: TriggerSpec }
  | { kind: 'setFunctionRule'; rule: string }
  | { kind: 'enableHttpService' }
  | { kind: 'deleteHttpAccess'; access: HttpAccess }
  | { kind: 'createHttpAccess'; access: HttpAccess };

/** What deploy found in the environment. */
export interface EnvironmentState {
  collections: Set<string>;
  indexes: Record<string, IndexSpec[]>;
  permissions: Record<string, CollectionPermission | null>;
  functions: Record<string, DeployedFunction | null>;
  functionRule: string | null;
  httpService: { enabled: boolean; domain: string | null };
  httpAccess: HttpAccess[];
}

export interface DeployOptions {
  admin: CloudBaseAdmin;
  plan: DeployPlan;
  codeOf(functionName: string): FunctionCode;
  localSecrets: { read(): SecretValues; write(values: SecretValues): void };
  log(line: string): void;
  generateSecret?: () => string;
}

export interface DeployOutcome {
  changes: Change[];
  secretNotes: string[];
  /** Indexes found that the plan does not have: left in place, reported. */
  extraIndexes: string[];
  httpDomain: string | null;
}

async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  });
  await Promise.all(workers);
  return results;
}

/** Reads everything the plan covers: a handful of requests per collection and function. */
export async function readEnvironment(admin: CloudBaseAdmin, plan: DeployPlan): Promise<EnvironmentState> {
  const collections = new Set(await admin.listCollections());
  const indexes: Record<string, IndexSpec[]> = {};
  const present = plan.collections.filter((collection) => collections.has(collection.name));
  const described = await mapLimited(present, 4, (collection) => admin.describeIndexes(collection.name));
  present.forEach((collection, i) => (indexes[collection.name] = described[i]!));
  const permissions = await admin.getCollectionPermissions(plan.collections.map((collection) => collection.name));
  const deployed = await mapLimited(plan.functions, 4, (fn) => admin.getFunction(fn.name));
  const functions: Record<string, DeployedFunction | null> = {};
  plan.functions.forEach((fn, i) => (functions[fn.name] = deployed[i] ?? null));
  const functionRule = await admin.getFunctionRule();
  const httpService = await admin.getHttpService();
  const httpAccess = httpService.enabled ? await admin.listHttpAccess() : [];
  return { collections, indexes, permissions, functions, functionRule, httpService, httpAccess };
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** JSON with sorted keys: two rules are the same rule whatever their key order or spacing. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function isAdminOnly(permission: CollectionPermission | null | undefined): boolean {
  if (!permission || permission.permission !== 'CUSTOM') return false;
  return canonical(parseJson(permission.securityRule)) === canonical(ADMIN_ONLY_RULE);
}

function describePermission(permission: CollectionPermission | null | undefined): string {
  if (!permission) return 'not set';
  if (permission.permission !== 'CUSTOM') return permission.permission;
  return `CUSTOM ${permission.securityRule ?? ''}`.slice(0, 120);
}

const keyPattern = (index: IndexSpec): string => index.keys.map((key) => `${key.field}:${key.direction}`).join(',');

function collectionChanges(plan: CollectionPlan, state: EnvironmentState, extraIndexes: string[]): Change[] {
  const changes: Change[] = [];
  const exists = state.collections.has(plan.name);
  if (!exists) changes.push({ kind: 'createCollection', collection: plan.name });
  // An index is there when one with the same keys is, whatever its name (CloudBase refuses a
  // second index on the same keys, so a hand-made one under another name must count).
  const actual = exists ? (state.indexes[plan.name] ?? []) : [];
  const actualPatterns = new Set(actual.map(keyPattern));
  const missing = plan.indexes.filter((index) => !actualPatterns.has(keyPattern(index)));
  if (missing.length > 0) changes.push({ kind: 'createIndexes', collection: plan.name, indexes: missing });
  const wanted = new Set(plan.indexes.map(keyPattern));
  for (const index of actual) if (!wanted.has(keyPattern(index))) extraIndexes.push(`${plan.name}.${index.name}`);
  const permission = state.permissions[plan.name];
  if (!isAdminOnly(permission)) {
    changes.push({ kind: 'lockCollection', collection: plan.name, was: describePermission(permission) });
  }
  return changes;
}

function sameEnv(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => b[key] === a[key]);
}

/** Names of variables added, removed or changed — never their values. */
function envDifference(actual: Record<string, string>, desired: Record<string, string>): string[] {
  const names = new Set([...Object.keys(actual), ...Object.keys(desired)]);
  return [...names].filter((name) => actual[name] !== desired[name]).sort();
}

const sameTrigger = (a: TriggerSpec, b: TriggerSpec) => a.type === b.type && a.config === b.config;

/**
 * Variables named WXBANK_* are deploy's: set as planned, removed when no longer planned. Any other
 * (one the platform adds, a TZ an operator set) is kept as it is — CloudBase replaces a function's
 * variables as a whole, so they are sent along.
 */
const MANAGED_ENV = /^WXBANK_/;

function withForeignEnv(deployment: FunctionDeployment, actual: DeployedFunction): FunctionDeployment {
  const foreign = Object.entries(actual.env).filter(([name]) => !MANAGED_ENV.test(name));
  return foreign.length === 0
    ? deployment
    : { ...deployment, env: { ...Object.fromEntries(foreign), ...deployment.env } };
}

function functionChanges(plan: FunctionPlan, planned: FunctionDeployment, actual: DeployedFunction | null): Change[] {
  const changes: Change[] = [];
  let deployedTriggers: TriggerSpec[] = actual?.triggers ?? [];
  const deployment = actual ? withForeignEnv(planned, actual) : planned;
  if (!actual) {
    changes.push({ kind: 'createFunction', deployment });
  } else if (actual.runtime !== deployment.runtime) {
    // The runtime is fixed when a function is created: a function made by hand on another
    // runtime is replaced (deleted and created again; its secrets were read above and are kept).
    changes.push({ kind: 'replaceFunction', deployment, wasRuntime: actual.runtime });
    deployedTriggers = [];
  } else {
    const code =
      actual.description !== deployment.description ||
      actual.handler !== deployment.handler ||
      actual.installDependency;
    const config: string[] = [];
    if (actual.timeoutSeconds !== deployment.timeoutSeconds) config.push('timeout');
    if (actual.memoryMb !== deployment.memoryMb) config.push('memory');
    if (!sameEnv(actual.env, deployment.env))
      config.push(`env ${envDifference(actual.env, deployment.env).join(', ')}`);
    if (code || config.length > 0) changes.push({ kind: 'updateFunction', deployment, code, config });
  }
  for (const trigger of plan.triggers) {
    const existing = deployedTriggers.find((item) => item.name === trigger.name);
    if (existing && sameTrigger(existing, trigger)) continue;
    if (existing) changes.push({ kind: 'deleteTrigger', functionName: plan.name, trigger: existing });
    changes.push({ kind: 'createTrigger', functionName: plan.name, trigger });
  }
  for (const existing of deployedTriggers) {
    if (!plan.triggers.some((trigger) => trigger.name === existing.name)) {
      changes.push({ kind: 'deleteTrigger', functionName: plan.name, trigger: existing });
    }
  }
  return changes;
}

/** A rule as CloudBase may echo it back: `auth!=null` and `auth != null` are one expression. */
function comparable(rule: unknown): unknown {
  if (!rule || typeof rule !== 'object' || Array.isArray(rule)) return rule;
  return Object.fromEntries(
    Object.entries(rule).map(([name, entry]) => {
      const invoke = (entry as { invoke?: unknown } | null)?.invoke;
      return [name, { invoke: typeof invoke === 'string' ? invoke.replace(/\s+/g, '') : invoke }];
    }),
  );
}

/** Our entries over whatever else the environment's rule holds (other functions' entries stay). */
export function mergedFunctionRule(actual: string | null, ours: FunctionRule): FunctionRule {
  const parsed = parseJson(actual);
  const merged: FunctionRule = {};
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
    for (const [name, entry] of Object.entries(parsed as Record<string, unknown>)) {
      const invoke = (entry as { invoke?: unknown } | null)?.invoke;
      if (typeof invoke === 'boolean' || typeof invoke === 'string') merged[name] = { invoke };
    }
  }
  return { ...merged, ...ours };
}

function httpChanges(plan: DeployPlan, state: EnvironmentState): Change[] {
  const changes: Change[] = [];
  if (plan.httpAccess.length > 0 && !state.httpService.enabled) changes.push({ kind: 'enableHttpService' });
  const ours = new Set(plan.functions.map((fn) => fn.name));
  for (const wanted of plan.httpAccess) {
    const existing = state.httpAccess.find((access) => access.path === wanted.path);
    if (existing?.functionName === wanted.functionName) continue;
    if (existing) changes.push({ kind: 'deleteHttpAccess', access: existing });
    changes.push({ kind: 'createHttpAccess', access: wanted });
  }
  // A path to one of our functions that the plan no longer has would leave it reachable: removed.
  for (const existing of state.httpAccess) {
    if (ours.has(existing.functionName) && !plan.httpAccess.some((access) => access.path === existing.path)) {
      changes.push({ kind: 'deleteHttpAccess', access: existing });
    }
  }
  return changes;
}

export function deploymentOf(fn: FunctionPlan, code: FunctionCode, secrets: SecretValues): FunctionDeployment {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(fn.env)) {
    if ('value' in value) env[name] = value.value;
    else {
      const secret = secrets[value.secret];
      // the earlier secrets are empty until the first rotation: the variable is then left out
      if (value.secret === 'WXBANK_SECRET_PREVIOUS' && secret === '') continue;
      if (!secret) throw new Error(`${value.secret} has no value for ${fn.name}`);
      env[name] = secret;
    }
  }
  return {
    name: fn.name,
    runtime: fn.runtime,
    handler: fn.handler,
    timeoutSeconds: fn.timeoutSeconds,
    memoryMb: fn.memoryMb,
    env,
    description: codeMarker(code.sha256),
    codeDir: code.dir,
  };
}

/** The difference between the plan and the environment, in the order it is applied. */
export function planChanges(
  plan: DeployPlan,
  state: EnvironmentState,
  deployments: readonly FunctionDeployment[],
): { changes: Change[]; extraIndexes: string[] } {
  const extraIndexes: string[] = [];
  const changes: Change[] = [];
  for (const collection of plan.collections) changes.push(...collectionChanges(collection, state, extraIndexes));
  for (const fn of plan.functions) {
    const deployment = deployments.find((item) => item.name === fn.name)!;
    changes.push(...functionChanges(fn, deployment, state.functions[fn.name] ?? null));
  }
  const rule = mergedFunctionRule(state.functionRule, plan.functionRule);
  if (canonical(comparable(parseJson(state.functionRule))) !== canonical(comparable(rule))) {
    changes.push({ kind: 'setFunctionRule', rule: JSON.stringify(rule) });
  }
  changes.push(...httpChanges(plan, state));
  return { changes, extraIndexes };
}

const shortSha = (description: string) => /sha256 ([0-9a-f]{10})/.exec(description)?.[1] ?? 'none';

export function describeChange(change: Change): string {
  switch (change.kind) {
    case 'createCollection':
      return `create collection ${change.collection}`;
    case 'createIndexes':
      return `create indexes on ${change.collection}: ${change.indexes.map((index) => index.name).join(', ')}`;
    case 'lockCollection':
      return `lock collection ${change.collection} admin-only (was: ${change.was})`;
    case 'createFunction':
      return `create function ${change.deployment.name} (${change.deployment.runtime}, ${change.deployment.timeoutSeconds} s, ${change.deployment.memoryMb} MB, code ${shortSha(change.deployment.description)})`;
    case 'replaceFunction':
      return `replace function ${change.deployment.name} (runtime ${change.wasRuntime} → ${change.deployment.runtime}: deleted and created again)`;
    case 'updateFunction': {
      const parts = [...(change.code ? [`code → ${shortSha(change.deployment.description)}`] : []), ...change.config];
      return `update function ${change.deployment.name}: ${parts.join('; ')}`;
    }
    case 'deleteTrigger':
      return `delete trigger ${change.functionName}/${change.trigger.name}`;
    case 'createTrigger':
      return `create trigger ${change.functionName}/${change.trigger.name} (${change.trigger.type} "${change.trigger.config}")`;
    case 'setFunctionRule':
      return `set the function security rule: ${change.rule}`;
    case 'enableHttpService':
      return 'switch on HTTP access for the environment';
    case 'deleteHttpAccess':
      return `delete HTTP access ${change.access.path} → ${change.access.functionName}`;
    case 'createHttpAccess':
      return `create HTTP access ${change.access.path} → ${change.access.functionName}`;
  }
}

export async function applyChange(admin: CloudBaseAdmin, change: Change): Promise<void> {
  switch (change.kind) {
    case 'createCollection':
      return admin.createCollection(change.collection);
    case 'createIndexes':
      return admin.createIndexes(change.collection, change.indexes);
    case 'lockCollection':
      return admin.setCollectionRule(change.collection, JSON.stringify(ADMIN_ONLY_RULE));
    case 'createFunction':
      return admin.createFunction(change.deployment);
    case 'replaceFunction':
      await admin.deleteFunction(change.deployment.name);
      return admin.createFunction(change.deployment);
    case 'updateFunction':
      if (change.code) await admin.updateFunctionCode(change.deployment);
      // The description carries the code digest: written after the code, so a failed upload is retried.
      return admin.updateFunctionConfig(change.deployment);
    case 'deleteTrigger':
      return admin.deleteTrigger(change.functionName, change.trigger.name);
    case 'createTrigger':
      return admin.createTrigger(change.functionName, change.trigger);
    case 'setFunctionRule':
      return admin.setFunctionRule(change.rule);
    case 'enableHttpService':
      return admin.enableHttpService();
    case 'deleteHttpAccess':
      return admin.deleteHttpAccess(change.access);
    case 'createHttpAccess':
      return admin.createHttpAccess(change.access);
  }
}

/** Reads the rules back: a collection CloudBase would not lock, or a function rule it dropped, fails the run. */
export async function checkRules(admin: CloudBaseAdmin, plan: DeployPlan): Promise<void> {
  const names = plan.collections.map((collection) => collection.name);
  const permissions = await admin.getCollectionPermissions(names);
  const open = names.filter((name) => !isAdminOnly(permissions[name]));
  if (open.length > 0) {
    throw new Error(
      `NOT LOCKED: ${open.length} collection(s) are not admin-only after deploy: ${open
        .map((name) => `${name} (${describePermission(permissions[name])})`)
        .join(
          ', ',
        )} — clients could read or write them; set 自定义安全规则 {"read": false, "write": false} in the console`,
    );
  }
  const rule = comparable(parseJson(await admin.getFunctionRule())) as FunctionRule | null;
  const wanted = comparable(plan.functionRule) as FunctionRule;
  const wrong = Object.entries(wanted).filter(([name, entry]) => rule?.[name]?.invoke !== entry.invoke);
  if (wrong.length > 0) {
    throw new Error(
      `the function security rule did not take: ${wrong.map(([name]) => name).join(', ')} — expected ${JSON.stringify(plan.functionRule)}`,
    );
  }
}

export async function deploy(options: DeployOptions): Promise<DeployOutcome> {
  const { admin, plan, log } = options;
  const state = await readEnvironment(admin, plan);
  const deployedEnvs = plan.functions.flatMap((fn) => {
    const deployed = state.functions[fn.name];
    return deployed ? [{ functionName: fn.name, env: deployed.env }] : [];
  });
  const local = options.localSecrets.read();
  const secrets = resolveSecrets(plan.secrets, deployedEnvs, local, options.generateSecret);
  // Saved before anything is uploaded: a run that dies halfway still leaves the value it used.
  if (canonical(local) !== canonical({ ...local, ...secrets.local })) {
    options.localSecrets.write({ ...local, ...secrets.local });
  }
  const deployments = plan.functions.map((fn) => deploymentOf(fn, options.codeOf(fn.name), secrets.values));
  const { changes, extraIndexes } = planChanges(plan, state, deployments);
  for (const note of secrets.notes) log(`secret ${note}`);
  for (const extra of extraIndexes) log(`note: index ${extra} is not in the plan (left in place)`);
  if (changes.length === 0) {
    log('nothing to change: the environment matches the plan');
  } else {
    log(`${changes.length} change(s):`);
    for (const [i, change] of changes.entries()) {
      log(`  [${i + 1}/${changes.length}] ${describeChange(change)}`);
      try {
        await applyChange(admin, change);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`${describeChange(change)} failed: ${reason}`, { cause: error });
      }
    }
  }
  const rulesChanged = changes.some((change) => change.kind === 'lockCollection' || change.kind === 'setFunctionRule');
  // Unchanged rules were just read and found right; changed ones are read back.
  if (rulesChanged) await checkRules(admin, plan);
  return { changes, secretNotes: secrets.notes, extraIndexes, httpDomain: state.httpService.domain };
}
