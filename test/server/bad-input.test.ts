/**
 * Table-driven bad input for every action of user, verify, cards, ledger, qrcode and messages, over HTTP: wrong types,
 * missing fields, 10 KB strings, SQL/HTML in names → INVALID_ARGUMENT with a Chinese message and
 * no write; other users' ids → NOT_FOUND; replayed and expired SMS codes and a locked pay password
 * → their own codes. The host stays up throughout.
 */
import { CONFIG } from '../../server/config';
import { COLLECTION_SPECS, type CollectionName } from '../../server/domain/collections';
import { TEST_CARDS } from '../../server/adapters/sandbox/test-cards';
import { startTestHost, type TestHost } from '../helpers/host';
import {
  ALICE,
  BOB,
  act,
  bindCard,
  bindStartBody,
  latestSmsCode,
  ok,
  verifiedUser,
  type BindStarted,
} from '../helpers/verification';

let host: TestHost;
let aliceCardId: string;
let aliceBinding: BindStarted;
let aliceReceiveCode: { codeId: string; content: string };

beforeAll(async () => {
  host = await startTestHost();
  await verifiedUser(host, 'o-alice', ALICE);
  await verifiedUser(host, 'o-bob', BOB);
  aliceCardId = (await bindCard(host, 'o-alice', TEST_CARDS[0]!.number)).cardId;
  aliceBinding = await ok<BindStarted>(host, 'o-alice', 'cards', bindStartBody(TEST_CARDS[1]!.number));
  aliceReceiveCode = await ok(host, 'o-alice', 'qrcode', { action: 'receiveCode', cardId: aliceCardId });
});
const receiveToken = () => aliceReceiveCode.content.slice(CONFIG.qr.linkBase.length);
afterAll(async () => {
  await host.close();
});

interface ActionCase {
  fn: string;
  action: string;
  /** A body that passes validation (as Bob, whose state the cases must not change). */
  valid: () => Record<string, unknown>;
  required: string[];
  optional?: string[];
}

const ACTIONS: ActionCase[] = [
  { fn: 'user', action: 'profile', valid: () => ({}), required: [] },
  {
    fn: 'user',
    action: 'verifyRealName',
    valid: () => ({ name: '王五', idNumber: ALICE.idNumber }),
    required: ['name', 'idNumber'],
  },
  {
    fn: 'verify',
    action: 'setPayPassword',
    valid: () => ({ payPassword: '739184', confirmPayPassword: '739184' }),
    required: ['payPassword', 'confirmPayPassword'],
  },
  {
    fn: 'verify',
    action: 'changePayPassword',
    valid: () => ({ oldPayPassword: BOB.payPassword, newPayPassword: '739184', confirmPayPassword: '739184' }),
    required: ['oldPayPassword', 'newPayPassword', 'confirmPayPassword'],
  },
  {
    fn: 'verify',
    action: 'verifyPayPassword',
    valid: () => ({ payPassword: BOB.payPassword, purpose: 'cards.bind' }),
    required: ['payPassword', 'purpose'],
  },
  {
    fn: 'verify',
    action: 'resendSms',
    valid: () => ({ challengeId: aliceBinding.sms.challengeId, phone: '13800138000' }),
    required: ['challengeId', 'phone'],
  },
  { fn: 'cards', action: 'detect', valid: () => ({ cardNumber: '622202' }), required: ['cardNumber'] },
  { fn: 'cards', action: 'list', valid: () => ({}), required: [] },
  { fn: 'cards', action: 'detail', valid: () => ({ cardId: aliceCardId }), required: ['cardId'] },
  {
    fn: 'cards',
    action: 'bindStart',
    valid: () => {
      const { action: _action, ...body } = bindStartBody(TEST_CARDS[2]!.number, BOB);
      return body;
    },
    required: ['cardNumber', 'holderName', 'idNumber', 'reservedPhone', 'payPassword'],
    optional: ['ticket'],
  },
  {
    fn: 'cards',
    action: 'bindConfirm',
    valid: () => ({ bindingId: aliceBinding.bindingId, smsCode: '000000' }),
    required: ['bindingId', 'smsCode'],
  },
  {
    fn: 'cards',
    action: 'unbind',
    valid: () => ({ cardId: aliceCardId, payPassword: BOB.payPassword }),
    required: ['cardId', 'payPassword'],
    optional: ['ticket'],
  },
  { fn: 'ledger', action: 'summary', valid: () => ({}), required: [] },
  { fn: 'ledger', action: 'history', valid: () => ({}), required: [], optional: ['cursor', 'type', 'limit'] },
  { fn: 'ledger', action: 'entry', valid: () => ({ operationId: 'op_x' }), required: ['operationId'] },
  { fn: 'ledger', action: 'transferStatus', valid: () => ({ operationId: 'op_x' }), required: ['operationId'] },
  {
    fn: 'ledger',
    action: 'topup',
    valid: () => ({ requestId: 'req-bad-input-1', cardId: aliceCardId, amountFen: 100, payPassword: BOB.payPassword }),
    required: ['requestId', 'cardId', 'amountFen', 'payPassword'],
    optional: ['ticket'],
  },
  {
    fn: 'ledger',
    action: 'withdrawQuote',
    valid: () => ({ amountFen: 100 }),
    required: [],
    optional: ['amountFen', 'all'],
  },
  {
    fn: 'ledger',
    action: 'withdraw',
    valid: () => ({ requestId: 'req-bad-input-2', cardId: aliceCardId, amountFen: 100, payPassword: BOB.payPassword }),
    required: ['requestId', 'cardId', 'payPassword'],
    optional: ['amountFen', 'all', 'ticket'],
  },
  {
    fn: 'ledger',
    action: 'transferQuote',
    valid: () => ({ cardNumber: '6217000000000000160', amountFen: 100, speed: 'fast' }),
    required: ['cardNumber', 'amountFen', 'speed'],
  },
  {
    fn: 'ledger',
    action: 'transferToCard',
    valid: () => ({
      requestId: 'req-bad-input-3',
      payeeName: '王小明',
      cardNumber: '6217000000000000160',
      amountFen: 100,
      speed: 'fast',
      payPassword: BOB.payPassword,
    }),
    required: ['requestId', 'payeeName', 'cardNumber', 'amountFen', 'speed', 'payPassword'],
    optional: ['ticket'],
  },
  {
    fn: 'ledger',
    action: 'transferQuote',
    valid: () => ({ receiveToken: receiveToken(), amountFen: 100, speed: 'fast' }),
    required: ['receiveToken', 'amountFen', 'speed'],
  },
  {
    fn: 'ledger',
    action: 'transferToCard',
    valid: () => ({
      requestId: 'req-bad-input-4',
      receiveToken: receiveToken(),
      amountFen: 100,
      speed: 'fast',
      payPassword: BOB.payPassword,
    }),
    required: ['requestId', 'receiveToken', 'amountFen', 'speed', 'payPassword'],
    optional: ['ticket'],
  },
  {
    fn: 'qrcode',
    action: 'receiveCode',
    valid: () => ({ cardId: aliceCardId }),
    required: ['cardId'],
    optional: ['refresh'],
  },
  {
    fn: 'qrcode',
    action: 'revokeReceiveCode',
    valid: () => ({ codeId: aliceReceiveCode.codeId }),
    required: ['codeId'],
  },
  { fn: 'qrcode', action: 'resolve', valid: () => ({ content: aliceReceiveCode.content }), required: ['content'] },
  {
    fn: 'qrcode',
    action: 'payOrder',
    valid: () => ({ requestId: 'req-bad-input-5', orderToken: receiveToken(), payPassword: BOB.payPassword }),
    required: ['requestId', 'orderToken', 'payPassword'],
    optional: ['ticket'],
  },
  { fn: 'messages', action: 'list', valid: () => ({}), required: [], optional: ['cursor', 'limit'] },
  { fn: 'messages', action: 'unreadCount', valid: () => ({}), required: [] },
  { fn: 'messages', action: 'markRead', valid: () => ({ all: true }), required: [], optional: ['messageIds', 'all'] },
  { fn: 'messages', action: 'subscriptions', valid: () => ({}), required: [] },
  { fn: 'messages', action: 'subscribe', valid: () => ({}), required: [], optional: ['accepted', 'rejected'] },
];

const TEN_KB = 10 * 1024;
const WRONG_VALUES: [string, unknown][] = [
  ['a number', 123456],
  ['null', null],
  ['a boolean', true],
  ['an operator object', { $ne: null }],
  ['an array', ['123456']],
  ['10 KB of text', 'x'.repeat(TEN_KB)],
  ['10 KB of digits', '6'.repeat(TEN_KB)],
  ['an empty string', ''],
];

const MISSING = Symbol('missing');

/** A label, the field to spoil and what to put there (or drop it); bodies are built when the test runs. */
type Row = [label: string, field: string, value: unknown];

/** Amounts are integer fen: each of these must be refused wherever an amount is taken. */
const WRONG_AMOUNTS: [string, unknown][] = [
  ['a float', 100.5],
  ['zero', 0],
  ['a negative', -100],
  ['a numeric string', '100'],
  ['past 2^53', 2 ** 53 + 2],
  ['NaN as a string', 'NaN'],
];

/** Fields whose right type is not a string: the generic wrong values of that type are not wrong for them. */
const RIGHT_TYPES: Record<string, unknown> = { amountFen: 1, limit: 1, all: true, refresh: true };

function rowsFor(spec: ActionCase): Row[] {
  const rows: Row[] = spec.required.map((field): Row => [`missing ${field}`, field, MISSING]);
  if ([...spec.required, ...(spec.optional ?? [])].includes('amountFen')) {
    for (const [label, value] of WRONG_AMOUNTS) rows.push([`amountFen as ${label}`, 'amountFen', value]);
  }
  for (const field of [...spec.required, ...(spec.optional ?? [])]) {
    for (const [label, value] of WRONG_VALUES) {
      if (typeof value === typeof RIGHT_TYPES[field]) continue; // e.g. 123456 is a fine amountFen
      rows.push([`${field} as ${label}`, field, value]);
    }
  }
  return rows;
}

function spoil(spec: ActionCase, field: string, value: unknown): Record<string, unknown> {
  const { [field]: _dropped, ...rest } = spec.valid();
  return value === MISSING ? rest : { ...rest, [field]: value };
}

async function snapshot(): Promise<string> {
  const parts: string[] = [];
  for (const name of Object.keys(COLLECTION_SPECS) as CollectionName[]) {
    parts.push(JSON.stringify(await host.app.deps.store.find(name, { orderBy: [['id', 'asc']], limit: 1000 })));
  }
  return parts.join('\n');
}

describe.each(ACTIONS)('$fn.$action', (spec) => {
  const rows = rowsFor(spec);
  if (rows.length === 0) {
    test('takes no fields: extra ones (even 10 KB) are ignored', async () => {
      const result = await act(host, 'o-bob', spec.fn, { action: spec.action, junk: 'x'.repeat(TEN_KB) });
      expect(result.ok).toBe(true);
    });
    return;
  }
  test.each(rows)('%s → INVALID_ARGUMENT, nothing written', async (_label, field, value) => {
    const before = await snapshot();
    const response = await host.call<{ ok: boolean; error?: { code: string; message: string } }>(
      spec.fn,
      { ...spoil(spec, field, value), action: spec.action },
      'o-bob',
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      ok: false,
      error: {
        code: 'INVALID_ARGUMENT',
        message: expect.stringMatching(/[\u4e00-\u9fff]/),
        details: expect.anything(),
      },
    });
    expect(JSON.stringify(response.body)).not.toMatch(/at .*\.ts|Error:|ZodError|stack/);
    expect(await snapshot()).toBe(before);
  });
});

describe('paging: every paged action takes the same cursor and limit, refused with one message each', () => {
  const PAGED: [fn: string, action: string, body: Record<string, unknown>][] = [
    ['ledger', 'history', {}],
    ['messages', 'list', {}],
    ['branches', 'nearby', { lat: 39.9, lng: 116.4 }],
  ];
  const BAD_CURSORS: unknown[] = ['', 123, null, 'x'.repeat(201), { $gt: '' }];
  const BAD_LIMITS: unknown[] = [0, -1, 1.5, 51, '10', null, 2 ** 60];

  async function refusal(fn: string, body: Record<string, unknown>): Promise<string> {
    const result = await act(host, 'o-bob', fn, body);
    if (result.ok) throw new Error(`${fn} accepted ${JSON.stringify(body).slice(0, 80)}`);
    expect(result.error.code).toBe('INVALID_ARGUMENT');
    return result.error.message;
  }

  test('an empty cursor, a cursor of another type or length, and a bad limit: the same answer everywhere', async () => {
    const cursorMessages = new Set<string>();
    const limitMessages = new Set<string>();
    for (const [fn, action, body] of PAGED) {
      for (const cursor of BAD_CURSORS) cursorMessages.add(await refusal(fn, { action, ...body, cursor }));
      for (const limit of BAD_LIMITS) limitMessages.add(await refusal(fn, { action, ...body, limit }));
    }
    expect([...cursorMessages]).toEqual(['分页参数无效']);
    expect([...limitMessages]).toEqual(['每页条数应为 1–50 的整数']);
  });
});

describe('names, numbers and codes with the right type but the wrong content', () => {
  const NAMES = [
    "张三'; DROP TABLE users;--",
    '<script>alert(1)</script>',
    '张<b>三</b>',
    'Robert"); DELETE FROM cards; --',
    '张 三',
    '张三😀',
    '张',
    '${jndi:ldap://x}',
  ];
  test.each(NAMES)('name %j → INVALID_ARGUMENT (real name and card holder)', async (name) => {
    await ok(host, 'o-new', 'user', { action: 'session' });
    const realName = await act(host, 'o-new', 'user', { action: 'verifyRealName', name, idNumber: ALICE.idNumber });
    expect(realName).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', details: { field: 'name' } } });
    const holder = await act(host, 'o-bob', 'cards', bindStartBody(TEST_CARDS[2]!.number, BOB, { holderName: name }));
    expect(holder).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', details: { field: 'holderName' } } });
  });

  test('a card number longer than 19 digits → CARD_NUMBER_INVALID', async () => {
    expect(await act(host, 'o-bob', 'cards', { action: 'detect', cardNumber: '6'.repeat(25) })).toMatchObject({
      ok: false,
      error: { code: 'CARD_NUMBER_INVALID' },
    });
  });

  test.each([
    ['verify', { action: 'verifyPayPassword', payPassword: '12345a', purpose: 'cards.bind' }],
    ['verify', { action: 'verifyPayPassword', payPassword: '1234567', purpose: 'cards.bind' }],
    ['verify', { action: 'verifyPayPassword', payPassword: BOB.payPassword, purpose: 'admin' }],
    ['verify', { action: 'resendSms', challengeId: "sms_1' OR '1'='1", phone: '13800138000' }],
    ['verify', { action: 'resendSms', challengeId: 'sms_1', phone: '23800138000' }],
    ['cards', { action: 'detect', cardNumber: '6222abcd' }],
    ['cards', { action: 'detail', cardId: '../cards/x' }],
    ['cards', { action: 'bindConfirm', bindingId: 'bind_x', smsCode: '12345' }],
    ['cards', bindStartBody(TEST_CARDS[2]!.number, BOB, { idNumber: '1101051990030712' })],
    ['cards', bindStartBody(TEST_CARDS[2]!.number, BOB, { payPassword: BOB.payPassword, ticket: 'tk_x' })],
    ['cards', { action: 'unbind', cardId: 'card_x' }],
  ])('%s %j → INVALID_ARGUMENT', async (fn, body) => {
    expect(await act(host, 'o-bob', fn, body)).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });
});

describe("other users' ids → NOT_FOUND", () => {
  test.each([
    ['cards', () => ({ action: 'detail', cardId: aliceCardId })],
    ['cards', () => ({ action: 'unbind', cardId: aliceCardId, payPassword: BOB.payPassword })],
    ['cards', () => ({ action: 'detail', cardId: 'card_does_not_exist' })],
    ['cards', () => ({ action: 'bindConfirm', bindingId: aliceBinding.bindingId, smsCode: '000000' })],
    ['verify', () => ({ action: 'resendSms', challengeId: aliceBinding.sms.challengeId, phone: '13800138000' })],
    ['qrcode', () => ({ action: 'receiveCode', cardId: aliceCardId })],
    ['qrcode', () => ({ action: 'revokeReceiveCode', codeId: aliceReceiveCode.codeId })],
  ])('%s %#', async (fn, body) => {
    expect(await act(host, 'o-bob', fn, body())).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('state-dependent refusals', () => {
  test('a replayed SMS code → SMS_CODE_USED; an expired one → SMS_CODE_EXPIRED', async () => {
    const code = await latestSmsCode(host);
    const confirm = { action: 'bindConfirm', bindingId: aliceBinding.bindingId, smsCode: code };
    expect((await act(host, 'o-alice', 'cards', confirm)).ok).toBe(true);
    expect(await act(host, 'o-alice', 'cards', confirm)).toMatchObject({ ok: false, error: { code: 'SMS_CODE_USED' } });

    host.clock.advance(CONFIG.sms.resendIntervalMs);
    const next = await ok<BindStarted>(host, 'o-alice', 'cards', bindStartBody(TEST_CARDS[2]!.number));
    const nextCode = await latestSmsCode(host);
    host.clock.advance(CONFIG.sms.codeTtlMs + 1);
    expect(
      await act(host, 'o-alice', 'cards', { action: 'bindConfirm', bindingId: next.bindingId, smsCode: nextCode }),
    ).toMatchObject({ ok: false, error: { code: 'SMS_CODE_EXPIRED' } });
  });

  test('a locked pay password → PAY_PASSWORD_LOCKED for every action that takes one', async () => {
    const locked = { name: '赵六', idNumber: '11010519491231002X', payPassword: '582079' };
    await verifiedUser(host, 'o-locked', locked);
    for (let i = 0; i < CONFIG.payPassword.maxAttempts; i++) {
      await act(host, 'o-locked', 'verify', {
        action: 'verifyPayPassword',
        payPassword: '000001',
        purpose: 'cards.bind',
      });
    }
    const bodies: [string, Record<string, unknown>][] = [
      ['verify', { action: 'verifyPayPassword', payPassword: locked.payPassword, purpose: 'cards.bind' }],
      [
        'verify',
        {
          action: 'changePayPassword',
          oldPayPassword: locked.payPassword,
          newPayPassword: '739184',
          confirmPayPassword: '739184',
        },
      ],
      ['cards', bindStartBody(TEST_CARDS[3]!.number, locked)],
    ];
    for (const [fn, body] of bodies) {
      expect(await act(host, 'o-locked', fn, body)).toMatchObject({
        ok: false,
        error: {
          code: 'PAY_PASSWORD_LOCKED',
          details: { remainingMs: expect.any(Number), unlockAt: expect.any(Number) },
        },
      });
    }
  });

  test('after all of it the host still answers', async () => {
    expect(JSON.parse((await host.raw('/health')).text)).toEqual({ ok: true });
  });
});
