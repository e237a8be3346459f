/**
 * 小程序码: the WeChat adapter (wxacode.getUnlimited and the cloud-storage cache) through the real
 * node SDK against the CloudBase emulator, and a receive code's scene → token end to end — on the
 * local host with the sandbox's codes, and through the `qrcode` function with the WeChat adapter.
 */
import { createHash } from 'node:crypto';
import nock from 'nock';
import { qrPngDataUrl } from '../../server/adapters/qr-image';
import {
  GET_UNLIMITED_API,
  WechatMiniProgramCodes,
  type GetUnlimitedRequest,
  type WechatMiniProgramCodesOptions,
} from '../../server/adapters/wechat/miniprogram-code';
import { DependencyUnavailableError, MisconfiguredError } from '../../server/domain/ports/failures';
import { SCAN_PAGE } from '../../server/domain/qrcode/scenes';
import { qrcodeFunction } from '../../server/functions/qrcode';
import { createMain } from '../../server/runtime/main';
import { CONFIG } from '../../server/config';
import type { MiniProgramCodeView, ReceiveCodeView, ScanResolution } from '../../typings/qrcode';
import { startCloudBaseEmulator, type CloudBaseEmulator } from '../helpers/cloudbase-emulator';
import { startTestHost, type TestHost } from '../helpers/host';
import { readQrImage } from '../helpers/qr';
import { act, ALICE, BOB, bindCard, ok, verifiedUser } from '../helpers/verification';

let emulator: CloudBaseEmulator;
beforeAll(async () => {
  emulator = await startCloudBaseEmulator();
  // The emulator's temporary download URLs percent-encode the cloud path ('/' → %2F), which the
  // SDK's downloadFile encodes once more (%252F) — CloudBase's own keep the path's slashes. Until
  // the emulator does too, those downloads are answered here from the emulator's own files.
  const files = new URL(emulator.url).origin;
  // The SDK asks Tencent Cloud's metadata service whether it runs there before every request (and
  // waits out a timeout when it cannot reach it): here it is answered "no" at once.
  nock('http://metadata.tencentyun.com').persist().get(/.*/).reply(404, '');
  nock(files, { allowUnmocked: true })
    .persist()
    .get(/^\/cos\/[^?]*%252F/)
    .reply((uri) => {
      const cloudPath = decodeURIComponent(decodeURIComponent(uri.slice('/cos/'.length).split('?')[0]!));
      const file = emulator.files().get(cloudPath);
      return file ? [200, file.content, { 'content-type': file.contentType }] : [404, ''];
    });
});
afterAll(async () => {
  nock.cleanAll();
  nock.restore();
  await emulator.close();
});
beforeEach(() => emulator.reset());

const connection = () => ({ env: 'test-env', secretId: 'x', secretKey: 'y', serviceUrl: emulator.url });
const wechat = (options: Partial<WechatMiniProgramCodesOptions> = {}) =>
  new WechatMiniProgramCodes({ connection: connection(), envVersion: 'release', ...options });

const SCENE = 's.AAAAAAAAAAAAAAAAAAAAAAAA';
let png: Buffer;
beforeAll(async () => {
  const dataUrl = await qrPngDataUrl('a picture WeChat drew');
  png = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
});
const jpeg = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
  Buffer.from('JFIF jpeg body'),
  Buffer.from([0xff, 0xd9]),
]);

const generated = () => emulator.openApiCalls().filter((call) => call.apiName === GET_UNLIMITED_API);

describe('the WeChat adapter', () => {
  test('asks wxacode.getUnlimited once, keeps the image in cloud storage, and serves it from there after', async () => {
    emulator.answerOpenApi(GET_UNLIMITED_API, png.toString('base64'));
    const first = await wechat().image({ scene: SCENE, page: SCAN_PAGE });
    expect(first).toEqual({
      mimeType: 'image/png',
      base64: png.toString('base64'),
      fileId: expect.stringMatching(/^cloud:\/\/test-env\.emulated-bucket\/mpcode\/[0-9a-f]{64}$/),
    });
    expect(generated()).toEqual([
      {
        apiName: GET_UNLIMITED_API,
        requestData: {
          scene: SCENE,
          page: 'pages/qrcode/scan/index',
          check_path: true,
          env_version: 'release',
          width: CONFIG.qr.imageWidthPx,
        } satisfies GetUnlimitedRequest,
      },
    ]);
    const stored = [...emulator.files().entries()];
    expect(stored).toHaveLength(1);
    expect(stored[0]![1].content.equals(png)).toBe(true);
    expect(first.fileId).toBe(`cloud://test-env.emulated-bucket/${stored[0]![0]}`);

    // the same instance (which knows the bucket) and a fresh one (a new function instance) read it back
    const adapter = wechat();
    for (const again of [
      await adapter.image({ scene: SCENE, page: SCAN_PAGE }),
      await wechat().image({ scene: SCENE, page: SCAN_PAGE }),
    ]) {
      expect(again).toEqual(first);
    }
    expect(generated()).toHaveLength(1);
    emulator.clearRequests();
    await adapter.image({ scene: SCENE, page: SCAN_PAGE });
    expect(emulator.actions()).toEqual(['storage.batchGetDownloadUrl']);
  });

  test('another scene, page or version is another image; trial and develop codes are not path-checked', async () => {
    emulator.answerOpenApi(GET_UNLIMITED_API, png.toString('base64'));
    await wechat().image({ scene: SCENE, page: SCAN_PAGE });
    await wechat().image({ scene: 's.BBBBBBBBBBBBBBBBBBBBBBBB', page: SCAN_PAGE });
    await wechat().image({ scene: SCENE, page: 'pages/index/index' });
    await wechat({ envVersion: 'trial' }).image({ scene: SCENE, page: SCAN_PAGE });
    await wechat({ envVersion: 'develop', checkPath: false }).image({ scene: SCENE, page: SCAN_PAGE });
    expect(generated().map((call) => call.requestData)).toEqual([
      expect.objectContaining({ env_version: 'release', check_path: true }),
      expect.objectContaining({ scene: 's.BBBBBBBBBBBBBBBBBBBBBBBB' }),
      expect.objectContaining({ page: 'pages/index/index' }),
      expect.objectContaining({ env_version: 'trial', check_path: false }),
      expect.objectContaining({ env_version: 'develop', check_path: false }),
    ]);
    expect(emulator.files().size).toBe(5);
    const paths = [...emulator.files().keys()];
    const expected = createHash('sha256')
      .update(JSON.stringify(['release', CONFIG.qr.imageWidthPx, SCAN_PAGE, SCENE]))
      .digest('hex');
    expect(paths[0]).toBe(`mpcode/${expected}`);
  });

  test.each([
    ['base64 text', () => jpeg.toString('base64'), 'image/jpeg'],
    ['a byte-per-character string', () => jpeg.toString('latin1'), 'image/jpeg'],
    ['a serialized Buffer', () => ({ type: 'Buffer', data: [...png] }), 'image/png'],
  ] as const)('reads the image sent as %s', async (_label, answer, mimeType) => {
    emulator.answerOpenApi(GET_UNLIMITED_API, answer());
    const image = await wechat().image({ scene: SCENE, page: SCAN_PAGE });
    expect(image.mimeType).toBe(mimeType);
    expect(Buffer.from(image.base64, 'base64').equals(mimeType === 'image/png' ? png : jpeg)).toBe(true);
  });

  test.each([
    [
      '41030: page not released',
      { errcode: 41030, errmsg: 'invalid page hint' },
      MisconfiguredError,
      /page does not exist/,
    ],
    ['40169: invalid scene', { errcode: 40169, errmsg: 'invalid scene' }, MisconfiguredError, /invalid scene/],
    [
      '45009: too many calls',
      { errcode: 45009, errmsg: 'reach max api daily quota limit' },
      DependencyUnavailableError,
      /errcode_45009/,
    ],
    ['-1: system busy', { errcode: -1, errmsg: 'system error' }, DependencyUnavailableError, /errcode_-1/],
    [
      'neither image nor errcode',
      { hello: 'world' },
      MisconfiguredError,
      /neither an image nor an errcode \(a object\)/,
    ],
    ['plain text', 'not an image at all', MisconfiguredError, /neither an image nor an errcode \(a string\)/],
  ] as const)('WeChat answers %s: the port’s failure, nothing stored', async (_label, answer, kind, message) => {
    emulator.answerOpenApi(GET_UNLIMITED_API, answer);
    const failure = wechat().image({ scene: SCENE, page: SCAN_PAGE });
    await expect(failure).rejects.toBeInstanceOf(kind);
    await expect(wechat().image({ scene: SCENE, page: SCAN_PAGE })).rejects.toThrow(message);
    expect(emulator.files().size).toBe(0);
  });

  test('CloudBase failing: the open API or storage not answering is UNAVAILABLE; a failed cache write still gives the image', async () => {
    emulator.answerOpenApi(GET_UNLIMITED_API, png.toString('base64'));
    emulator.failNext('wx.api', { drop: true });
    await expect(wechat().image({ scene: SCENE, page: SCAN_PAGE })).rejects.toBeInstanceOf(DependencyUnavailableError);
    emulator.failNext('storage.batchGetDownloadUrl', { drop: true });
    await expect(wechat().image({ scene: SCENE, page: SCAN_PAGE })).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(emulator.files().size).toBe(0);

    // the upload's metadata is refused: the image is still answered, just not kept
    const adapter = wechat();
    await adapter.image({ scene: 's.CCCCCCCCCCCCCCCCCCCCCCCC', page: SCAN_PAGE }); // learns the bucket
    emulator.failNext('storage.getUploadMetadata', { code: 'STORAGE_REQUEST_FAIL' });
    const unkept = await adapter.image({ scene: SCENE, page: SCAN_PAGE });
    expect(unkept).toMatchObject({ mimeType: 'image/png', fileId: null });
  });

  test('settings are checked when built; no credentials fails before any request', async () => {
    expect(() => wechat({ envVersion: 'beta' as never })).toThrow(MisconfiguredError);
    expect(() => wechat({ envVersion: 'trial', checkPath: true })).toThrow(/check_path can only be true/);
    const saved = { ...process.env };
    for (const name of ['TENCENTCLOUD_SECRETID', 'TENCENTCLOUD_SECRETKEY', 'CLOUDBASE_APIKEY'])
      delete process.env[name];
    try {
      const keyless = new WechatMiniProgramCodes({ connection: { serviceUrl: emulator.url }, envVersion: 'release' });
      await expect(keyless.image({ scene: SCENE, page: SCAN_PAGE })).rejects.toMatchObject({ reason: 'credentials' });
      expect(emulator.requests()).toEqual([]);
    } finally {
      process.env = saved;
    }
  });
});

describe('a receive code’s 小程序码, scanned', () => {
  let host: TestHost;
  let bobCardId: string;
  beforeEach(async () => {
    host = await startTestHost();
    await verifiedUser(host, 'o-alice', ALICE);
    await verifiedUser(host, 'o-bob', BOB);
    bobCardId = (await bindCard(host, 'o-bob', '6217000000000000020', BOB)).cardId;
  });
  afterEach(async () => {
    await host.close();
  });

  const bobsCode = (refresh = false) =>
    ok<ReceiveCodeView>(host, 'o-bob', 'qrcode', { action: 'receiveCode', cardId: bobCardId, refresh });
  const resolve = (openid: string, content: string) =>
    act<ScanResolution>(host, openid, 'qrcode', { action: 'resolve', content });

  test('on the local host: the sandbox draws the scene; scanning it resolves to the payee the link names', async () => {
    const code = await bobsCode();
    const mp = await ok<MiniProgramCodeView>(host, 'o-bob', 'qrcode', {
      action: 'miniProgramCode',
      codeId: code.codeId,
    });
    expect(mp).toMatchObject({
      codeId: code.codeId,
      page: SCAN_PAGE,
      scene: expect.stringMatching(/^s\.[A-Za-z0-9_-]{24}$/),
    });
    expect(mp.scene.length).toBeLessThanOrEqual(32);
    // what a camera reads off the sandbox image is the scene: what WeChat hands the scan page
    expect(readQrImage(mp.image)).toBe(mp.scene);
    // one scene per token, asked again
    expect(
      (await ok<MiniProgramCodeView>(host, 'o-bob', 'qrcode', { action: 'miniProgramCode', codeId: code.codeId }))
        .scene,
    ).toBe(mp.scene);

    const byScene = await resolve('o-alice', mp.scene);
    const byLink = await resolve('o-alice', code.content);
    expect(byScene).toEqual(byLink);
    expect(byScene).toMatchObject({
      ok: true,
      data: { kind: 'receive', receiveToken: code.content.slice(CONFIG.qr.linkBase.length) },
    });
    // the scene does not hold the token, and nobody can make one up
    expect(code.content).not.toContain(mp.scene.slice(2));
    const madeUp = await resolve('o-alice', `s.${'A'.repeat(24)}`);
    expect(madeUp).toMatchObject({ ok: false, error: { code: 'QR_MALFORMED' } });

    // a refreshed code stops the old scene too; the new code has a new scene
    const fresh = await bobsCode(true);
    expect(await resolve('o-alice', mp.scene)).toMatchObject({ ok: false, error: { code: 'QR_REVOKED' } });
    const next = await ok<MiniProgramCodeView>(host, 'o-bob', 'qrcode', {
      action: 'miniProgramCode',
      codeId: fresh.codeId,
    });
    expect(next.scene).not.toBe(mp.scene);
    expect(await resolve('o-alice', next.scene)).toMatchObject({ ok: true, data: { kind: 'receive' } });
  });

  test('only the owner’s live code has one', async () => {
    const code = await bobsCode();
    const ask = (openid: string, codeId: string) => act(host, openid, 'qrcode', { action: 'miniProgramCode', codeId });
    expect(await ask('o-alice', code.codeId)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await ask('o-bob', 'rc_0000000000000000')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await ask('o-bob', '../x')).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect((await host.call('qrcode', { action: 'miniProgramCode', codeId: code.codeId })).body).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
    host.clock.advance(CONFIG.qr.receiveCodeTtlMs);
    expect(await ask('o-bob', code.codeId)).toMatchObject({ ok: false, error: { code: 'QR_EXPIRED' } });
    const live = await bobsCode();
    await ok(host, 'o-bob', 'qrcode', { action: 'revokeReceiveCode', codeId: live.codeId });
    expect(await ask('o-bob', live.codeId)).toMatchObject({ ok: false, error: { code: 'QR_REVOKED' } });
  });

  test('through the qrcode function with the WeChat adapter and the real SDK: WeChat draws it once, the scene resolves', async () => {
    emulator.answerOpenApi(GET_UNLIMITED_API, (request) => {
      expect(request).toMatchObject({ page: SCAN_PAGE, env_version: 'trial', check_path: false });
      return jpeg.toString('base64');
    });
    const main = createMain(qrcodeFunction, () => ({
      ...host.app.deps,
      miniProgramCodes: wechat({ envVersion: 'trial' }),
    }));
    const as = (openid: string) => ({
      request_id: 'r',
      environment: JSON.stringify({ WX_OPENID: openid, WX_CONTEXT_KEYS: 'WX_OPENID' }),
    });
    const code = await bobsCode();
    const first = await main({ action: 'miniProgramCode', codeId: code.codeId }, as('o-bob'));
    const again = await main({ action: 'miniProgramCode', codeId: code.codeId }, as('o-bob'));
    expect(first).toEqual({
      ok: true,
      data: {
        codeId: code.codeId,
        scene: expect.any(String),
        page: SCAN_PAGE,
        image: `data:image/jpeg;base64,${jpeg.toString('base64')}`,
      },
    });
    expect(again).toEqual(first);
    expect(generated()).toHaveLength(1);
    const { scene } = (first as { data: MiniProgramCodeView }).data;
    expect(generated()[0]!.requestData).toMatchObject({ scene });
    expect(await main({ action: 'resolve', content: scene }, as('o-alice'))).toMatchObject({
      ok: true,
      data: { kind: 'receive', payee: { label: '中国建设银行(0020) *四' } },
    });

    // WeChat refusing: the caller gets INTERNAL or UNAVAILABLE, and the log says why
    emulator.reset();
    emulator.answerOpenApi(GET_UNLIMITED_API, { errcode: 41030, errmsg: 'invalid page' });
    const refused = await main({ action: 'miniProgramCode', codeId: code.codeId }, as('o-bob'));
    expect(refused).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(host.log.lines.at(-1)).toContain('page does not exist');
  });
});
