/**
 * CloudBaseStore through the real @cloudbase/node-sdk, answered by the CloudBase emulator
 * (test/helpers/cloudbase-emulator.ts): the Store contract SQLite passes, plus what is particular
 * to CloudBase — transactions and their retries, the request shapes the adapter relies on,
 * failures of the service, and documents written by WeChat clients.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudBaseError, UntrustedDocumentError, type CloudBaseConnection } from '../../server/adapters/cloudbase/app';
import { CloudBaseStore } from '../../server/adapters/cloudbase/store';
import { MemoryLogger } from '../../server/adapters/system';
import { AppError } from '../../server/domain/errors';
import { COLLECTION_SPECS, type Collections } from '../../server/domain/collections';
import { DependencyUnavailableError, MisconfiguredError } from '../../server/domain/ports/failures';
import { DocumentExistsError } from '../../server/domain/ports/store';
import { userFunction } from '../../server/functions/user';
import { createMain } from '../../server/runtime/main';
import { ManualClock } from '../helpers/clock';
import { startCloudBaseEmulator, type CloudBaseEmulator } from '../helpers/cloudbase-emulator';
import { testDeps } from '../helpers/deps';
import { CONTRACT_SPECS, describeStoreContract, type ContractCollections, type ContractDoc } from './store-contract';

let emulator: CloudBaseEmulator;
beforeAll(async () => {
  emulator = await startCloudBaseEmulator();
});
afterAll(async () => {
  await emulator.close();
});

const connection = (overrides: CloudBaseConnection = {}): CloudBaseConnection => ({
  env: 'test-env',
  secretId: 'x',
  secretKey: 'y',
  serviceUrl: emulator.url,
  ...overrides,
});

async function openStore(overrides: CloudBaseConnection = {}): Promise<CloudBaseStore<ContractCollections>> {
  emulator.reset();
  const store = new CloudBaseStore<ContractCollections>({
    connection: connection(overrides),
    collections: CONTRACT_SPECS,
  });
  await store.ensureCollections();
  emulator.clearRequests();
  return store;
}

describeStoreContract('CloudBase (real SDK, emulated server)', () => openStore());

const item = (id: string, rank = 1, extra: Partial<ContractDoc> = {}): ContractDoc => ({
  id,
  owner: 'u1',
  rank,
  active: true,
  note: null,
  ...extra,
});

/** The request bodies of one action, in order. */
const sent = (action: string) =>
  emulator
    .requests()
    .filter((request) => request.action === action)
    .map((request) => request.params);

/** Extended JSON as the SDK writes it: canonical numbers. */
const int = (value: number) => ({ $numberInt: String(value) });

/** Runs with these environment variables, restoring the previous values after. */
async function withEnvironment<T>(values: Record<string, string | undefined>, work: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  const apply = (next: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(next)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(values);
  try {
    return await work();
  } finally {
    apply(saved);
  }
}

const NO_CREDENTIALS = {
  TENCENTCLOUD_SECRETID: undefined,
  TENCENTCLOUD_SECRETKEY: undefined,
  CLOUDBASE_APIKEY: undefined,
};

describe('requests: what each operation costs and sends', () => {
  test('a plain operation is one request; ensureCollections may run again', async () => {
    const store = await openStore();
    await store.create('items', item('a'));
    await store.get('items', 'a');
    await store.update('items', 'a', { rank: 2 });
    await store.find('items', { where: [{ field: 'owner', op: '==', value: 'u1' }] });
    await store.count('items');
    await store.sum('items', 'rank');
    await store.delete('items', 'a');
    expect(emulator.actions()).toEqual([
      'database.insertDocument',
      'database.getDocument',
      'database.modifyDocument',
      'database.getDocument',
      'database.aggregateDocuments',
      'database.aggregateDocuments',
      'database.removeDocument',
    ]);
    await expect(store.ensureCollections()).resolves.toBeUndefined();
  });

  test('a transaction is start, its single-document operations (carrying its id), commit', async () => {
    const store = await openStore();
    await store.create('counters', { id: 'c', value: 1 });
    emulator.clearRequests();
    await store.transaction(async (tx) => {
      const counter = await tx.get('counters', 'c');
      await tx.update('counters', 'c', { value: counter!.value + 1 });
    });
    expect(emulator.actions()).toEqual([
      'database.startTransaction',
      'database.getDocument',
      'database.modifyDocument',
      'database.commitTransaction',
    ]);
    const [start, ...rest] = emulator.requests();
    expect(start!.params.transactionId).toBeUndefined();
    const ids = rest.map((request) => request.params.transactionId);
    expect(ids).toEqual(Array(3).fill(ids[0]));
    expect(ids[0]).toEqual(expect.stringMatching(/\S/));
    expect(await store.get('counters', 'c')).toEqual({ id: 'c', value: 2 });
  });

  test('tx offers single-document operations only: no query can run inside a transaction', async () => {
    const store = await openStore();
    await store.transaction(async (tx) => {
      expect(Object.keys(tx).sort()).toEqual(['create', 'delete', 'get', 'set', 'update']);
    });
  });

  test('update() sends the patch itself; nested objects go through _.set, so they are replaced', async () => {
    const store = await openStore();
    await store.create('items', item('a', 1, { nested: { a: 1, b: 2 } }));
    emulator.clearRequests();
    await store.update('items', 'a', { rank: 7, nested: { a: 9 } });
    const [update] = sent('database.modifyDocument');
    expect(update).toMatchObject({
      collectionName: 'items',
      queryType: 'DOC',
      merge: true,
      upsert: false,
      multi: false,
    });
    expect(JSON.parse(update!.query as string)).toEqual({ _id: 'a' });
    // not `{ data: … }`, and not the dotted `nested.a` a plain object would become (a merge)
    expect(JSON.parse(update!.data as string)).toEqual({ $set: { rank: int(7), nested: { a: int(9) } } });
    expect(emulator.documents('items')[0]).toMatchObject({ _id: 'a', rank: 7, nested: { a: 9 } });
  });

  test('set() replaces the whole document (merge: false, upsert: true); the id travels as _id', async () => {
    const store = await openStore();
    await store.set('items', item('a', 3, { tags: ['t'] }));
    const [set] = sent('database.modifyDocument');
    expect(set).toMatchObject({ merge: false, upsert: true });
    expect(JSON.parse(set!.data as string)).not.toHaveProperty('id');
    expect(emulator.documents('items')).toEqual([
      { _id: 'a', owner: 'u1', rank: 3, active: true, note: null, tags: ['t'] },
    ]);
  });

  test('a patch equal to what is stored updates nothing, and is not taken for a missing document', async () => {
    const store = await openStore();
    await store.create('items', item('a', 5));
    emulator.clearRequests();
    await store.update('items', 'a', { rank: 5 });
    // updated: 0 → one read to tell "unchanged" from "missing"
    expect(emulator.actions()).toEqual(['database.modifyDocument', 'database.getDocument']);
  });
});

describe('transactions: conflicts and retries', () => {
  test('a commit conflict is retried by the SDK, and the work commits exactly once', async () => {
    const store = await openStore();
    await store.create('counters', { id: 'c', value: 0 });
    emulator.clearRequests();
    emulator.conflictNextCommit();
    let runs = 0;
    await store.transaction(async (tx) => {
      runs += 1;
      const counter = await tx.get('counters', 'c');
      await tx.update('counters', 'c', { value: counter!.value + 1 });
    });
    expect(runs).toBe(2);
    const attempt = ['database.startTransaction', 'database.getDocument', 'database.modifyDocument'];
    expect(emulator.actions()).toEqual([
      ...attempt,
      'database.commitTransaction',
      ...attempt,
      'database.commitTransaction',
    ]);
    expect(await store.get('counters', 'c')).toEqual({ id: 'c', value: 1 });
    expect(emulator.liveTransactions()).toBe(0);
  });

  test('a document written outside after the transaction read it: the write conflicts, the re-run sees the change', async () => {
    const store = await openStore();
    const outside = new CloudBaseStore<ContractCollections>({ connection: connection(), collections: CONTRACT_SPECS });
    await store.create('counters', { id: 'c', value: 0 });
    let runs = 0;
    await store.transaction(async (tx) => {
      runs += 1;
      const counter = await tx.get('counters', 'c');
      if (runs === 1) await outside.set('counters', { id: 'c', value: 100 });
      await tx.update('counters', 'c', { value: counter!.value + 1 });
    });
    expect(runs).toBe(2);
    expect(await store.get('counters', 'c')).toEqual({ id: 'c', value: 101 });
  });

  test('the second writer of a document conflicts at once and commits after the first (first writer wins)', async () => {
    const store = await openStore();
    await store.create('counters', { id: 'c', value: 0 });
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstWrote!: () => void;
    const firstHasWritten = new Promise<void>((resolve) => (firstWrote = resolve));
    let secondRuns = 0;
    const first = store.transaction(async (tx) => {
      const counter = await tx.get('counters', 'c');
      await tx.update('counters', 'c', { value: counter!.value + 1 });
      firstWrote();
      await firstMayCommit;
    });
    await firstHasWritten;
    const second = store.transaction(async (tx) => {
      secondRuns += 1;
      if (secondRuns === 2) releaseFirst();
      const counter = await tx.get('counters', 'c');
      await tx.update('counters', 'c', { value: counter!.value + 10 });
    });
    await Promise.all([first, second]);
    expect(secondRuns).toBeGreaterThanOrEqual(2);
    expect(await store.get('counters', 'c')).toEqual({ id: 'c', value: 11 });
  });

  test('conflicts that never end: the SDK retries, then the adapter pauses and retries, then answers UNAVAILABLE', async () => {
    const store = await openStore();
    await store.create('counters', { id: 'c', value: 0 });
    emulator.clearRequests();
    emulator.conflictNextCommit(1000);
    const failure = await store
      .transaction(async (tx) => tx.set('counters', { id: 'c', value: 1 }))
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DependencyUnavailableError);
    expect(failure).toMatchObject({ reason: 'transaction_conflict' });
    // 3 immediate attempts (the SDK's) in each of 10 rounds
    expect(sent('database.commitTransaction')).toHaveLength(30);
    expect(await store.get('counters', 'c')).toEqual({ id: 'c', value: 0 });
  }, 20_000);

  test("the work's own errors leave the transaction as they are, and the transaction is aborted", async () => {
    const store = await openStore();
    const refusal = new AppError('INSUFFICIENT_FUNDS');
    await expect(store.transaction(async () => Promise.reject(refusal))).rejects.toBe(refusal);
    // a message that reads like a network failure is still the work's, not the network's
    const odd = new Error('network timeout while thinking');
    await expect(
      store.transaction(async (tx) => {
        await tx.set('counters', { id: 'c', value: 1 });
        throw odd;
      }),
    ).rejects.toBe(odd);
    expect(emulator.actions().filter((action) => action === 'database.abortTransaction')).toHaveLength(2);
    expect(emulator.actions()).not.toContain('database.commitTransaction');
    expect(emulator.liveTransactions()).toBe(0);
    expect(await store.get('counters', 'c')).toBeNull();
  });
});

describe('failures of the service', () => {
  test('a timeout is DependencyUnavailableError', async () => {
    const store = await openStore({ timeoutMs: 200 });
    emulator.failNext('database.getDocument', { delayMs: 1_000 });
    const started = Date.now();
    const failure = await store.get('items', 'a').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DependencyUnavailableError);
    expect((failure as DependencyUnavailableError).reason).toMatch(/timedout/);
    expect(Date.now() - started).toBeLessThan(900);
  });

  test.each([502, 503, 504])(
    'HTTP %i is DependencyUnavailableError, with a JSON body or a gateway page',
    async (status) => {
      const store = await openStore();
      emulator.failNext('database.insertDocument', { status, body: JSON.stringify({ message: 'busy' }) });
      await expect(store.create('items', item('a'))).rejects.toMatchObject({
        name: 'DependencyUnavailableError',
        reason: `http_${status}`,
      });
      // the SDK parses the body before it looks at the status: an HTML page fails that parse
      emulator.failNext('database.insertDocument', { status });
      await expect(store.create('items', item('a'))).rejects.toMatchObject({
        name: 'DependencyUnavailableError',
        reason: 'malformed_response',
      });
    },
  );

  test('a dropped connection and a refused one are DependencyUnavailableError', async () => {
    const store = await openStore();
    emulator.failNext('database.getDocument', { drop: true });
    await expect(store.get('items', 'a')).rejects.toMatchObject({
      name: 'DependencyUnavailableError',
      reason: 'econnreset',
    });

    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = new CloudBaseStore<ContractCollections>({
      connection: connection({ serviceUrl: `http://127.0.0.1:${port}/admin` }),
      collections: CONTRACT_SPECS,
    });
    await expect(unreachable.get('items', 'a')).rejects.toMatchObject({
      name: 'DependencyUnavailableError',
      reason: 'econnrefused',
    });
  });

  test('a failure inside a transaction: DependencyUnavailableError, the transaction aborted, nothing written', async () => {
    const store = await openStore({ timeoutMs: 200 });
    emulator.failNext('database.getDocument', { status: 503 });
    const failure = await store
      .transaction(async (tx) => {
        await tx.set('counters', { id: 'c', value: 1 });
        await tx.get('counters', 'c');
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DependencyUnavailableError);
    expect(emulator.actions()).toContain('database.abortTransaction');
    expect(await store.get('counters', 'c')).toBeNull();
  });

  test('without credentials nothing is sent: DependencyUnavailableError(credentials)', async () => {
    const store = await openStore();
    const keyless = new CloudBaseStore<ContractCollections>({
      connection: { env: 'test-env', serviceUrl: emulator.url },
      collections: CONTRACT_SPECS,
    });
    await withEnvironment(NO_CREDENTIALS, async () => {
      for (const attempt of [
        () => keyless.get('items', 'a'),
        () => keyless.find('items'),
        () => keyless.sum('items', 'rank'),
        () => keyless.transaction(async (tx) => tx.get('items', 'a')),
      ]) {
        await expect(attempt()).rejects.toMatchObject({ name: 'DependencyUnavailableError', reason: 'credentials' });
      }
    });
    expect(emulator.requests()).toEqual([]);
    await store.close();
  });

  test('an error code CloudBase answers is a CloudBaseError with that code; refused keys are UNAVAILABLE', async () => {
    const store = await openStore();
    emulator.failNext('database.getDocument', { code: 'DATABASE_REQUEST_FAILED', message: 'bad query' });
    const failure = await store.get('items', 'a').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CloudBaseError);
    expect(failure).toMatchObject({ code: 'DATABASE_REQUEST_FAILED' });

    emulator.failNext('database.getDocument', { code: 'AUTH_INVALID', message: 'secret rejected' });
    await expect(store.get('items', 'a')).rejects.toMatchObject({
      name: 'DependencyUnavailableError',
      reason: 'credentials_rejected',
    });
  });

  test('a taken id inside a transaction is DocumentExistsError (the duplicate-key answer, E11000)', async () => {
    const store = await openStore();
    await store.create('items', item('a'));
    await expect(store.transaction(async (tx) => tx.create('items', item('a')))).rejects.toBeInstanceOf(
      DocumentExistsError,
    );
  });
});

describe('documents written by WeChat clients (_openid) are refused', () => {
  const planted = async () => {
    const store = await openStore();
    await store.create('items', item('mine', 1));
    emulator.clientAdd(
      'items',
      { _id: 'forged', owner: 'u1', rank: 1_000_000, active: true, note: null },
      'o-attacker',
    );
    return store;
  };

  test('reading one — get, find, inside a transaction — throws UntrustedDocumentError, a MisconfiguredError', async () => {
    const store = await planted();
    const attempts = [
      () => store.get('items', 'forged'),
      () => store.find('items', { where: [{ field: 'owner', op: '==', value: 'u1' }] }),
      () => store.transaction(async (tx) => tx.get('items', 'forged')),
    ];
    for (const attempt of attempts) {
      const failure = await attempt().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(UntrustedDocumentError);
      expect(failure).toBeInstanceOf(MisconfiguredError);
      expect((failure as Error).message).toContain('collection items');
      expect((failure as Error).message).not.toContain('o-attacker');
    }
    expect(await store.get('items', 'mine')).toEqual(item('mine', 1));
  });

  test('counting or summing over one throws too; over trusted documents only, it does not', async () => {
    const store = await planted();
    await expect(store.sum('items', 'rank')).rejects.toBeInstanceOf(UntrustedDocumentError);
    await expect(store.count('items', [{ field: 'owner', op: '==', value: 'u1' }])).rejects.toBeInstanceOf(
      UntrustedDocumentError,
    );
    expect(await store.sum('items', 'rank', [{ field: 'id', op: '==', value: 'mine' }])).toBe(1);
    expect(await store.count('items', [{ field: 'id', op: '!=', value: 'forged' }])).toBe(1);
  });

  test('a compare-and-set update never takes one over: updateIf leaves it as the client wrote it', async () => {
    const store = await planted();
    expect(await store.updateIf('items', 'forged', [{ field: 'owner', op: '==', value: 'u1' }], { rank: 1 })).toBe(
      false,
    );
    expect(emulator.documents('items').find((doc) => doc._id === 'forged')).toMatchObject({ rank: 1_000_000 });
    expect(await store.updateIf('items', 'mine', [{ field: 'owner', op: '==', value: 'u1' }], { rank: 2 })).toBe(true);
  });

  test('a function meeting one answers INTERNAL and logs what to fix, without the openid', async () => {
    emulator.reset();
    const store = new CloudBaseStore<Collections>({ connection: connection(), collections: COLLECTION_SPECS });
    await store.ensureCollections();
    // a client added the account document the session looks up, pointing the victim at a user of its choosing
    emulator.clientAdd('wxAccounts', { _id: 'o-victim', userId: 'u_forged', createdAt: 0 }, 'o-attacker');
    const log = new MemoryLogger();
    const clock = new ManualClock();
    const ids = { next: (prefix: string) => `${prefix}_${Math.random().toString(36).slice(2)}` };
    const main = createMain(userFunction, () => testDeps({ store, clock, ids, log }));
    const answer = await main(
      { action: 'session' },
      { request_id: 'r1', environment: JSON.stringify({ WX_OPENID: 'o-victim', WX_CONTEXT_KEYS: 'WX_OPENID' }) },
    );
    expect(answer).toEqual({ ok: false, error: { code: 'INTERNAL', message: expect.any(String) } });
    const lines = log.lines.join('\n');
    expect(lines).toContain('function.misconfigured');
    expect(lines).toContain('collection wxAccounts');
    expect(lines).not.toContain('o-attacker');
  });
});

test('inside an SCF-like process the SDK finds the emulator through TCB_CONTEXT_CNFG and the env through SCF_NAMESPACE', async () => {
  emulator.reset();
  await withEnvironment(
    {
      TENCENTCLOUD_RUNENV: 'SCF',
      SCF_NAMESPACE: 'scf-env',
      TENCENTCLOUD_REGION: 'ap-shanghai',
      TENCENTCLOUD_SECRETID: 'scf-temporary-id',
      TENCENTCLOUD_SECRETKEY: 'scf-temporary-key',
      TCB_CONTEXT_CNFG: JSON.stringify({ URL: emulator.url }),
    },
    async () => {
      // what a deployed function has: no env, no keys, no serviceUrl in its connection
      const store = new CloudBaseStore<ContractCollections>({ connection: {}, collections: CONTRACT_SPECS });
      await store.ensureCollections();
      await store.create('items', item('a'));
      expect(await store.get('items', 'a')).toEqual(item('a'));
    },
  );
  expect(emulator.requests().map((request) => request.params.envName)).toEqual(
    Array(emulator.requests().length).fill('scf-env'),
  );
  expect(emulator.actions()).toContain('database.insertDocument');
});
