/**
 * QR tokens on their own (server/domain/qrcode/token.ts): what a token carries, and that no change
 * to a signed token — any byte to any other value, any character to any other, any cut — is ever
 * read as a valid code; each refusal names its reason.
 */
import fc from 'fast-check';
import { DerivedSecrets } from '../../server/adapters/secrets';
import { CONFIG } from '../../server/config';
import { isAppError } from '../../server/domain/errors';
import { qrContent, readToken, signToken, tokenFromContent, type QrPayload } from '../../server/domain/qrcode/token';
import { TEST_SECRET } from '../helpers/deps';

const secrets = new DerivedSecrets(TEST_SECRET);
const EXPIRES = Date.UTC(2026, 10, 28, 3, 0, 0);
const RECEIVE: QrPayload = { kind: 'receive', codeId: '0123456789abcdef', expiresAt: EXPIRES };
const ORDER: QrPayload = {
  kind: 'order',
  merchantId: 'm_corner_cafe',
  orderNo: 'SO_20261128_0001',
  amountFen: 2_800,
  expiresAt: EXPIRES,
};
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The error code reading `token` answers with, or 'ACCEPTED'. */
function outcome(token: string): string {
  try {
    readToken(secrets, token);
    return 'ACCEPTED';
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
}

test('a token carries exactly its payload; a receive token fits a mini program code’s 32-character scene', () => {
  const receive = signToken(secrets, RECEIVE);
  expect(receive).toMatch(/^[A-Za-z0-9_-]{31}$/);
  expect(readToken(secrets, receive)).toEqual(RECEIVE);
  const order = signToken(secrets, ORDER);
  expect(readToken(secrets, order)).toEqual(ORDER);
  expect(tokenFromContent(qrContent(order))).toBe(order);
  expect(tokenFromContent(receive)).toBe(receive);
});

test('random orders survive the round trip', () => {
  const field = fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/);
  fc.assert(
    fc.property(
      field,
      field,
      fc.integer({ min: 1, max: 2 ** 48 - 1 }),
      fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      (merchantId, orderNo, amountFen, seconds) => {
        const payload: QrPayload = { kind: 'order', merchantId, orderNo, amountFen, expiresAt: seconds * 1000 };
        expect(readToken(secrets, signToken(secrets, payload))).toEqual(payload);
      },
    ),
  );
});

describe('tampering', () => {
  test.each([
    ['receive', RECEIVE],
    ['order', ORDER],
  ])('%s token: every byte set to every other value is refused, with the reason', (_kind, payload) => {
    const bytes = Buffer.from(signToken(secrets, payload), 'base64url');
    const seen = new Map<string, number>();
    for (let index = 0; index < bytes.length; index++) {
      for (let value = 0; value < 256; value++) {
        if (value === bytes[index]) continue;
        const changed = Buffer.from(bytes);
        changed[index] = value;
        const code = outcome(changed.toString('base64url'));
        let expected = 'QR_SIGNATURE_INVALID';
        // the header's high nibble is the version: 0 is no token at all, others are not ours (yet)
        if (index === 0 && value >> 4 === 0) expected = 'QR_MALFORMED';
        else if (index === 0 && value >> 4 !== 1) expected = 'QR_VERSION_UNSUPPORTED';
        if (code !== expected) throw new Error(`byte ${index} → ${value}: ${code}, expected ${expected}`);
        seen.set(code, (seen.get(code) ?? 0) + 1);
      }
    }
    expect(seen.get('QR_SIGNATURE_INVALID')).toBeGreaterThan(255 * (bytes.length - 1));
  });

  test('every character replaced by every other base64url character is refused', () => {
    const token = signToken(secrets, RECEIVE);
    const codes = new Set<string>();
    for (let index = 0; index < token.length; index++) {
      for (const char of BASE64URL) {
        if (char === token[index]) continue;
        const code = outcome(`${token.slice(0, index)}${char}${token.slice(index + 1)}`);
        if (code === 'ACCEPTED') throw new Error(`character ${index} → ${char} was accepted`);
        codes.add(code);
      }
    }
    // the last character's spare bits: a different spelling of the same bytes is not canonical
    expect([...codes].sort()).toEqual(['QR_MALFORMED', 'QR_SIGNATURE_INVALID', 'QR_VERSION_UNSUPPORTED']);
  });

  test('cut short, extended, or signed with another server’s key: refused', () => {
    const token = signToken(secrets, ORDER);
    for (let length = 0; length < token.length; length++) {
      expect(['QR_MALFORMED', 'QR_SIGNATURE_INVALID']).toContain(outcome(token.slice(0, length)));
    }
    expect(outcome(`${token}AAAA`)).toBe('QR_SIGNATURE_INVALID');
    const foreign = signToken(new DerivedSecrets('another-environment-secret-0123456789abcdef'), ORDER);
    expect(outcome(foreign)).toBe('QR_SIGNATURE_INVALID');
  });
});

describe('scanned content', () => {
  const token = signToken(secrets, ORDER);
  test.each([
    'https://example.com/pay?order=123',
    `https://wxbank.example.evil.com/q/${token}`,
    `http://wxbank.example/q/${token}`,
    'wxp://f2f0abcdefg',
    'https://qr.alipay.com/fkx12345',
    '6901234567892',
    '付款给张三',
    'hello world, this is text',
  ])('%s → QR_NOT_RECOGNIZED', (content) => {
    expect(() => tokenFromContent(content)).toThrow(expect.objectContaining({ code: 'QR_NOT_RECOGNIZED' }));
  });

  test.each([
    `${CONFIG.qr.linkBase}`,
    `${CONFIG.qr.linkBase}${token}?x=1`,
    `${CONFIG.qr.linkBase}../${token}`,
    `${CONFIG.qr.linkBase}${token.slice(0, 10)}=`,
  ])('%s (ours, damaged) → QR_MALFORMED', (content) => {
    expect(() => tokenFromContent(content)).toThrow(expect.objectContaining({ code: 'QR_MALFORMED' }));
  });
});
