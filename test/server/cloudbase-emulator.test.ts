/**
 * The CloudBase emulator itself (test/helpers/cloudbase-emulator.ts), as the SDK sees it: its
 * process entry for the cold-start bench, its refusals (it never ignores what it does not
 * support), the query semantics beyond the Store contract, cloud storage and the binary open API.
 */
import path from 'node:path';
import {
  callCloudBase,
  CloudBaseError,
  type CloudBaseApp,
  type CloudBaseConnection,
} from '../../server/adapters/cloudbase/app';
import { CloudBaseStore } from '../../server/adapters/cloudbase/store';
import { startCloudBaseEmulator, type CloudBaseEmulator, type EmulatedDocument } from '../helpers/cloudbase-emulator';
import { startEmulatorProcess } from '../helpers/cloudbase-emulator-process';
import { removeTempDirs, tempDbFile } from '../helpers/tmp';

type Database = ReturnType<CloudBaseApp['database']>;
type Query = ReturnType<ReturnType<Database['collection']>['where']>;

let emulator: CloudBaseEmulator;
beforeAll(async () => {
  emulator = await startCloudBaseEmulator();
});
afterAll(async () => {
  await emulator.close();
  removeTempDirs();
});
beforeEach(() => emulator.reset());

const connection = (serviceUrl = emulator.url): CloudBaseConnection => ({
  env: 'test-env',
  secretId: 'x',
  secretKey: 'y',
  serviceUrl,
});

async function post(body: unknown, headers: Record<string, string> = { authorization: 'TC3-HMAC-SHA256 test' }) {
  const response = await fetch(emulator.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return (await response.json()) as { code?: string; message?: string };
}

test('its process entry prints its URL on one line and serves the SDK until killed', async () => {
  const { url, child } = await startEmulatorProcess(path.dirname(tempDbFile('emulator-bundle')));
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/admin$/);
  // collections appear on first write there: nothing provisions them in a bench
  const store = new CloudBaseStore<{ items: { id: string; n: number } }>({
    connection: connection(url),
    collections: { items: { indexes: [] } },
  });
  await store.create('items', { id: 'a', n: 1 });
  expect(await store.get('items', 'a')).toEqual({ id: 'a', n: 1 });
  const exit = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  expect(await exit).toBe(0);
}, 30_000);

test('what it does not support is an error code, never silence; unsigned requests are refused', async () => {
  emulator.createCollections('c');
  expect(await post({ action: 'database.updateDocument', collectionName: 'c' })).toMatchObject({
    code: 'EMULATOR_UNSUPPORTED',
  });
  expect(
    await post({ action: 'database.getDocument', collectionName: 'c', query: '{"tags":{"$all":["x"]}}' }),
  ).toMatchObject({
    code: 'EMULATOR_UNSUPPORTED',
    message: expect.stringContaining('$all'),
  });
  expect(await post({ action: 'database.getDocument', collectionName: 'missing', query: '{}' })).toMatchObject({
    code: 'DATABASE_COLLECTION_NOT_EXIST',
  });
  expect(await post({ action: 'database.getDocument', collectionName: 'c', query: '{}' }, {})).toMatchObject({
    code: 'SIGN_PARAM_INVALID',
  });
  expect(await post({ action: 'wx.api', apiName: '/wxa/unknown', requestData: '{}' })).toMatchObject({
    code: 'EMULATOR_UNSUPPORTED',
  });
  // through the SDK, the same answers arrive as the adapter's CloudBaseError
  const failure = await callCloudBase(connection(), 'test', (app) => {
    const db = app.database();
    return db
      .collection('c')
      .where({ tags: db.command.all(['x']) })
      .get();
  }).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(CloudBaseError);
  expect(failure).toMatchObject({ code: 'EMULATOR_UNSUPPORTED' });
});

test('queries: dotted paths, array fields, several sort keys, skip and limit, as MongoDB answers them', async () => {
  emulator.createCollections('c');
  const docs: EmulatedDocument[] = [
    { _id: 'a', group: 1, rank: 3, tags: ['x', 'y'], week: [{ open: 1 }, null] },
    { _id: 'b', group: 2, rank: 1, tags: ['y'], week: [{ open: 5 }, { open: 2 }] },
    { _id: 'c', group: 1, rank: 2, tags: [], week: [null, { open: 3 }] },
    { _id: 'd', group: 2, rank: 2 },
  ];
  for (const doc of docs) emulator.putDocument('c', doc);
  const ids = (query: (db: Database) => Query) =>
    callCloudBase(connection(), 'test', async (app) => {
      const result = await query(app.database()).get();
      return (result.data as { _id: string }[]).map((doc) => doc._id);
    });
  expect(await ids((db) => db.collection('c').where({ tags: 'y' }))).toEqual(['a', 'b']);
  expect(await ids((db) => db.collection('c').where({ 'week.1.open': 2 }))).toEqual(['b']);
  expect(await ids((db) => db.collection('c').where({ 'week.0.open': db.command.lte(4) }))).toEqual(['a']);
  expect(
    await ids((db) => db.collection('c').where({ rank: db.command.in([1, 3]), group: db.command.neq(2) })),
  ).toEqual(['a']);
  expect(await ids((db) => db.collection('c').where({}).orderBy('group', 'desc').orderBy('rank', 'asc'))).toEqual([
    'b',
    'd',
    'c',
    'a',
  ]);
  expect(await ids((db) => db.collection('c').where({}).orderBy('_id', 'asc').skip(1).limit(2))).toEqual(['b', 'c']);
});

test('cloud storage: upload, temporary URL, download and delete, in memory', async () => {
  const content = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from('an image'),
  ]);
  const { fileID } = await callCloudBase(connection(), 'test', (app) =>
    app.uploadFile({ cloudPath: 'codes/a.png', fileContent: content }),
  );
  expect(fileID).toBe('cloud://test-env.emulated-bucket/codes/a.png');
  expect(emulator.files().get('codes/a.png')).toEqual({ content, contentType: 'image/png' });
  const { fileList } = await callCloudBase(connection(), 'test', (app) =>
    app.getTempFileURL({ fileList: [fileID, 'cloud://test-env.emulated-bucket/missing.png'] }),
  );
  expect(fileList.map((file: { code: string }) => file.code)).toEqual(['SUCCESS', 'STORAGE_FILE_NONEXIST']);
  const downloaded = await callCloudBase(connection(), 'test', (app) => app.downloadFile({ fileID }));
  expect(downloaded.fileContent).toEqual(content);
  await callCloudBase(connection(), 'test', (app) => app.deleteFile({ fileList: [fileID] }));
  expect(emulator.files().size).toBe(0);
  expect(emulator.actions()).toEqual([
    'storage.getUploadMetadata',
    'storage.batchGetDownloadUrl',
    'storage.batchGetDownloadUrl',
    'storage.batchDeleteFile',
  ]);
});

test('the binary open API (wx.openApi) answers bytes, or JSON the SDK parses', async () => {
  const image = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
  emulator.answerOpenApi('/wxa/getwxacodeunlimit', (request) =>
    (request as { scene?: string }).scene === 'bad' ? { errcode: 40169, errmsg: 'invalid scene' } : image,
  );
  const call = (scene: string) =>
    callCloudBase(connection(), 'test', (app) =>
      app.callCompatibleWxOpenApi({
        apiName: '/wxa/getwxacodeunlimit',
        requestData: Buffer.from(JSON.stringify({ scene })),
      }),
    );
  expect(await call('good')).toEqual(image);
  expect(await call('bad')).toEqual({ errcode: 40169, errmsg: 'invalid scene' });
  expect(emulator.openApiCalls()).toEqual([
    { apiName: '/wxa/getwxacodeunlimit', requestData: { scene: 'good' } },
    { apiName: '/wxa/getwxacodeunlimit', requestData: { scene: 'bad' } },
  ]);
});
