/**
 * The production 小程序码: WeChat's `wxacode.getUnlimited`
 * (https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/qrcode-link/qr-code/getUnlimitedQRCode.html)
 * through the shared CloudBase app's open-API call, which needs no access token inside CloudBase —
 * only `wxacode.getUnlimited` in the calling function's `permissions.openapi` (config.json).
 *
 * Each image is kept in cloud storage at `mpcode/<SHA-256 of env version, width, page and scene>`
 * and looked up there first, so a code is generated once per token and version: a receive code is
 * shown again and again, and WeChat limits how fast codes may be generated.
 *
 * What WeChat answers, and what was verified of it: the HTTPS API answers the image bytes, or JSON
 * `{ errcode, errmsg }` on failure (WeChat's documentation). The node SDK's `callWxOpenApi` (3.18.3,
 * dist/wx/index.js, read) resolves with `{ result }`, `result` being the gateway's `responseData`
 * JSON-parsed when it parses, else the string itself. How the gateway puts image bytes into that
 * JSON string field is assumed, not verified against a live environment: base64 is read, and so is
 * a byte-per-character (latin1) string or a serialized Buffer `{ type: 'Buffer', data }`; only what
 * starts like a PNG or a JPEG is taken for an image. Anything else is reported as misconfiguration
 * with what came (its type, never its content), so a wrong assumption shows in the first log line.
 */
import { createHash } from 'node:crypto';
import { CONFIG } from '../../config';
import { DependencyUnavailableError, MisconfiguredError } from '../../domain/ports/failures';
import type {
  MiniProgramCodeImage,
  MiniProgramCodeRequest,
  MiniProgramCodes,
} from '../../domain/ports/miniprogram-code';
import { callCloudBase, CloudBaseError, type CloudBaseConnection } from '../cloudbase/app';

export const GET_UNLIMITED_API = '/wxa/getwxacodeunlimit';

/** Which version of the mini program a code opens (WeChat's `env_version`). */
export type MiniProgramEnvVersion = 'release' | 'trial' | 'develop';
export const MINI_PROGRAM_ENV_VERSIONS: readonly MiniProgramEnvVersion[] = ['release', 'trial', 'develop'];

export interface WechatMiniProgramCodesOptions {
  connection: CloudBaseConnection;
  /** `WXBANK_MP_ENV_VERSION`. */
  envVersion: MiniProgramEnvVersion;
  /**
   * Whether WeChat checks that the page exists in the released version (`check_path`). Only a
   * released version can be checked: default true for `release`, false otherwise.
   */
  checkPath?: boolean;
}

/** The body of `POST /wxa/getwxacodeunlimit`. */
export interface GetUnlimitedRequest {
  scene: string;
  page: string;
  check_path: boolean;
  env_version: MiniProgramEnvVersion;
  width: number;
}

/** WeChat's codes that mean our request or deployment is wrong: retrying will not help. */
const DEPLOYMENT_CODES: Record<number, string> = {
  40097: 'invalid arguments',
  40169: 'invalid scene',
  41030: 'the page does not exist in the released mini program (publish it, or set env version / check_path)',
  85096: 'scancode_time is not allowed',
};

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function imageType(bytes: Buffer): MiniProgramCodeImage['mimeType'] | null {
  if (bytes.subarray(0, PNG_MAGIC.length).equals(PNG_MAGIC)) return 'image/png';
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return null;
}

/** The image in an answer, in any of the forms described above; null when there is none. */
function imageIn(result: unknown): { bytes: Buffer; mimeType: MiniProgramCodeImage['mimeType'] } | null {
  const candidates: Buffer[] = [];
  if (Buffer.isBuffer(result)) candidates.push(result);
  else if (typeof result === 'string') {
    if (/^[A-Za-z0-9+/=\s]+$/.test(result)) candidates.push(Buffer.from(result, 'base64'));
    candidates.push(Buffer.from(result, 'latin1'));
  } else if (
    result !== null &&
    typeof result === 'object' &&
    (result as { type?: unknown }).type === 'Buffer' &&
    Array.isArray((result as { data?: unknown }).data)
  ) {
    candidates.push(Buffer.from((result as { data: number[] }).data));
  }
  for (const bytes of candidates) {
    const mimeType = imageType(bytes);
    if (mimeType) return { bytes, mimeType };
  }
  return null;
}

/** WeChat's error in an answer that is not an image. */
function failureOf(result: unknown): Error {
  const errcode = result !== null && typeof result === 'object' ? (result as { errcode?: unknown }).errcode : undefined;
  if (typeof errcode === 'number' && errcode !== 0) {
    const known = DEPLOYMENT_CODES[errcode];
    if (known) return new MisconfiguredError(`wxacode.getUnlimited: ${known} (errcode ${errcode})`);
    // -1 system busy, 45009 too many calls, and whatever else WeChat adds: worth a later retry
    return new DependencyUnavailableError('wechat', `errcode_${errcode}`);
  }
  const shape = Array.isArray(result) ? 'array' : result === null ? 'null' : typeof result;
  return new MisconfiguredError(`wxacode.getUnlimited answered neither an image nor an errcode (a ${shape})`);
}

export class WechatMiniProgramCodes implements MiniProgramCodes {
  private readonly connection: CloudBaseConnection;
  private readonly envVersion: MiniProgramEnvVersion;
  private readonly checkPath: boolean;
  /** `cloud://<env>.<bucket>/`, learned from the first file's id: later look-ups need no extra request. */
  private fileIdPrefix: string | null = null;

  constructor(options: WechatMiniProgramCodesOptions) {
    if (!MINI_PROGRAM_ENV_VERSIONS.includes(options.envVersion)) {
      throw new MisconfiguredError(
        `WXBANK_MP_ENV_VERSION must be ${MINI_PROGRAM_ENV_VERSIONS.join(' or ')}, got ${String(options.envVersion).slice(0, 40)}`,
      );
    }
    if (options.checkPath === true && options.envVersion !== 'release') {
      throw new MisconfiguredError(
        'check_path can only be true for the release version (WXBANK_MP_ENV_VERSION=release)',
      );
    }
    this.connection = options.connection;
    this.envVersion = options.envVersion;
    this.checkPath = options.checkPath ?? options.envVersion === 'release';
  }

  async image(request: MiniProgramCodeRequest): Promise<MiniProgramCodeImage> {
    const body: GetUnlimitedRequest = {
      scene: request.scene,
      page: request.page,
      check_path: this.checkPath,
      env_version: this.envVersion,
      width: CONFIG.qr.imageWidthPx,
    };
    const cloudPath = `mpcode/${createHash('sha256')
      .update(JSON.stringify([body.env_version, body.width, body.page, body.scene]))
      .digest('hex')}`;
    const fileId = await this.fileIdOf(cloudPath);
    const stored = await this.download(fileId);
    if (stored) return stored;

    const answer = await callCloudBase(this.connection, 'wxacode.getUnlimited', (app) =>
      app.callWxOpenApi({ apiName: GET_UNLIMITED_API, requestData: body }),
    );
    const result = (answer as { result?: unknown }).result;
    const image = imageIn(result);
    if (!image) throw failureOf(result);
    let storedAs: string | null = null;
    try {
      storedAs = (
        await callCloudBase(this.connection, 'storage.uploadFile', (app) =>
          app.uploadFile({ cloudPath, fileContent: image.bytes }),
        )
      ).fileID;
    } catch (error) {
      // The image is good: a failed cache write only means it is drawn again next time.
      if (!(error instanceof DependencyUnavailableError || error instanceof CloudBaseError)) throw error;
    }
    return { mimeType: image.mimeType, base64: image.bytes.toString('base64'), fileId: storedAs };
  }

  /** The fileID a cloud path has (or will have once uploaded). */
  private async fileIdOf(cloudPath: string): Promise<string> {
    if (this.fileIdPrefix !== null) return `${this.fileIdPrefix}${cloudPath}`;
    const metadata = await callCloudBase(this.connection, 'storage.getUploadMetadata', (app) =>
      app.getUploadMetadata({ cloudPath }),
    );
    const fileId = (metadata as { data?: { fileId?: unknown } }).data?.fileId;
    if (typeof fileId !== 'string' || !fileId.endsWith(`/${cloudPath}`)) {
      throw new DependencyUnavailableError('cloudbase', 'upload_metadata_without_file_id');
    }
    this.fileIdPrefix = fileId.slice(0, fileId.length - cloudPath.length);
    return fileId;
  }

  /** The stored image, or null when there is none yet. */
  private async download(fileId: string): Promise<MiniProgramCodeImage | null> {
    let content: unknown;
    try {
      ({ fileContent: content } = await callCloudBase(this.connection, 'storage.downloadFile', (app) =>
        app.downloadFile({ fileID: fileId }),
      ));
    } catch (error) {
      if (error instanceof CloudBaseError && error.code === 'STORAGE_FILE_NONEXIST') return null;
      throw error;
    }
    const bytes = Buffer.isBuffer(content) ? content : null;
    const mimeType = bytes && imageType(bytes);
    // something else under our name (a broken upload): drawn again and written over
    if (!bytes || !mimeType) return null;
    return { mimeType, base64: bytes.toString('base64'), fileId };
  }
}
