/**
 * What a function's environment variables choose, in-process: the store, the gateways, the
 * notifier and the 小程序码 maker — the defaults outside CloudBase, what must be said inside it, and
 * a clear MisconfiguredError for anything else. (The built bundles are run as CloudBase runs them
 * in build and emulator tests; this is the same choice without a child process.)
 */
import { MisconfiguredError } from '../../server/domain/ports/failures';
import type * as EnvironmentModule from '../../server/runtime/environment';
import { removeTempDirs, tempDbFile } from '../helpers/tmp';

const SECRET = 'environment-test-secret-0123456789abcdef';
const CLOUD = { TENCENTCLOUD_RUNENV: 'SCF', TCB_ENV_ID: 'env-test', WXBANK_SECRET: SECRET };
const CLOUD_CHOICES = { WXBANK_BANK: 'sandbox', WXBANK_SMS: 'sandbox' };

/** The module afresh: `depsFromEnvironment` keeps what it built for the life of the process. */
function environment(): typeof EnvironmentModule {
  let loaded!: typeof EnvironmentModule;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require('../../server/runtime/environment') as typeof EnvironmentModule;
  });
  return loaded;
}

/** Each load has its own copies of the classes, so adapters are told apart by their class's name. */
const kind = (adapter: object) => adapter.constructor.name;

/** The message of the MisconfiguredError `build` throws (fails the test on anything else). */
function misconfiguration(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    expect((error as Error).name).toBe(MisconfiguredError.name);
    return (error as Error).message;
  }
  throw new Error('no MisconfiguredError');
}

const stores: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});
// inside CloudBase the module logs unhandled rejections instead of ending the process: not in this worker after us
const rejectionListeners = process.listeners('unhandledRejection');
afterAll(() => {
  for (const listener of process.listeners('unhandledRejection')) {
    if (!rejectionListeners.includes(listener)) process.off('unhandledRejection', listener);
  }
  removeTempDirs();
});

test('CloudBase is recognised by either of its runtime variables, and only by them', () => {
  const { insideCloudBase } = environment();
  expect(insideCloudBase({ TENCENTCLOUD_RUNENV: 'SCF' })).toBe(true);
  expect(insideCloudBase({ SCF_NAMESPACE: 'default' })).toBe(true);
  expect(insideCloudBase({})).toBe(false);
  expect(insideCloudBase({ TENCENTCLOUD_RUNENV: '', SCF_NAMESPACE: '' })).toBe(false);
  expect(insideCloudBase({ TCB_ENV_ID: 'env-test' })).toBe(false);
});

test('the store: SQLite at WXBANK_DB outside CloudBase, CloudBase inside, either when named; anything else refused', async () => {
  const { openStoreFromEnvironment, openBranchLocator } = environment();
  const file = tempDbFile();
  const local = openStoreFromEnvironment({ WXBANK_DB: file });
  stores.push(local);
  expect(kind(local)).toBe('SqliteStore');
  await local.set('sandboxState', { id: 'probe' } as never);
  expect(await local.get('sandboxState', 'probe')).toEqual({ id: 'probe' });
  expect(kind(openBranchLocator(local, {}))).toBe('SqliteBranchLocator');

  const cloud = openStoreFromEnvironment(CLOUD);
  expect(kind(cloud)).toBe('CloudBaseStore');
  expect(kind(openBranchLocator(cloud, CLOUD))).toBe('CloudBaseBranchLocator');
  const named = openStoreFromEnvironment({ ...CLOUD, WXBANK_STORE: 'sqlite', WXBANK_DB: tempDbFile() });
  stores.push(named);
  expect(kind(named)).toBe('SqliteStore');
  expect(kind(openStoreFromEnvironment({ WXBANK_STORE: 'cloudbase' }))).toBe('CloudBaseStore');
  // an empty setting is no setting
  const empty = openStoreFromEnvironment({ WXBANK_STORE: '', WXBANK_DB: tempDbFile() });
  stores.push(empty);
  expect(kind(empty)).toBe('SqliteStore');

  const wrong = () => openStoreFromEnvironment({ WXBANK_STORE: `mysql${'x'.repeat(60)}` });
  expect(misconfiguration(wrong)).toBe(`WXBANK_STORE must be sqlite or cloudbase, got mysql${'x'.repeat(35)}`);
});

test('outside CloudBase every gateway is the sandbox, built once for the process', () => {
  const { depsFromEnvironment } = environment();
  const deps = depsFromEnvironment({ WXBANK_DB: tempDbFile(), WXBANK_SECRET: SECRET });
  stores.push(deps.store);
  expect(kind(deps.store)).toBe('SqliteStore');
  expect(kind(deps.notifier)).toBe('SandboxNotifier');
  expect(kind(deps.miniProgramCodes)).toBe('SandboxMiniProgramCodes');
  expect(kind(deps.branchLocator)).toBe('SqliteBranchLocator');
  expect(deps.bank.constructor.name).toMatch(/Sandbox/);
  expect(depsFromEnvironment({ WXBANK_DB: tempDbFile() })).toBe(deps);
});

test('inside CloudBase the bank and SMS must be chosen, and WeChat sends and draws the codes', () => {
  for (const missing of ['WXBANK_BANK', 'WXBANK_SMS']) {
    const env: Record<string, string> = { ...CLOUD, ...CLOUD_CHOICES };
    delete env[missing];
    const build = () => environment().depsFromEnvironment(env);
    expect(misconfiguration(build)).toContain(`${missing} is not set`);
  }
  const deps = environment().depsFromEnvironment({ ...CLOUD, ...CLOUD_CHOICES });
  expect(kind(deps.store)).toBe('CloudBaseStore');
  expect(kind(deps.notifier)).toBe('WechatSubscribeNotifier');
  expect(kind(deps.miniProgramCodes)).toBe('WechatMiniProgramCodes');
  expect(kind(deps.branchLocator)).toBe('CloudBaseBranchLocator');
  // either may be the sandbox's when named, even inside
  const sandboxed = environment().depsFromEnvironment({
    ...CLOUD,
    ...CLOUD_CHOICES,
    WXBANK_NOTIFIER: 'sandbox',
    WXBANK_MP_CODES: 'sandbox',
  });
  expect(kind(sandboxed.notifier)).toBe('SandboxNotifier');
  expect(kind(sandboxed.miniProgramCodes)).toBe('SandboxMiniProgramCodes');
});

test('a wrong choice or a missing secret inside CloudBase is a MisconfiguredError naming the setting', () => {
  const cases: [Record<string, string>, string][] = [
    [{ ...CLOUD, ...CLOUD_CHOICES, WXBANK_BANK: 'real' }, 'WXBANK_BANK must be sandbox, got real'],
    [{ ...CLOUD, ...CLOUD_CHOICES, WXBANK_NOTIFIER: 'email' }, 'WXBANK_NOTIFIER must be wechat or sandbox'],
    [{ ...CLOUD, ...CLOUD_CHOICES, WXBANK_MP_ENV_VERSION: 'beta' }, 'WXBANK_MP_ENV_VERSION must be'],
    [{ TENCENTCLOUD_RUNENV: 'SCF', ...CLOUD_CHOICES }, 'WXBANK_SECRET is not set'],
  ];
  for (const [env, message] of cases) {
    const build = () => environment().depsFromEnvironment(env);
    expect(misconfiguration(build)).toContain(message);
  }
});
