/**
 * The SQLite BranchLocator: the shared contract (brute-force distance sort, paging, radius edges —
 * the R*Tree prefilter and the growing search must return exactly the brute-force order), and the
 * R*Tree following the documents.
 */
import { SqliteBranchLocator } from '../../server/adapters/sqlite/branch-locator';
import { MIGRATIONS } from '../../server/adapters/sqlite/schema';
import { SqliteStore } from '../../server/adapters/sqlite/store';
import type { LatLng } from '../../server/domain/branches/geo';
import { COLLECTION_SPECS, type BranchDoc, type Collections } from '../../server/domain/collections';
import { removeTempDirs, tempDbFile } from '../helpers/tmp';
import { branch, CENTRES, describeBranchLocatorContract } from './branch-locator-contract';

afterAll(() => removeTempDirs());

function openStore(file = tempDbFile()) {
  return new SqliteStore<Collections>({ file, collections: COLLECTION_SPECS, migrations: MIGRATIONS });
}

async function save(store: SqliteStore<Collections>, docs: BranchDoc[]) {
  await store.transaction(async (tx) => {
    for (const doc of docs) await tx.set('branches', doc);
  });
}

describeBranchLocatorContract('SQLite', async () => {
  const store = openStore();
  return {
    locator: new SqliteBranchLocator(store),
    replaceBranches: async (docs) => {
      await store.read((db) => db.exec('DELETE FROM branches'));
      await save(store, docs);
    },
    close: () => store.close(),
  };
});

test('the index follows the documents: moved, deleted, and branches that predate the migration', async () => {
  const file = tempDbFile();
  // a file with branches written before the spatial index existed
  const before = new SqliteStore<Collections>({ file, collections: COLLECTION_SPECS });
  const harbin = CENTRES[0]!;
  await before.set('branches', branch('old', harbin, 0));
  await before.close();

  const store = openStore(file);
  const locator = new SqliteBranchLocator(store);
  const ids = async (at: LatLng) =>
    (await locator.nearby({ ...at, radiusM: 1_000, limit: 10 })).map((h) => h.branch.id);
  expect(await ids(harbin)).toEqual(['old']);

  const beijing = CENTRES[3]!;
  await store.update('branches', 'old', { location: { type: 'Point', coordinates: [beijing.lng, beijing.lat] } });
  expect(await ids(harbin)).toEqual([]);
  expect(await ids(beijing)).toEqual(['old']);
  await store.delete('branches', 'old');
  expect(await ids(beijing)).toEqual([]);
  const rows = await store.read((db) => db.prepare('SELECT COUNT(*) AS n FROM branch_geo').get() as { n: number });
  expect(rows.n).toBe(0);
  await store.close();
});
