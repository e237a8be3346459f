/**
 * CloudBaseBranchLocator through the real @cloudbase/node-sdk on the CloudBase emulator: the same
 * contract the SQLite locator meets (brute-force order, radius, cursor paging with ties, filters),
 * against a geoNear that measures with MongoDB's Earth radius, not the domain's; plus the request
 * it sends, its failures, and branches written by WeChat clients.
 */
import { UntrustedDocumentError } from '../../server/adapters/cloudbase/app';
import { CloudBaseBranchLocator } from '../../server/adapters/cloudbase/branch-locator';
import { CloudBaseStore } from '../../server/adapters/cloudbase/store';
import { COLLECTION_SPECS, type BranchDoc, type Collections } from '../../server/domain/collections';
import { DependencyUnavailableError } from '../../server/domain/ports/failures';
import { startCloudBaseEmulator, type CloudBaseEmulator, type EmulatedDocument } from '../helpers/cloudbase-emulator';
import { branch, CENTRES, describeBranchLocatorContract } from './branch-locator-contract';

let emulator: CloudBaseEmulator;
beforeAll(async () => {
  emulator = await startCloudBaseEmulator();
});
afterAll(async () => {
  await emulator.close();
});

const connection = (timeoutMs?: number) => ({
  env: 'test-env',
  secretId: 'x',
  secretKey: 'y',
  serviceUrl: emulator.url,
  timeoutMs,
});

/** Branches written the way the functions write them: through CloudBaseStore. */
async function seed(docs: BranchDoc[]): Promise<void> {
  emulator.reset();
  emulator.createCollections('branches');
  const store = new CloudBaseStore<Collections>({ connection: connection(), collections: COLLECTION_SPECS });
  // a few at a time: the SDK's keep-alive sockets warn when many requests queue on one
  const queue = [...docs];
  const writer = async () => {
    for (let doc = queue.shift(); doc; doc = queue.shift()) await store.set('branches', doc);
  };
  await Promise.all(Array.from({ length: 8 }, writer));
  emulator.clearRequests();
}

const beijing = CENTRES[3]!;

/**
 * The contract's many scenarios put their branches straight into the emulator: what it checks is
 * the locator's reading (the store's writing has its own contract), and thousands of writes over
 * HTTP would make it slow. The stored shape is what CloudBaseStore writes: `_id` for `id`.
 */
function putBranches(docs: BranchDoc[]): Promise<void> {
  emulator.reset();
  emulator.createCollections('branches');
  for (const { id, ...rest } of docs) emulator.putDocument('branches', { _id: id, ...rest } as EmulatedDocument);
  return Promise.resolve();
}

test('branches put into the emulator read back exactly as those written through CloudBaseStore', async () => {
  const docs = [branch('w1', beijing, 0), branch('w2', beijing, 1)];
  await seed(docs);
  const written = emulator.documents('branches');
  await putBranches(docs);
  expect(emulator.documents('branches')).toEqual(written);
});

describeBranchLocatorContract('CloudBase (real SDK, emulated geoNear)', async () => ({
  locator: new CloudBaseBranchLocator({ connection: connection() }),
  replaceBranches: putBranches,
  close: async () => {},
}));

test('one page is one geoNear request: key, spherical, the filter in where syntax, metres', async () => {
  await seed([branch('a', beijing, 0), branch('b', beijing, 1)]);
  const locator = new CloudBaseBranchLocator({ connection: connection() });
  const hits = await locator.nearby({
    ...beijing,
    radiusM: 1_000,
    limit: 10,
    bankCodes: ['ICBC'],
    service: 'personal',
    openAt: { weekday: 2, minute: 600 },
  });
  expect(hits.map((hit) => hit.branch.id)).toEqual(['a']);
  expect(hits[0]!.branch).toEqual(branch('a', beijing, 0));
  const requests = emulator.requests();
  expect(requests.map((request) => request.action)).toEqual(['database.aggregateDocuments']);
  const stages = requests[0]!.params.stages as { stageKey: string; stageValue: string }[];
  expect(stages.map((stage) => stage.stageKey)).toEqual(['$geoNear']);
  const geoNear = JSON.parse(stages[0]!.stageValue) as Record<string, unknown>;
  expect(geoNear).toMatchObject({
    spherical: true,
    key: 'location',
    near: { type: 'Point' },
    query: {
      bankCode: { $in: ['ICBC'] },
      services: 'personal',
      'week.2.open': { $lte: { $numberInt: '600' } },
      'week.2.close': { $gt: { $numberInt: '600' } },
    },
  });
  expect(geoNear).not.toHaveProperty('minDistance');
});

test('a branch written by a WeChat client is refused, not shown', async () => {
  await seed([branch('a', beijing, 0)]);
  const { id: _id, ...fake } = branch('fake', beijing, 0);
  emulator.clientAdd('branches', { ...fake, _id: 'fake' }, 'o-attacker');
  const locator = new CloudBaseBranchLocator({ connection: connection() });
  await expect(locator.nearby({ ...beijing, radiusM: 1_000, limit: 10 })).rejects.toBeInstanceOf(
    UntrustedDocumentError,
  );
});

test('a timeout or a 5xx is DependencyUnavailableError; a missing 2dsphere index is a CloudBaseError', async () => {
  await seed([branch('a', beijing, 0)]);
  const locator = new CloudBaseBranchLocator({ connection: connection(200) });
  emulator.failNext('database.aggregateDocuments', { delayMs: 1_000 });
  await expect(locator.nearby({ ...beijing, radiusM: 1_000, limit: 10 })).rejects.toBeInstanceOf(
    DependencyUnavailableError,
  );
  emulator.failNext('database.aggregateDocuments', { status: 503, body: '{}' });
  await expect(locator.nearby({ ...beijing, radiusM: 1_000, limit: 10 })).rejects.toMatchObject({
    reason: 'http_503',
  });
  emulator.failNext('database.aggregateDocuments', {
    code: 'DATABASE_REQUEST_FAILED',
    message: 'unable to find index for $geoNear query',
  });
  await expect(locator.nearby({ ...beijing, radiusM: 1_000, limit: 10 })).rejects.toMatchObject({
    name: 'CloudBaseError',
    code: 'DATABASE_REQUEST_FAILED',
  });
});
