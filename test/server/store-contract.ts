/**
 * The behaviour every Store adapter must have. Runs against SQLite always, and against any other
 * adapter whose test file calls it (CloudBase when credentials are present).
 */
import { DocumentExistsError, DocumentMissingError, type Store } from '../../server/domain/ports/store';

export interface ContractDoc {
  id: string;
  owner: string;
  rank: number;
  active: boolean;
  note: string | null;
  tags?: string[];
  nested?: { a?: number; b?: number };
  /** GeoJSON, as branch documents carry it (CloudBase's SDK reads it back as its own Point object). */
  place?: { type: 'Point'; coordinates: [number, number] };
}

export interface ContractCollections {
  items: ContractDoc;
  counters: { id: string; value: number };
}

export const CONTRACT_SPECS = {
  items: { indexes: [['owner', 'rank'], ['active']] },
  counters: { indexes: [] },
};

export function describeStoreContract(adapter: string, open: () => Promise<Store<ContractCollections>>): void {
  describe(`Store contract: ${adapter}`, () => {
    let store: Store<ContractCollections>;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    const item = (id: string, owner: string, rank: number, extra: Partial<ContractDoc> = {}): ContractDoc => ({
      id,
      owner,
      rank,
      active: rank % 2 === 0,
      note: null,
      ...extra,
    });

    test('create then get returns the same document; a missing id is null', async () => {
      const doc = item('a', 'u1', 1, { tags: ['x', 'y'], nested: { a: 1 } });
      await store.create('items', doc);
      expect(await store.get('items', 'a')).toEqual(doc);
      expect(await store.get('items', 'missing')).toBeNull();
    });

    test('a GeoJSON point reads back as the plain GeoJSON stored', async () => {
      const place = { type: 'Point' as const, coordinates: [126.6424, 45.7567] as [number, number] };
      await store.create('items', item('g', 'u1', 1, { place }));
      expect((await store.get('items', 'g'))?.place).toEqual(place);
      expect((await store.find('items', { where: [{ field: 'owner', op: '==', value: 'u1' }] }))[0]?.place).toEqual(
        place,
      );
    });

    test('create refuses a taken id with DocumentExistsError and keeps the original', async () => {
      await store.create('items', item('a', 'u1', 1));
      await expect(store.create('items', item('a', 'u2', 2))).rejects.toBeInstanceOf(DocumentExistsError);
      expect((await store.get('items', 'a'))?.owner).toBe('u1');
    });

    test('set creates and replaces whole documents', async () => {
      await store.set('items', item('a', 'u1', 1, { note: 'first', tags: ['t'] }));
      await store.set('items', item('a', 'u1', 5));
      expect(await store.get('items', 'a')).toEqual(item('a', 'u1', 5));
    });

    test('update merges top-level fields, replaces nested objects, and refuses a missing document', async () => {
      await store.create('items', item('a', 'u1', 1, { nested: { a: 1, b: 2 } }));
      await store.update('items', 'a', { rank: 7, nested: { a: 9 } });
      expect(await store.get('items', 'a')).toEqual(item('a', 'u1', 7, { nested: { a: 9 } }));
      await expect(store.update('items', 'nope', { rank: 1 })).rejects.toBeInstanceOf(DocumentMissingError);
    });

    test('updateIf updates only a document that still matches, and says whether it did', async () => {
      await store.create('items', item('a', 'u1', 1, { nested: { a: 1, b: 2 } }));
      const stillFirst = [{ field: 'rank' as const, op: '==' as const, value: 1 }];
      expect(await store.updateIf('items', 'a', stillFirst, { rank: 2, nested: { a: 5 } })).toBe(true);
      expect(await store.get('items', 'a')).toEqual({ ...item('a', 'u1', 1), rank: 2, nested: { a: 5 } });
      // the condition no longer holds: nothing changes
      expect(await store.updateIf('items', 'a', stillFirst, { rank: 3 })).toBe(false);
      expect((await store.get('items', 'a'))?.rank).toBe(2);
      // several conditions all must hold; the id is part of the match
      await store.create('items', item('b', 'u1', 1));
      const owned = [
        { field: 'owner' as const, op: '==' as const, value: 'u1' },
        { field: 'rank' as const, op: '<' as const, value: 2 },
      ];
      expect(await store.updateIf('items', 'b', owned, { note: 'taken' })).toBe(true);
      expect((await store.get('items', 'a'))?.note).toBeNull();
      expect(await store.updateIf('items', 'missing', [], { rank: 1 })).toBe(false);
      expect(await store.get('items', 'missing')).toBeNull();
    });

    test('delete removes; deleting a missing id is not an error', async () => {
      await store.create('items', item('a', 'u1', 1));
      await store.delete('items', 'a');
      await store.delete('items', 'a');
      expect(await store.get('items', 'a')).toBeNull();
    });

    test('find filters, sorts and limits', async () => {
      for (let i = 0; i < 10; i++) await store.create('items', item(`i${i}`, i < 6 ? 'u1' : 'u2', i));
      const mine = await store.find('items', {
        where: [{ field: 'owner', op: '==', value: 'u1' }],
        orderBy: [['rank', 'desc']],
        limit: 3,
      });
      expect(mine.map((d) => d.id)).toEqual(['i5', 'i4', 'i3']);
      const ranged = await store.find('items', {
        where: [
          { field: 'rank', op: '>=', value: 2 },
          { field: 'rank', op: '<', value: 5 },
        ],
        orderBy: [['rank', 'asc']],
      });
      expect(ranged.map((d) => d.rank)).toEqual([2, 3, 4]);
      const some = await store.find('items', {
        where: [{ field: 'id', op: 'in', value: ['i1', 'i7', 'zz'] }],
        orderBy: [['rank', 'asc']],
      });
      expect(some.map((d) => d.id)).toEqual(['i1', 'i7']);
      expect(await store.find('items', { where: [{ field: 'id', op: 'in', value: [] }] })).toEqual([]);
      const notU1 = await store.find('items', { where: [{ field: 'owner', op: '!=', value: 'u1' }] });
      expect(notU1).toHaveLength(4);
    });

    test('booleans and nulls compare as stored', async () => {
      await store.create('items', item('a', 'u1', 2, { note: 'x' }));
      await store.create('items', item('b', 'u1', 3));
      expect(
        (await store.find('items', { where: [{ field: 'active', op: '==', value: true }] })).map((d) => d.id),
      ).toEqual(['a']);
      expect(
        (await store.find('items', { where: [{ field: 'active', op: '==', value: false }] })).map((d) => d.id),
      ).toEqual(['b']);
      expect(
        (await store.find('items', { where: [{ field: 'note', op: '==', value: null }] })).map((d) => d.id),
      ).toEqual(['b']);
      expect(await store.count('items', [{ field: 'note', op: '!=', value: null }])).toBe(1);
      expect(await store.count('items')).toBe(2);
    });

    test('sum adds a numeric field over the matching documents, 0 when none match', async () => {
      for (let i = 1; i <= 4; i++) await store.create('items', item(`i${i}`, i <= 2 ? 'u1' : 'u2', i * -10));
      expect(await store.sum('items', 'rank')).toBe(-100);
      expect(await store.sum('items', 'rank', [{ field: 'owner', op: '==', value: 'u1' }])).toBe(-30);
      expect(await store.sum('items', 'rank', [{ field: 'owner', op: '==', value: 'nobody' }])).toBe(0);
    });

    test('a transaction commits all of its writes', async () => {
      await store.transaction(async (tx) => {
        await tx.create('items', item('a', 'u1', 1));
        await tx.set('counters', { id: 'c', value: 1 });
        const read = await tx.get('items', 'a');
        expect(read?.id).toBe('a');
      });
      expect(await store.get('items', 'a')).not.toBeNull();
      expect(await store.get('counters', 'c')).toEqual({ id: 'c', value: 1 });
    });

    test('a transaction that throws leaves nothing behind', async () => {
      await store.create('counters', { id: 'c', value: 1 });
      await expect(
        store.transaction(async (tx) => {
          await tx.update('counters', 'c', { value: 2 });
          await tx.create('items', item('a', 'u1', 1));
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await store.get('counters', 'c')).toEqual({ id: 'c', value: 1 });
      expect(await store.get('items', 'a')).toBeNull();
    });

    test('a failed create inside a transaction rolls the whole transaction back', async () => {
      await store.create('items', item('a', 'u1', 1));
      await expect(
        store.transaction(async (tx) => {
          await tx.set('counters', { id: 'c', value: 1 });
          await tx.create('items', item('a', 'u9', 9));
        }),
      ).rejects.toBeInstanceOf(DocumentExistsError);
      expect(await store.get('counters', 'c')).toBeNull();
    });

    test('concurrent read-modify-write transactions lose no update', async () => {
      await store.create('counters', { id: 'c', value: 0 });
      await Promise.all(
        Array.from({ length: 50 }, () =>
          store.transaction(async (tx) => {
            const counter = await tx.get('counters', 'c');
            await tx.update('counters', 'c', { value: (counter?.value ?? 0) + 1 });
          }),
        ),
      );
      expect((await store.get('counters', 'c'))?.value).toBe(50);
      // Over HTTP (CloudBase) 50 writers of one document take a few seconds of conflicts and retries.
    }, 30_000);
  });
}
