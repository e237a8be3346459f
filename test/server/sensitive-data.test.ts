/**
 * docs/architecture.md (sensitive data), proved on a whole story over HTTP — cards, wallet,
 * receive codes, a transfer to one, a merchant order, the message centre and subscribe messages:
 * no full card number, ID number, phone or pay password appears in any function response or
 * sandbox page, in the SQLite file (main and -wal, read as raw bytes) or in the captured logs —
 * nor what nearly is an ID number (a mask keeping leading digits, the birth date). SMS codes are
 * not in the database or the logs either.
 */
import { readFileSync, existsSync } from 'node:fs';
import { CONFIG } from '../../server/config';
import { SANDBOX_RESERVED_PHONE, TEST_CARDS } from '../../server/adapters/sandbox/test-cards';
import { startTestHost, type TestHost } from '../helpers/host';
import {
  ALICE,
  BOB,
  bindStartBody,
  latestSmsCode,
  verifiedUser,
  type BindStarted,
  type Envelope,
} from '../helpers/verification';

const OTHER_PHONE = '13900139000';
const PAYEE_CARD = '6217000000000000160';
const NEW_PASSWORD = '739184';

let host: TestHost;
const responses: string[] = [];
const smsCodes: string[] = [];

async function call<T = Record<string, unknown>>(
  openid: string,
  fn: string,
  body: Record<string, unknown>,
): Promise<Envelope<T>> {
  const response = await host.raw(`/fn/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-WX-OPENID': openid },
    body: JSON.stringify(body),
  });
  responses.push(response.text);
  return JSON.parse(response.text) as Envelope<T>;
}

function data<T>(result: Envelope<T>): T {
  if (!result.ok) throw new Error(`story step failed: ${result.error.code}`);
  return result.data;
}

async function code(): Promise<string> {
  const value = await latestSmsCode(host);
  smsCodes.push(value);
  return value;
}

beforeAll(async () => {
  host = await startTestHost();
  await verifiedUser(host, 'o-alice', ALICE);
  await verifiedUser(host, 'o-bob', BOB);
  const [icbc, ccb, cmb, , , , holderMismatch] = TEST_CARDS.map((card) => card.number);

  await call('o-alice', 'user', { action: 'profile' });
  await call('o-alice', 'cards', { action: 'detect', cardNumber: icbc! });
  await call('o-alice', 'cards', bindStartBody(icbc!, ALICE, { reservedPhone: OTHER_PHONE }));
  await call('o-alice', 'cards', bindStartBody(holderMismatch!, ALICE));
  await call('o-alice', 'cards', bindStartBody(icbc!, ALICE, { idNumber: BOB.idNumber }));
  const started = data(await call<BindStarted>('o-alice', 'cards', bindStartBody(icbc!.replace(/(\d{4})/g, '$1 '))));
  await call('o-alice', 'cards', { action: 'bindConfirm', bindingId: started.bindingId, smsCode: '000000' });
  host.clock.advance(CONFIG.sms.resendIntervalMs);
  const resend = { action: 'resendSms', challengeId: started.sms.challengeId, phone: SANDBOX_RESERVED_PHONE };
  await call('o-alice', 'verify', resend);
  const firstCard = data(
    await call<{ cardId: string }>('o-alice', 'cards', {
      action: 'bindConfirm',
      bindingId: started.bindingId,
      smsCode: await code(),
    }),
  );
  await call('o-alice', 'verify', {
    action: 'changePayPassword',
    oldPayPassword: ALICE.payPassword,
    newPayPassword: NEW_PASSWORD,
    confirmPayPassword: NEW_PASSWORD,
  });
  const { ticket } = data(
    await call<{ ticket: string }>('o-alice', 'verify', {
      action: 'verifyPayPassword',
      payPassword: NEW_PASSWORD,
      purpose: 'cards.bind',
    }),
  );
  host.clock.advance(CONFIG.sms.resendIntervalMs);
  const second = data(
    await call<BindStarted>('o-alice', 'cards', bindStartBody(ccb!, ALICE, { payPassword: undefined, ticket })),
  );
  const { cardId } = data(
    await call<{ cardId: string }>('o-alice', 'cards', {
      action: 'bindConfirm',
      bindingId: second.bindingId,
      smsCode: await code(),
    }),
  );
  await call('o-alice', 'cards', { action: 'list' });
  await call('o-alice', 'cards', { action: 'detail', cardId });
  await call('o-alice', 'cards', { action: 'unbind', cardId, payPassword: '000001' });
  data(await call('o-alice', 'cards', { action: 'unbind', cardId, payPassword: NEW_PASSWORD }));
  // The wallet: a payee's full card number crosses the wire once, to the bank, and is kept nowhere.
  const pay = { payPassword: NEW_PASSWORD };
  data(
    await call('o-alice', 'ledger', {
      action: 'topup',
      requestId: 'sens-topup-1',
      cardId: firstCard.cardId,
      amountFen: 100_000,
      ...pay,
    }),
  );
  await call('o-alice', 'ledger', {
    action: 'transferQuote',
    cardNumber: PAYEE_CARD,
    amountFen: 12_345,
    speed: 'fast',
  });
  const transfer = {
    action: 'transferToCard',
    requestId: 'sens-transfer-1',
    payeeName: '王小明',
    cardNumber: PAYEE_CARD,
    amountFen: 12_345,
    speed: 'fast',
  };
  data(await call('o-alice', 'ledger', { ...transfer, ...pay }));
  data(await call('o-alice', 'ledger', { ...transfer, ...pay })); // a replay
  await call('o-alice', 'ledger', { ...transfer, amountFen: 1, ...pay }); // IDEMPOTENCY_CONFLICT
  data(
    await call('o-alice', 'ledger', {
      action: 'withdraw',
      requestId: 'sens-withdraw-1',
      cardId: firstCard.cardId,
      amountFen: 500,
      ...pay,
    }),
  );
  host.clock.advance(CONFIG.sandbox.settleAfterMs);
  const settled = await host.raw('/fn/settle', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"action":"run"}',
  });
  responses.push(settled.text);
  expect(JSON.parse(settled.text)).toMatchObject({
    ok: true,
    data: { resolved: { succeeded: 2 }, reconciliation: { ok: true } },
  });
  await call('o-alice', 'ledger', { action: 'history' });
  await call('o-bob', 'cards', bindStartBody(icbc!, BOB));
  await call('o-alice', 'user', { action: 'verifyRealName', name: ALICE.name, idNumber: ALICE.idNumber });

  // QR codes and messages: Bob pays Alice through her receive code and Alice pays a merchant.
  host.clock.advance(CONFIG.sms.resendIntervalMs);
  const bobStart = data(await call<BindStarted>('o-bob', 'cards', bindStartBody(cmb!, BOB)));
  const bobCard = data(
    await call<{ cardId: string }>('o-bob', 'cards', {
      action: 'bindConfirm',
      bindingId: bobStart.bindingId,
      smsCode: await code(),
    }),
  );
  const bobPay = { payPassword: BOB.payPassword };
  const fundChange = CONFIG.notifications.templates.fundChange.templateId;
  for (const openid of ['o-alice', 'o-bob'])
    await call(openid, 'messages', { action: 'subscribe', accepted: [fundChange, fundChange] });
  data(
    await call('o-bob', 'ledger', {
      action: 'topup',
      requestId: 'sens-topup-2',
      cardId: bobCard.cardId,
      amountFen: 50_000,
      ...bobPay,
    }),
  );
  await call('o-alice', 'qrcode', { action: 'receiveCode', cardId: firstCard.cardId });
  const receive = data(
    await call<{ content: string }>('o-alice', 'qrcode', {
      action: 'receiveCode',
      cardId: firstCard.cardId,
      refresh: true,
    }),
  );
  const scanned = data(
    await call<{ receiveToken: string }>('o-bob', 'qrcode', { action: 'resolve', content: receive.content }),
  );
  await call('o-bob', 'ledger', {
    action: 'transferQuote',
    receiveToken: scanned.receiveToken,
    amountFen: 8_800,
    speed: 'fast',
  });
  data(
    await call('o-bob', 'ledger', {
      action: 'transferToCard',
      requestId: 'sens-transfer-2',
      receiveToken: scanned.receiveToken,
      amountFen: 8_800,
      speed: 'fast',
      ...bobPay,
    }),
  );
  const order = await host.raw('/sandbox/merchant-orders', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ amountFen: 2_800 }),
  });
  responses.push(order.text);
  const orderContent = (JSON.parse(order.text) as { data: { content: string } }).data.content;
  const orderView = data(
    await call<{ orderToken: string }>('o-alice', 'qrcode', { action: 'resolve', content: orderContent }),
  );
  data(
    await call('o-alice', 'qrcode', {
      action: 'payOrder',
      requestId: 'sens-pay-1',
      orderToken: orderView.orderToken,
      ...pay,
    }),
  );
  host.clock.advance(CONFIG.sandbox.settleAfterMs);
  responses.push(
    (
      await host.raw('/fn/settle', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"action":"run"}',
      })
    ).text,
  );
  for (const openid of ['o-alice', 'o-bob']) {
    await call(openid, 'messages', { action: 'list' });
    await call(openid, 'messages', { action: 'markRead', all: true });
    responses.push((await host.raw(`/sandbox/notifications?openid=${openid}`)).text);
  }
  responses.push((await host.raw('/sandbox/qr-codes')).text);
});
afterAll(async () => {
  await host.close();
});

const cardNumbers = [...TEST_CARDS.slice(0, 7).map((card) => card.number), PAYEE_CARD];
const secrets: [string, string][] = [
  ...cardNumbers.map((n): [string, string] => ['card number', n]),
  ...[ALICE.idNumber, BOB.idNumber].flatMap((id): [string, string][] => [
    ['ID number', id],
    ['ID number', id.toLowerCase()],
  ]),
  ['phone', SANDBOX_RESERVED_PHONE],
  ['phone', OTHER_PHONE],
];
/** Six-digit values are looked for as whole tokens, so digits inside timestamps do not count. */
const token = (digits: string) => new RegExp(`(?<![0-9A-Za-z])${digits}(?![0-9A-Za-z])`);
const passwords = [ALICE.payPassword, BOB.payPassword, NEW_PASSWORD];

/**
 * What nearly is an ID number: with the check digit and the region codes, a mask that keeps the
 * first digits or a full birth date next to the last four leaves a handful of candidates. Only
 * the last four and the birth year may be kept.
 */
const nearIdNumbers: [string, RegExp][] = [
  // any masked ID that shows more than its last four (e.g. `110***********002X`)
  ['an ID mask keeping leading digits', /\d\*{6,}\d{3}[\dX]/],
  ...[ALICE.idNumber, BOB.idNumber].flatMap((id): [string, RegExp][] => {
    const [yyyy, mm, dd] = [id.slice(6, 10), id.slice(10, 12), id.slice(12, 14)];
    return [
      ['a birth date', new RegExp(`${yyyy}-?${mm}-?${dd}`)],
      ['a birth date', new RegExp(`${yyyy}年0?${Number(mm)}月0?${Number(dd)}日`)],
      ['a birth date (YYMMDD)', token(`${yyyy.slice(2)}${mm}${dd}`)],
      ['a birth month (YYYYMM)', token(`${yyyy}${mm}`)],
      ['region and birth date', new RegExp(id.slice(0, 14))],
    ];
  }),
];

function expectClean(where: string, text: string, alsoCodes: boolean): void {
  expect(text.length).toBeGreaterThan(0);
  for (const [what, value] of secrets) {
    if (text.includes(value)) throw new Error(`${what} ${value} found in ${where}`);
  }
  for (const [what, pattern] of nearIdNumbers) {
    const found = pattern.exec(text);
    if (found) throw new Error(`${what} (${found[0]}) found in ${where}`);
  }
  for (const value of [...passwords, ...(alsoCodes ? smsCodes : [])]) {
    if (token(value).test(text)) throw new Error(`six-digit secret ${value} found in ${where}`);
  }
}

test('the story really happened (cards bound, codes used, masks returned)', () => {
  expect(smsCodes).toHaveLength(3);
  const joined = responses.join('\n');
  expect(joined).toContain('"phoneMasked":"1380013****"');
  expect(joined).toContain('"lastFour":"0018"');
  expect(joined).toContain('BANK_PHONE_MISMATCH');
  expect(joined).toContain('CARD_HOLDER_NOT_SELF');
});

test('the QR and message steps happened: the payer saw the payee masked, messages and subscribe messages went out', () => {
  const joined = responses.join('\n');
  expect(joined).toContain('"label":"中国工商银行(0018) *三"');
  expect(joined).toContain('转账成功');
  expect(joined).toContain('付款成功');
  expect(joined).toContain('"templateId":"sandbox-fund-change"');
  // the payee's full name reaches the bank, never the payer's screens
  expect(responses.filter((text) => text.includes('receiveToken')).join('')).not.toContain(ALICE.name);
});

test('no response carries a full card number, ID number, phone, pay password or SMS code', () => {
  responses.forEach((text, index) => expectClean(`response #${index}`, text, true));
});

test('the database file and its WAL hold none of them, as raw bytes', async () => {
  const files = [host.dbFile, `${host.dbFile}-wal`].filter((file) => existsSync(file));
  expect(files).toHaveLength(2);
  const contents = files.map((file) => readFileSync(file).toString('latin1'));
  // the scan sees the real documents: the masked forms are there
  expect(contents.join('')).toContain('1380013****');
  expect(contents.join('')).toContain(`**************${ALICE.idNumber.slice(-4)}`);
  files.forEach((file, index) => expectClean(file, contents[index]!, true));
  // after the WAL is checkpointed into the main file on close, still nothing
  await host.app.close();
  expectClean(host.dbFile, readFileSync(host.dbFile).toString('latin1'), true);
});

test('the logs hold none of them', () => {
  expect(host.log.lines.length).toBeGreaterThan(3);
  expectClean('the logs', host.log.lines.join('\n'), true);
});
