/**
 * QR tokens on their own (server/domain/qrcode/token.ts): what a token carries, and that no change
 * to a signed token — any byte to any other value, any character to any other, any cut — is ever
 * read as a valid code; each refusal names its reason.
 */
import fc from 'fast-check';
import { DerivedSecrets } from '../../server/adapters/secrets';
import { CONFIG } from '../../server/config';
import { isAppError } from '../../server/domain/errors';
import { MisconfiguredError } from '../../server/domain/ports/failures';
import type * as TokenModuleValue from '../../server/domain/qrcode/token';
import {
  linkBaseProblem,
  qrContent,
  readToken,
  signToken,
  tokenFromContent,
  type QrPayload,
} from '../../server/domain/qrcode/token';
import { TEST_SECRET } from '../helpers/deps';

type TokenModule = typeof TokenModuleValue;

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

test('a token carries exactly its payload (receive: 31 characters; order: longer than a 32-character scene)', () => {
  const receive = signToken(secrets, RECEIVE);
  expect(receive).toMatch(/^[A-Za-z0-9_-]{31}$/);
  expect(readToken(secrets, receive)).toEqual(RECEIVE);
  const order = signToken(secrets, ORDER);
  expect(readToken(secrets, order)).toEqual(ORDER);
  expect(order.length).toBeGreaterThan(32);
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

describe('the link base (WXBANK_QR_LINK_BASE)', () => {
  test.each([
    ['https://wxbank.example/q/', null],
    ['https://bank.example.com.cn/wx/q/', null],
    ['https://bank.example.com/', null],
    ['http://bank.example.com/q/', /https/],
    ['https://bank.example.com/q', /end with \//],
    ['https://bank.example.com/q/?t=', /query or fragment/],
    ['https://bank.example.com/q/#', /query or fragment/],
    ['https://user:pw@bank.example.com/q/', /user, password or port/],
    ['https://bank.example.com:8443/q/', /user, password or port/],
    ['https://10.0.0.1/q/', /domain name/],
    ['https://localhost/q/', /domain name/],
    ['https://Bank.Example.com/q/', /must be written as https:\/\/bank\.example\.com\/q\//],
    ['https://bank.example.com/a b/', /must be written as/],
    [`https://bank.example.com/${'q'.repeat(100)}/`, /at most 100/],
    ['bank.example.com/q/', /not a URL/],
    ['', /not a URL/],
  ])('%s', (value, problem) => {
    const found = linkBaseProblem(value);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toMatch(problem);
  });

  /** token.ts as a process started with `WXBANK_QR_LINK_BASE=value` would load it. */
  function loadedWith(value: string): TokenModule {
    const saved = process.env.WXBANK_QR_LINK_BASE;
    process.env.WXBANK_QR_LINK_BASE = value;
    try {
      let loaded: TokenModule | undefined;
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        loaded = require('../../server/domain/qrcode/token') as TokenModule;
      });
      return loaded!;
    } finally {
      if (saved === undefined) delete process.env.WXBANK_QR_LINK_BASE;
      else process.env.WXBANK_QR_LINK_BASE = saved;
    }
  }

  test('a deployment’s own domain replaces the placeholder: codes carry it, and only it is read', () => {
    const configured = loadedWith('https://bank.example.com/wx/q/');
    const token = signToken(secrets, RECEIVE);
    expect(configured.qrContent(token)).toBe(`https://bank.example.com/wx/q/${token}`);
    expect(configured.tokenFromContent(`https://bank.example.com/wx/q/${token}`)).toBe(token);
    expect(() => configured.tokenFromContent(`https://wxbank.example/q/${token}`)).toThrow(
      expect.objectContaining({ code: 'QR_NOT_RECOGNIZED' }),
    );
    expect(qrContent(token)).toBe(`https://wxbank.example/q/${token}`);
  });

  test('a wrong one stops every use with MisconfiguredError (INTERNAL, logged), naming the variable', () => {
    const wrong = loadedWith('http://bank.example.com/q');
    const token = signToken(secrets, RECEIVE);
    // (the class of the freshly loaded module graph: compared by name)
    expect(() => wrong.qrContent(token)).toThrow(expect.objectContaining({ name: MisconfiguredError.name }));
    expect(() => wrong.tokenFromContent(token)).toThrow(/WXBANK_QR_LINK_BASE must start with https:\/\//);
  });
});
