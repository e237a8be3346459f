/**
 * QR tokens: compact, signed, versioned. A token is base64url of
 *
 *   header (1 byte: version << 4 | kind) ‖ body ‖ MAC (10 bytes)
 *
 * where the MAC is HMAC-SHA256 over header ‖ body under the `qr-signing` key, cut to 80 bits (a
 * guess can only be checked by asking the server, so 2^80 is far out of reach), and the body is
 *
 *   receive: code id (8 random bytes) ‖ expiry (uint32, epoch seconds)                → 31 characters
 *   order:   merchant id (length + ASCII) ‖ order number (length + ASCII) ‖ amount (uint48 fen) ‖ expiry
 *
 * No card number, name or anything else personal is in a token: a receive code names its record,
 * whose card is looked up when it is scanned. The content of a printed QR is `linkBase() + token`,
 * so scanning it with WeChat itself opens the mini program; a mini program code carries a scene
 * that stands for the token instead (scenes.ts).
 *
 * Reading checks, in order: shape (QR_MALFORMED), version (QR_VERSION_UNSUPPORTED), signature
 * (QR_SIGNATURE_INVALID). Expiry and revocation are the callers' (they have their own codes).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { CONFIG } from '../../config';
import { AppError } from '../errors';
import { MisconfiguredError } from '../ports/failures';
import type { Secrets } from '../ports/secrets';

export const TOKEN_VERSION = 1;
const MAC_BYTES = 10;
const KIND_CODES = { receive: 1, order: 2 } as const;
const RECEIVE_BODY_BYTES = 8 + 4;
/** Merchant ids and order numbers: what fits a token and a URL unescaped. */
export const ORDER_FIELD = /^[A-Za-z0-9_-]{1,32}$/;
const MAX_AMOUNT_FEN = 2 ** 48 - 1;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** Longest content worth reading: an order token is under 140 characters. */
const MAX_TOKEN_LENGTH = 300;

export interface ReceivePayload {
  kind: 'receive';
  /** 16 hex characters: the receive code's record is `rc_<codeId>`. */
  codeId: string;
  /** Epoch ms, whole seconds. */
  expiresAt: number;
}

export interface OrderPayload {
  kind: 'order';
  merchantId: string;
  orderNo: string;
  amountFen: number;
  expiresAt: number;
}

export type QrPayload = ReceivePayload | OrderPayload;

function macUnder(key: Buffer, signed: Buffer): Buffer {
  return createHmac('sha256', key).update(signed).digest().subarray(0, MAC_BYTES);
}

function mac(secrets: Secrets, signed: Buffer): Buffer {
  return macUnder(secrets.key('qr-signing'), signed);
}

/** Signed with the current secret, or with an earlier one (a code printed before a rotation keeps working until it expires). */
function signedByUs(secrets: Secrets, signed: Buffer, given: Buffer): boolean {
  return [secrets.key('qr-signing'), ...secrets.earlierKeys('qr-signing')].some((key) =>
    timingSafeEqual(macUnder(key, signed), given),
  );
}

function field(value: string): Buffer {
  if (!ORDER_FIELD.test(value)) throw new Error(`not a token field: ${value}`);
  return Buffer.concat([Buffer.from([value.length]), Buffer.from(value, 'ascii')]);
}

function seconds(epochMs: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(Math.floor(epochMs / 1000));
  return buffer;
}

function body(payload: QrPayload): Buffer {
  if (payload.kind === 'receive') {
    if (!/^[0-9a-f]{16}$/.test(payload.codeId)) throw new Error('a receive code id is 16 hex characters');
    return Buffer.concat([Buffer.from(payload.codeId, 'hex'), seconds(payload.expiresAt)]);
  }
  if (!Number.isSafeInteger(payload.amountFen) || payload.amountFen <= 0 || payload.amountFen > MAX_AMOUNT_FEN) {
    throw new Error('an order amount is a positive whole number of fen');
  }
  const amount = Buffer.alloc(6);
  amount.writeUIntBE(payload.amountFen, 0, 6);
  return Buffer.concat([field(payload.merchantId), field(payload.orderNo), amount, seconds(payload.expiresAt)]);
}

/** The signed token for a payload. */
export function signToken(secrets: Secrets, payload: QrPayload): string {
  const signed = Buffer.concat([Buffer.from([(TOKEN_VERSION << 4) | KIND_CODES[payload.kind]]), body(payload)]);
  return Buffer.concat([signed, mac(secrets, signed)]).toString('base64url');
}

/**
 * Why `value` cannot be the QR link base, or null when it can: an https link on a domain name (what
 * 扫普通链接二维码打开小程序 registers), spelled as URL parsing spells it — scanned content is
 * matched against it character for character — and ending in `/`, so the token is the last segment.
 */
export function linkBaseProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'https:') return 'must start with https://';
  if (url.username || url.password || url.port) return 'must not name a user, password or port';
  if (value.includes('?') || value.includes('#')) return 'must not have a query or fragment';
  if (!value.endsWith('/')) return 'must end with /';
  if (!/^(?=.*[a-z])[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(url.hostname)) return 'needs a domain name';
  if (url.href !== value) return `must be written as ${url.href}`;
  if (value.length > 100) return 'must be at most 100 characters';
  return null;
}

/** The configured link base (`CONFIG.qr.linkBase`, `WXBANK_QR_LINK_BASE`); a wrong one stops with MisconfiguredError. */
export function linkBase(): string {
  const value = CONFIG.qr.linkBase;
  const problem = linkBaseProblem(value);
  if (problem) throw new MisconfiguredError(`WXBANK_QR_LINK_BASE ${problem} (got ${value.slice(0, 100)})`);
  return value;
}

/** What a QR holds for a token: a link into the mini program. */
export function qrContent(token: string): string {
  return `${linkBase()}${token}`;
}

const malformed = () => new AppError('QR_MALFORMED');

/** Reads a length-prefixed ASCII field at `offset`; null when it does not fit or is not a field. */
function readField(bytes: Buffer, offset: number): { value: string; next: number } | null {
  const length = bytes[offset];
  if (length === undefined || offset + 1 + length > bytes.length) return null;
  const value = bytes.subarray(offset + 1, offset + 1 + length).toString('latin1');
  return ORDER_FIELD.test(value) ? { value, next: offset + 1 + length } : null;
}

function parseBody(kind: number, data: Buffer): QrPayload | null {
  if (kind === KIND_CODES.receive) {
    if (data.length !== RECEIVE_BODY_BYTES) return null;
    return { kind: 'receive', codeId: data.subarray(0, 8).toString('hex'), expiresAt: data.readUInt32BE(8) * 1000 };
  }
  if (kind === KIND_CODES.order) {
    const merchant = readField(data, 0);
    const order = merchant && readField(data, merchant.next);
    if (!merchant || !order || data.length !== order.next + 10) return null;
    const amountFen = data.readUIntBE(order.next, 6);
    if (amountFen <= 0) return null;
    return {
      kind: 'order',
      merchantId: merchant.value,
      orderNo: order.value,
      amountFen,
      expiresAt: data.readUInt32BE(order.next + 6) * 1000,
    };
  }
  return null;
}

/**
 * A token's payload, once its shape, version and signature check out. Throws QR_MALFORMED,
 * QR_VERSION_UNSUPPORTED or QR_SIGNATURE_INVALID. Expiry is left to the caller.
 */
export function readToken(secrets: Secrets, token: string): QrPayload {
  if (token.length > MAX_TOKEN_LENGTH || !BASE64URL.test(token)) throw malformed();
  const bytes = Buffer.from(token, 'base64url');
  // Only the canonical spelling: a changed character must never decode to the same bytes.
  if (bytes.toString('base64url') !== token || bytes.length < 1 + MAC_BYTES) throw malformed();
  const version = bytes[0]! >> 4;
  if (version === 0) throw malformed();
  if (version !== TOKEN_VERSION) throw new AppError('QR_VERSION_UNSUPPORTED');
  const signed = bytes.subarray(0, bytes.length - MAC_BYTES);
  if (!signedByUs(secrets, signed, bytes.subarray(bytes.length - MAC_BYTES)))
    throw new AppError('QR_SIGNATURE_INVALID');
  const payload = parseBody(bytes[0]! & 0x0f, signed.subarray(1));
  // Signed by us but not readable: only a bug would issue one, so it is reported as damaged.
  if (!payload) throw malformed();
  return payload;
}

/**
 * The token inside scanned content: our link (`linkBase()` + token), or a bare token (typed into a
 * devtools compile mode as `scene`). Anything else is not ours: QR_NOT_RECOGNIZED. (A mini program
 * code's scene stands for a token: scenes.ts reads those first.)
 */
export function tokenFromContent(content: string): string {
  const text = content.trim();
  const base = linkBase();
  if (text.startsWith(base)) {
    const token = text.slice(base.length);
    if (!BASE64URL.test(token)) throw malformed();
    return token;
  }
  if (/^[A-Za-z0-9_-]{20,300}$/.test(text)) return text;
  throw new AppError('QR_NOT_RECOGNIZED');
}
