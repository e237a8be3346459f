/**
 * `npm run deploy`: the dry run as the operator runs it (a child process with no credentials and
 * the network cut off), the apply logic against an in-memory environment that behaves like
 * CloudBase's management API (the one thing stubbed: that API cannot be reached from here), and
 * the seeds written through the real CloudBaseStore and SDK into the CloudBase emulator.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { secretKeyId } from '../../server/adapters/secrets';
import { CloudBaseStore } from '../../server/adapters/cloudbase/store';
import { hashMachineSecret } from '../../server/domain/branches/queue';
import { COLLECTION_SPECS, type Collections } from '../../server/domain/collections';
import { FUNCTIONS } from '../../server/functions';
import type {
  CloudBaseAdmin,
  CollectionPermission,
  DeployedFunction,
  FunctionDeployment,
  HttpAccess,
  IndexSpec,
  TriggerSpec,
} from '../../server/deploy/admin';
import { deploy, type DeployOutcome } from '../../server/deploy/apply';
import { hashFolder } from '../../server/deploy/code';
import { buildPlan, type DeployPlan } from '../../server/deploy/plan';
import { readLocalSecrets, secretsFile, writeLocalSecrets } from '../../server/deploy/secrets';
import { seedEnvironment, writeMachineSecrets } from '../../server/deploy/seed';
import { loadSettings } from '../../server/deploy/settings';
import { startCloudBaseEmulator, type CloudBaseEmulator } from '../helpers/cloudbase-emulator';
import { ManualClock } from '../helpers/clock';
import { removeTempDirs, tempDbFile } from '../helpers/tmp';

const root = path.resolve(__dirname, '../..');
const functionNames = Object.keys(FUNCTIONS).sort();
const collectionNames = Object.keys(COLLECTION_SPECS).sort();

afterAll(() => removeTempDirs());

function tempDir(): string {
  const dir = path.dirname(tempDbFile('marker'));
  return dir;
}

/** Settings as the CLI reads them, from a settings file of the test's own (never a developer's). */
function settingsFrom(file: object, args: string[] = []) {
  const config = path.join(tempDir(), 'deploy.local.json');
  writeFileSync(config, JSON.stringify(file));
  return loadSettings(['--config', config, ...args], { root, env: {} });
}

// ---------------------------------------------------------------------------------------------
// The dry run, as a child process

/**
 * Preloaded into the child: any attempt to open a connection or resolve a name fails the run, and
 * so does loading the management SDK (a dry run has no business with it).
 */
const NO_NETWORK = `
const Module = require('node:module');
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request.includes('@cloudbase/manager-node')) throw new Error('management SDK loaded in a dry run');
  return load.call(this, request, ...rest);
};
const net = require('node:net');
const dns = require('node:dns');
const refuse = (what) => { throw new Error('network used in a dry run: ' + what); };
net.Socket.prototype.connect = function () { refuse('connect'); };
dns.lookup = function () { refuse('dns.lookup'); };
dns.promises.lookup = async function () { refuse('dns.promises.lookup'); };
`;

function runDeployScript(args: string[]): { status: number | null; stdout: string; stderr: string; ms: number } {
  const dir = tempDir();
  const preload = path.join(dir, 'no-network.js');
  writeFileSync(preload, NO_NETWORK);
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: `--require ${preload}` };
  for (const name of Object.keys(env)) {
    if (/^TENCENTCLOUD_|^WXBANK_SMS_SECRET|^CLOUDBASE_/.test(name)) delete env[name];
  }
  const started = Date.now();
  const run = spawnSync(process.execPath, [path.join(root, 'scripts', 'deploy.mjs'), ...args], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, ms: Date.now() - started };
}

describe('npm run deploy -- --dry-run', () => {
  const smsSecretKey = 'sms-secret-key-that-must-never-print';
  let output: string;

  beforeAll(() => {
    const config = path.join(tempDir(), 'deploy.local.json');
    writeFileSync(
      config,
      JSON.stringify({
        env: 'wxbank-dry-1',
        sms: {
          provider: 'tencent',
          appId: '1400000000',
          signName: '微信银行',
          templateId: '100001',
          secretId: 'sms-secret-id-that-must-never-print',
          secretKey: smsSecretKey,
        },
        qrLinkBase: 'https://bank.example/q/',
      }),
    );
    const run = runDeployScript(['--dry-run', '--config', config]);
    output = run.stdout;
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    process.stdout.write(`deploy dry run (bundle + plan, child process): ${run.ms} ms\n`);
  }, 60_000);

  test('every collection of COLLECTION_SPECS with its admin-only rule and its indexes', () => {
    expect(output).toContain(`collections: ${collectionNames.length},`);
    for (const name of collectionNames) {
      const line = output.split('\n').find((text) => text.startsWith(`  ${name} `));
      expect(line).toBeDefined();
      expect(line).toContain('rule {"read":false,"write":false}');
      const specs = COLLECTION_SPECS[name as keyof Collections].indexes;
      for (const fields of specs) expect(line).toContain(fields.join('+'));
      if (specs.length === 0 && name !== 'branches') expect(line).toContain('indexes: (none)');
    }
    expect(output.split('\n').find((text) => text.startsWith('  branches '))).toContain('geo 2dsphere(location)');
  });

  test('every function of FUNCTIONS with runtime, timeout, env var names, invoke rule and permissions', () => {
    expect(output).toContain(`functions: ${functionNames.length} `);
    for (const name of functionNames) {
      const config = JSON.parse(readFileSync(path.join(root, 'cloudfunctions', name, 'config.json'), 'utf8')) as {
        timeout: number;
        permissions: { openapi: string[] };
      };
      const block = output.slice(output.indexOf(`  ${name}: runtime`));
      expect(block.startsWith(`  ${name}: runtime Nodejs20.19, timeout ${config.timeout} s`)).toBe(true);
      const lines = block.split('\n').slice(1, 7).join('\n');
      expect(lines).toMatch(/invoke: /);
      expect(lines).toContain(
        `open API: ${config.permissions.openapi.length > 0 ? config.permissions.openapi.join(', ') : '(none)'}`,
      );
      for (const variable of [
        'WXBANK_STORE=cloudbase',
        'WXBANK_BANK=sandbox',
        'WXBANK_SMS=tencent',
        'WXBANK_NOTIFIER=wechat',
        'WXBANK_MP_CODES=wechat',
      ]) {
        expect(lines).toContain(variable);
      }
      expect(lines).toContain('WXBANK_SECRET=•••• (secret)');
      expect(lines).toContain('WXBANK_SMS_SECRET_KEY=•••• (secret)');
    }
    const rule = JSON.parse(/^function security rule: (.*)$/m.exec(output)![1]!) as Record<string, { invoke: unknown }>;
    expect(rule['*']).toEqual({ invoke: 'auth != null' });
    expect(rule.settle).toEqual({ invoke: false });
    for (const name of functionNames) expect(rule[name]).toBeDefined();
  });

  test("settle's timer from its config.json, and the seeds with their counts", () => {
    const settle = JSON.parse(readFileSync(path.join(root, 'cloudfunctions', 'settle', 'config.json'), 'utf8')) as {
      triggers: { name: string; config: string }[];
    };
    const [timer] = settle.triggers;
    expect(output).toContain(`trigger: timer ${timer!.name} "${timer!.config}"`);
    expect(output).toMatch(
      /seeds: branches 2000 with 2000 queueMachines credentials \(secrets to \.deploy\/wxbank-dry-1\//,
    );
    expect(output).toContain('merchants 2: m_corner_cafe');
  });

  test('secret values never appear; their names do', () => {
    expect(output).not.toContain(smsSecretKey);
    expect(output).not.toContain('sms-secret-id-that-must-never-print');
    expect(output).toContain('WXBANK_QR_LINK_BASE=https://bank.example/q/');
    expect(output).not.toMatch(/[0-9a-f]{32}/);
  });
});

test('a real deploy without credentials stops before any network, saying what to set', () => {
  const run = runDeployScript(['--env', 'wxbank-dry-1', '--skip-build', '--config', path.join(root, 'package.json')]);
  // package.json is no settings file: refused by name, not used
  expect(run.status).toBe(2);
  expect(run.stderr).toMatch(/package\.json/);
  const config = path.join(tempDir(), 'deploy.local.json');
  writeFileSync(config, '{}');
  const bare = runDeployScript(['--env', 'wxbank-dry-1', '--skip-build', '--config', config]);
  expect(bare.status).toBe(2);
  expect(bare.stderr).toContain('TENCENTCLOUD_SECRETID');
}, 60_000);

// ---------------------------------------------------------------------------------------------
// Apply, against an environment that behaves like CloudBase

class CloudBaseError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

const pattern = (index: IndexSpec) => index.keys.map((key) => `${key.field}:${key.direction}`).join(',');
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** A CloudBase environment in memory: the management API's answers and refusals, and a log of writes. */
class MemoryCloudBase implements CloudBaseAdmin {
  readonly collections = new Map<string, IndexSpec[]>();
  readonly permissions = new Map<string, CollectionPermission>();
  functionRule: string | null = null;
  readonly functions = new Map<string, DeployedFunction & { uploadedSha256: string }>();
  httpEnabled = false;
  readonly http: Required<HttpAccess>[] = [];
  /** Every call that changes something, in order. */
  readonly writes: string[] = [];
  /** Collections whose rule CloudBase accepts but does not apply (an environment under another authz engine). */
  readonly rulesIgnoredFor = new Set<string>();
  private apiIds = 0;

  async listCollections() {
    return [...this.collections.keys()];
  }
  async createCollection(name: string) {
    if (this.collections.has(name)) throw new CloudBaseError('ResourceInUse', `table ${name} exists`);
    this.writes.push(`createCollection ${name}`);
    this.collections.set(name, []);
    // CloudBase's default for a new collection: 仅创建者可读写.
    this.permissions.set(name, { permission: 'PRIVATE', securityRule: null });
  }
  async describeIndexes(collection: string) {
    const indexes = this.collections.get(collection);
    if (!indexes) throw new CloudBaseError('ResourceNotFound', `table ${collection}`);
    return copy(indexes);
  }
  async createIndexes(collection: string, indexes: IndexSpec[]) {
    const existing = this.collections.get(collection);
    if (!existing) throw new CloudBaseError('ResourceNotFound', `table ${collection}`);
    for (const index of indexes) {
      if (existing.some((item) => item.name === index.name || pattern(item) === pattern(index))) {
        throw new CloudBaseError('FailedOperation.IndexOptionsConflict', index.name);
      }
    }
    this.writes.push(`createIndexes ${collection} ${indexes.map((index) => index.name).join(',')}`);
    existing.push(...copy(indexes));
  }
  async getCollectionPermissions(names: string[]) {
    return Object.fromEntries(names.map((name) => [name, copy(this.permissions.get(name) ?? null)]));
  }
  async setCollectionRule(name: string, securityRule: string) {
    if (!this.collections.has(name)) throw new CloudBaseError('ResourceNotFound', `table ${name}`);
    JSON.parse(securityRule);
    this.writes.push(`setCollectionRule ${name}`);
    if (!this.rulesIgnoredFor.has(name)) this.permissions.set(name, { permission: 'CUSTOM', securityRule });
  }
  async getFunctionRule() {
    return this.functionRule;
  }
  async setFunctionRule(securityRule: string) {
    const rule = JSON.parse(securityRule) as Record<string, { invoke?: unknown }>;
    // CloudBase's own limits: a `*` entry, and invoke true, false or "auth != null" in every entry.
    if (!rule['*']) throw new CloudBaseError('InvalidParameter', 'Invalid security rule config: no *');
    for (const entry of Object.values(rule)) {
      if (![true, false, 'auth != null'].includes(entry.invoke as never)) {
        throw new CloudBaseError('InvalidParameter', 'Invalid security rule config');
      }
    }
    this.writes.push('setFunctionRule');
    this.functionRule = securityRule;
  }
  async getFunction(name: string) {
    const fn = this.functions.get(name);
    if (!fn) return null;
    const { uploadedSha256: _uploaded, ...deployed } = copy(fn);
    return deployed;
  }
  /** SCF's limits on what a deployment carries. */
  private checkConfig(deployment: FunctionDeployment): void {
    if (!/^[A-Za-z0-9 ,.\n\u4e00-\u9fff]{0,1000}$/.test(deployment.description)) {
      throw new CloudBaseError('InvalidParameterValue.Description', deployment.description);
    }
    for (const key of Object.keys(deployment.env)) {
      if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(key)) throw new CloudBaseError('InvalidParameterValue.Environment', key);
    }
  }
  private upload(deployment: FunctionDeployment): string {
    this.checkConfig(deployment);
    if (!existsSync(path.join(deployment.codeDir, 'index.js'))) {
      throw new CloudBaseError('InvalidParameter.Code', 'no index.js in the package');
    }
    return hashFolder(deployment.codeDir);
  }
  async createFunction(deployment: FunctionDeployment) {
    if (this.functions.has(deployment.name)) throw new CloudBaseError('ResourceInUse.Function', deployment.name);
    this.writes.push(`createFunction ${deployment.name}`);
    this.functions.set(deployment.name, {
      name: deployment.name,
      runtime: deployment.runtime,
      handler: deployment.handler,
      timeoutSeconds: deployment.timeoutSeconds,
      memoryMb: deployment.memoryMb,
      installDependency: false,
      description: deployment.description,
      env: { ...deployment.env },
      triggers: [],
      uploadedSha256: this.upload(deployment),
    });
  }
  async deleteFunction(name: string) {
    if (!this.functions.delete(name)) throw new CloudBaseError('ResourceNotFound.Function', name);
    this.writes.push(`deleteFunction ${name}`);
  }
  private existing(name: string) {
    const fn = this.functions.get(name);
    if (!fn) throw new CloudBaseError('ResourceNotFound.Function', name);
    return fn;
  }
  async updateFunctionCode(deployment: FunctionDeployment) {
    const fn = this.existing(deployment.name);
    this.writes.push(`updateFunctionCode ${deployment.name}`);
    fn.uploadedSha256 = this.upload(deployment);
    fn.handler = deployment.handler;
    fn.installDependency = false;
  }
  async updateFunctionConfig(deployment: FunctionDeployment) {
    const fn = this.existing(deployment.name);
    this.checkConfig(deployment);
    this.writes.push(`updateFunctionConfig ${deployment.name}`);
    // Environment variables are replaced as a whole, as UpdateFunctionConfiguration does.
    Object.assign(fn, {
      timeoutSeconds: deployment.timeoutSeconds,
      memoryMb: deployment.memoryMb,
      description: deployment.description,
      env: { ...deployment.env },
    });
  }
  async createTrigger(functionName: string, trigger: TriggerSpec) {
    const fn = this.existing(functionName);
    if (fn.triggers.some((item) => item.name === trigger.name)) {
      throw new CloudBaseError('ResourceInUse.Trigger', trigger.name);
    }
    this.writes.push(`createTrigger ${functionName}/${trigger.name}`);
    fn.triggers.push(copy(trigger));
  }
  async deleteTrigger(functionName: string, triggerName: string) {
    const fn = this.existing(functionName);
    this.writes.push(`deleteTrigger ${functionName}/${triggerName}`);
    fn.triggers = fn.triggers.filter((item) => item.name !== triggerName);
  }
  async getHttpService() {
    return { enabled: this.httpEnabled, domain: this.httpEnabled ? 'wxbank-test-1.service.tcloudbase.com' : null };
  }
  async enableHttpService() {
    this.writes.push('enableHttpService');
    this.httpEnabled = true;
  }
  async listHttpAccess() {
    if (!this.httpEnabled) throw new CloudBaseError('FailedOperation', 'HTTP access is off');
    return copy(this.http);
  }
  async createHttpAccess(access: HttpAccess) {
    if (!this.httpEnabled) throw new CloudBaseError('FailedOperation', 'HTTP access is off');
    if (this.http.some((item) => item.path === access.path))
      throw new CloudBaseError('InvalidParameter.APICreated', access.path);
    this.writes.push(`createHttpAccess ${access.path}`);
    this.http.push({ path: access.path, functionName: access.functionName, id: `api-${++this.apiIds}` });
  }
  async deleteHttpAccess(access: HttpAccess) {
    const index = this.http.findIndex((item) => item.id === access.id);
    if (index < 0) throw new CloudBaseError('ResourceNotFound', access.path);
    this.writes.push(`deleteHttpAccess ${access.path}`);
    this.http.splice(index, 1);
  }
}

/** A built folder per function (what dist/cloudfunctions holds), and the operator's local folder. */
function workspace() {
  const dir = tempDir();
  const codeDirs: Record<string, string> = {};
  for (const name of functionNames) {
    codeDirs[name] = path.join(dir, 'dist', name);
    mkdirSync(codeDirs[name], { recursive: true });
    writeFileSync(
      path.join(codeDirs[name], 'index.js'),
      `exports.main = async () => ({ ok: true, data: '${name}' });\n`,
    );
    writeFileSync(path.join(codeDirs[name], 'package.json'), '{"main":"index.js","dependencies":{}}\n');
  }
  const local = path.join(dir, '.deploy', 'wxbank-test-1');
  return { codeDirs, local };
}

function run(
  admin: MemoryCloudBase,
  plan: DeployPlan,
  space: ReturnType<typeof workspace>,
): Promise<DeployOutcome & { log: string[] }> {
  const log: string[] = [];
  return deploy({
    admin,
    plan,
    codeOf: (name) => ({ dir: space.codeDirs[name]!, sha256: hashFolder(space.codeDirs[name]!) }),
    localSecrets: {
      read: () => readLocalSecrets(space.local),
      write: (values) => writeLocalSecrets(space.local, values),
    },
    log: (line) => log.push(line),
  }).then((outcome) => ({ ...outcome, log }));
}

let defaultPlan: DeployPlan | undefined;
/** The plan of the repository's own sources with default settings (deploy never changes a plan). */
const plan = () => (defaultPlan ??= buildPlan(root, settingsFrom({ env: 'wxbank-test-1' })));

describe('deploy against an environment', () => {
  test('a first run creates everything the plan has', async () => {
    const admin = new MemoryCloudBase();
    const space = workspace();
    const outcome = await run(admin, plan(), space);
    expect(outcome.changes.length).toBeGreaterThan(collectionNames.length + functionNames.length);

    expect([...admin.collections.keys()].sort()).toEqual(collectionNames);
    for (const name of collectionNames) {
      expect(admin.permissions.get(name)).toEqual({
        permission: 'CUSTOM',
        securityRule: '{"read":false,"write":false}',
      });
      const indexes = admin.collections.get(name)!.map((index) => index.keys.map((key) => key.field).join('+'));
      const wanted = COLLECTION_SPECS[name as keyof Collections].indexes.map((fields) => fields.join('+'));
      expect(indexes).toEqual(name === 'branches' ? [...wanted, 'location'] : wanted);
    }
    expect(admin.collections.get('branches')!.at(-1)).toEqual({
      name: 'location_2dsphere',
      keys: [{ field: 'location', direction: '2dsphere' }],
    });

    const secret = readLocalSecrets(space.local).WXBANK_SECRET!;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(secretsFile(space.local)).mode & 0o777).toBe(0o600);
    expect([...admin.functions.keys()].sort()).toEqual(functionNames);
    for (const name of functionNames) {
      const fn = admin.functions.get(name)!;
      expect(fn).toMatchObject({ runtime: 'Nodejs20.19', handler: 'index.main', installDependency: false });
      expect(fn.uploadedSha256).toBe(hashFolder(space.codeDirs[name]!));
      expect(fn.env).toMatchObject({
        WXBANK_SECRET: secret,
        WXBANK_STORE: 'cloudbase',
        WXBANK_BANK: 'sandbox',
        WXBANK_SMS: 'sandbox',
        WXBANK_NOTIFIER: 'wechat',
        WXBANK_MP_CODES: 'wechat',
        WXBANK_MP_ENV_VERSION: 'release',
      });
      const config = JSON.parse(readFileSync(path.join(root, 'cloudfunctions', name, 'config.json'), 'utf8')) as {
        timeout: number;
        memorySize: number;
        triggers?: TriggerSpec[];
        wxbank: { env?: string[] };
      };
      expect(fn.timeoutSeconds).toBe(config.timeout);
      expect(fn.memoryMb).toBe(config.memorySize);
      expect(fn.triggers).toEqual(config.triggers ?? []);
      expect('WXBANK_STAFF_TOKEN' in fn.env).toBe(config.wxbank.env?.includes('WXBANK_STAFF_TOKEN') ?? false);
    }
    expect(admin.functions.get('settle')!.triggers).toEqual([
      { name: 'settle-every-minute', type: 'timer', config: '0 */1 * * * * *' },
    ]);

    const rule = JSON.parse(admin.functionRule!) as Record<string, { invoke: unknown }>;
    expect(rule['*']).toEqual({ invoke: 'auth != null' });
    expect(rule.settle).toEqual({ invoke: false });
    expect(rule.user).toEqual({ invoke: 'auth != null' });
    expect(admin.httpEnabled).toBe(true);
    expect(admin.http.map(({ path: p, functionName }) => `${p} → ${functionName}`)).toContain('/branches → branches');
  });

  test('a second run plans and performs nothing, and says so', async () => {
    const admin = new MemoryCloudBase();
    const space = workspace();
    await run(admin, plan(), space);
    const writes = admin.writes.length;
    const again = await run(admin, plan(), space);
    expect(again.changes).toEqual([]);
    expect(admin.writes.length).toBe(writes);
    expect(again.log).toContain('nothing to change: the environment matches the plan');
  });

  test('variables other than WXBANK_* are kept; a WXBANK_* one the plan no longer has is removed', async () => {
    const admin = new MemoryCloudBase();
    const space = workspace();
    await run(admin, plan(), space);
    admin.functions.get('user')!.env.TZ = 'Asia/Shanghai';
    expect((await run(admin, plan(), space)).changes).toEqual([]);
    admin.functions.get('user')!.env.WXBANK_RETIRED = 'x';
    const outcome = await run(admin, plan(), space);
    expect(outcome.changes).toEqual([
      expect.objectContaining({ kind: 'updateFunction', code: false, config: ['env WXBANK_RETIRED'] }),
    ]);
    expect(admin.functions.get('user')!.env).toMatchObject({ TZ: 'Asia/Shanghai', WXBANK_STORE: 'cloudbase' });
    expect(admin.functions.get('user')!.env).not.toHaveProperty('WXBANK_RETIRED');
  });

  test('a collection whose rule was loosened by hand is found and locked again', async () => {
    const admin = new MemoryCloudBase();
    const space = workspace();
    await run(admin, plan(), space);
    admin.permissions.set('walletOperations', {
      permission: 'CUSTOM',
      securityRule: '{"read":true,"write":"auth != null"}',
    });
    admin.permissions.set('cards', { permission: 'READONLY', securityRule: null });
    const outcome = await run(admin, plan(), space);
    expect(outcome.changes).toEqual([
      { kind: 'lockCollection', collection: 'cards', was: 'READONLY' },
      { kind: 'lockCollection', collection: 'walletOperations', was: 'CUSTOM {"read":true,"write":"auth != null"}' },
    ]);
    expect(admin.permissions.get('walletOperations')!.permission).toBe('CUSTOM');
    expect(JSON.parse(admin.permissions.get('walletOperations')!.securityRule!)).toEqual({ read: false, write: false });
  });

  test('a rule CloudBase does not apply fails the run loudly, naming the collection', async () => {
    const admin = new MemoryCloudBase();
    admin.rulesIgnoredFor.add('walletOperations');
    await expect(run(admin, plan(), workspace())).rejects.toThrow(
      /NOT LOCKED: 1 collection\(s\) .*walletOperations \(PRIVATE\)/,
    );
  });

  test('the secret is reused from the deployed functions when the local copy is gone or stale', async () => {
    const admin = new MemoryCloudBase();
    const space = workspace();
    await run(admin, plan(), space);
    const deployed = admin.functions.get('user')!.env.WXBANK_SECRET!;
    const staffToken = admin.functions.get('staff')?.env.WXBANK_STAFF_TOKEN;

    rmSync(secretsFile(space.local));
    const lost = await run(admin, plan(), space);
    expect(lost.changes).toEqual([]);
    expect(lost.secretNotes).toContain('WXBANK_SECRET: kept from the deployed functions');
    expect(readLocalSecrets(space.local).WXBANK_SECRET).toBe(deployed);
    if (staffToken) expect(readLocalSecrets(space.local).WXBANK_STAFF_TOKEN).toBe(staffToken);

    writeLocalSecrets(space.local, { WXBANK_SECRET: 'f'.repeat(64) });
    const stale = await run(admin, plan(), space);
    expect(stale.changes).toEqual([]);
    expect(readLocalSecrets(space.local).WXBANK_SECRET).toBe(deployed);
    for (const fn of admin.functions.values()) expect(fn.env.WXBANK_SECRET).toBe(deployed);
  });

  test('--rotate-secret puts a new secret in use and keeps the retired ones for verifying; later runs keep both', async () => {
    const admin = new MemoryCloudBase();
    const space = workspace();
    await run(admin, plan(), space);
    const first = admin.functions.get('user')!.env.WXBANK_SECRET!;
    expect(admin.functions.get('user')!.env).not.toHaveProperty('WXBANK_SECRET_PREVIOUS');

    const rotating = buildPlan(root, settingsFrom({ env: 'wxbank-test-1' }, ['--rotate-secret']));
    await run(admin, rotating, space);
    const second = admin.functions.get('user')!.env.WXBANK_SECRET!;
    expect(second).not.toBe(first);
    for (const fn of admin.functions.values()) {
      expect(fn.env.WXBANK_SECRET).toBe(second);
      expect(fn.env.WXBANK_SECRET_PREVIOUS).toBe(first);
    }
    expect(secretKeyId(second)).not.toBe(secretKeyId(first));

    const unchanged = await run(admin, plan(), space);
    expect(unchanged.changes).toEqual([]);

    await run(admin, rotating, space);
    const third = admin.functions.get('user')!.env.WXBANK_SECRET!;
    expect(admin.functions.get('user')!.env.WXBANK_SECRET_PREVIOUS).toBe(`${second},${first}`);
    expect(readLocalSecrets(space.local)).toMatchObject({
      WXBANK_SECRET: third,
      WXBANK_SECRET_PREVIOUS: `${second},${first}`,
    });
  });

  test('functions that disagree on the secret stop the run before anything changes', async () => {
    const admin = new MemoryCloudBase();
    const space = workspace();
    await run(admin, plan(), space);
    admin.functions.get('ledger')!.env.WXBANK_SECRET = 'a'.repeat(64);
    const writes = admin.writes.length;
    await expect(run(admin, plan(), space)).rejects.toThrow(/disagree on WXBANK_SECRET \(.*ledger.*\)/);
    expect(admin.writes.length).toBe(writes);
  });

  test('a changed build uploads that function only; a hand-made index on the same keys is kept', async () => {
    const admin = new MemoryCloudBase();
    const space = workspace();
    admin.collections.set('wxAccounts', [{ name: 'by_user', keys: [{ field: 'userId', direction: '1' }] }]);
    const first = await run(admin, plan(), space);
    expect(first.changes.find((c) => c.kind === 'createIndexes' && c.collection === 'wxAccounts')).toBeUndefined();

    writeFileSync(
      path.join(space.codeDirs.ledger!, 'index.js'),
      'exports.main = async () => ({ ok: true, data: 2 });\n',
    );
    const writes = admin.writes.length;
    const outcome = await run(admin, plan(), space);
    expect(outcome.changes.map((change) => change.kind)).toEqual(['updateFunction']);
    expect(admin.writes.slice(writes)).toEqual(['updateFunctionCode ledger', 'updateFunctionConfig ledger']);
    expect(admin.functions.get('ledger')!.uploadedSha256).toBe(hashFolder(space.codeDirs.ledger!));
  });

  test("a function made by hand on another runtime is replaced, keeping its secret; others' rule entries stay", async () => {
    const admin = new MemoryCloudBase();
    const space = workspace();
    admin.functions.set('user', {
      name: 'user',
      runtime: 'Nodejs16.13',
      handler: 'index.main',
      timeoutSeconds: 3,
      memoryMb: 256,
      installDependency: true,
      description: '',
      env: { WXBANK_SECRET: 'b'.repeat(64) },
      triggers: [],
      uploadedSha256: '',
    });
    admin.functionRule = JSON.stringify({ '*': { invoke: true }, 'legacy-report': { invoke: false } });
    const outcome = await run(admin, plan(), space);
    expect(outcome.changes).toContainEqual(
      expect.objectContaining({ kind: 'replaceFunction', wasRuntime: 'Nodejs16.13' }),
    );
    expect(admin.functions.get('user')!.runtime).toBe('Nodejs20.19');
    for (const fn of admin.functions.values()) expect(fn.env.WXBANK_SECRET).toBe('b'.repeat(64));
    const rule = JSON.parse(admin.functionRule) as Record<string, unknown>;
    expect(rule['legacy-report']).toEqual({ invoke: false });
    expect(rule['*']).toEqual({ invoke: 'auth != null' });
  });

  test('an HTTP path to one of our functions that the plan does not have is removed', async () => {
    const admin = new MemoryCloudBase();
    const space = workspace();
    await run(admin, plan(), space);
    admin.http.push({ path: '/ledger', functionName: 'ledger', id: 'hand-made' });
    const outcome = await run(admin, plan(), space);
    expect(outcome.changes).toEqual([
      { kind: 'deleteHttpAccess', access: { path: '/ledger', functionName: 'ledger', id: 'hand-made' } },
    ]);
    expect(admin.http.some((access) => access.functionName === 'ledger')).toBe(false);
  });
});

describe('deploy settings and function configs', () => {
  test('SMS through Tencent Cloud needs its keys: given, or kept from the deployed functions', async () => {
    const sms = { provider: 'tencent', appId: '1400000000', signName: '微信银行', templateId: '100001' };
    const admin = new MemoryCloudBase();
    const space = workspace();
    await expect(run(admin, buildPlan(root, settingsFrom({ sms })), space)).rejects.toThrow(
      /WXBANK_SMS_SECRET_ID is needed/,
    );
    const given = buildPlan(root, settingsFrom({ sms: { ...sms, secretId: 'AKID-sms', secretKey: 'sms-key' } }));
    await run(admin, given, space);
    expect(admin.functions.get('verify')!.env).toMatchObject({
      WXBANK_SMS: 'tencent',
      WXBANK_SMS_APP_ID: '1400000000',
      WXBANK_SMS_REGION: 'ap-guangzhou',
      WXBANK_SMS_SECRET_KEY: 'sms-key',
    });
    const kept = await run(admin, buildPlan(root, settingsFrom({ sms })), space);
    expect(kept.changes).toEqual([]);
  });

  test('bad settings are refused with the reason', () => {
    expect(() => settingsFrom({ env: 'Not An Env' })).toThrow(/env/);
    expect(() => settingsFrom({ mpEnvVersion: 'beta' })).toThrow(/mpEnvVersion/);
    expect(() => settingsFrom({}, ['--sms', 'tencent'])).toThrow(/sms/);
    expect(() => settingsFrom({}, ['--branches', '-1'])).toThrow(/--branches/);
    expect(() => settingsFrom({}, ['--bogus'])).toThrow(/unknown option --bogus/);
    expect(settingsFrom({}, ['--env=wxbank-x1', '--branches', '0', '--no-merchants'])).toMatchObject({
      envId: 'wxbank-x1',
      seed: { branches: 0, merchants: false },
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Seeds, through the real CloudBaseStore and SDK, into the CloudBase emulator

describe('seeds through CloudBaseStore', () => {
  let emulator: CloudBaseEmulator;
  beforeAll(async () => {
    emulator = await startCloudBaseEmulator();
  });
  afterAll(async () => {
    await emulator.close();
  });

  test('branches with their machine credentials and the sandbox merchants, once', async () => {
    emulator.createCollections(...collectionNames);
    const store = new CloudBaseStore<Collections>({
      collections: COLLECTION_SPECS,
      connection: { env: 'test-env', secretId: 'x', secretKey: 'y', serviceUrl: emulator.url },
    });
    const clock = new ManualClock();
    // Several registration transactions (25 branches each), some at once.
    const { seeds } = buildPlan(root, settingsFrom({ env: 'wxbank-test-1' }, ['--branches', '200']));
    expect(seeds.branches).toBe(200);
    const started = Date.now();
    const first = await seedEnvironment({ store, clock }, seeds);
    const ms = Date.now() - started;
    process.stdout.write(`seeded ${seeds.branches} branches through the SDK into the emulator in ${ms} ms\n`);

    expect(first.branches).toMatchObject({ count: 200, created: true });
    expect(emulator.actions().filter((action) => action === 'database.commitTransaction')).toHaveLength(
      Math.ceil(200 / 25),
    );
    expect(first.merchants).toEqual({ created: ['m_corner_cafe', 'm_fresh_mart'], existing: [] });
    expect(emulator.documents('branches')).toHaveLength(200);
    expect(emulator.documents('queueMachines')).toHaveLength(200);
    const machines = first.branches.machines!;
    const branchId = machines.branchIds[83]!;
    const stored = await store.get('branches', branchId);
    expect(stored?.location.type).toBe('Point');
    expect(stored?.location.coordinates).toHaveLength(2);
    expect((await store.get('queueMachines', branchId))?.secretHash).toBe(
      hashMachineSecret(machines.secretOf(branchId)),
    );
    expect(
      emulator
        .documents('merchants')
        .map((doc) => doc._id)
        .sort(),
    ).toEqual(['m_corner_cafe', 'm_fresh_mart']);

    const writes = emulator.requests().length;
    const second = await seedEnvironment({ store, clock }, seeds);
    expect(second.branches).toMatchObject({ count: 200, created: false });
    expect(second.merchants).toEqual({ created: [], existing: ['m_corner_cafe', 'm_fresh_mart'] });
    const later = emulator.actions().slice(writes);
    expect(later.filter((action) => !/getDocument|queryDocument/.test(action))).toEqual([]);
    // the same machine secrets: they derive from the key kept in sandboxState
    expect(second.branches.machines!.secretOf(branchId)).toBe(machines.secretOf(branchId));

    const file = writeMachineSecrets(tempDir(), machines);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(201);
    expect(lines[84]).toBe(`${branchId},${machines.secretOf(branchId)}`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  }, 120_000);
});
