/**
 * DESIGN §5, proved on a whole story over HTTP: no full card number, ID number, phone or pay
 * password appears in any function response, in the SQLite file (main and -wal, read as raw
 * bytes) or in the captured logs. SMS codes are not in the database or the logs either.
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
  const [icbc, ccb, , , , , holderMismatch] = TEST_CARDS.map((card) => card.number);

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
  await call('o-alice', 'cards', { action: 'bindConfirm', bindingId: started.bindingId, smsCode: await code() });
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
  await call('o-bob', 'cards', bindStartBody(icbc!, BOB));
  await call('o-alice', 'user', { action: 'verifyRealName', name: ALICE.name, idNumber: ALICE.idNumber });
});
afterAll(async () => {
  await host.close();
});

const cardNumbers = TEST_CARDS.slice(0, 7).map((card) => card.number);
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

function expectClean(where: string, text: string, alsoCodes: boolean): void {
  expect(text.length).toBeGreaterThan(0);
  for (const [what, value] of secrets) {
    if (text.includes(value)) throw new Error(`${what} ${value} found in ${where}`);
  }
  for (const value of [...passwords, ...(alsoCodes ? smsCodes : [])]) {
    if (token(value).test(text)) throw new Error(`six-digit secret ${value} found in ${where}`);
  }
}

test('the story really happened (cards bound, codes used, masks returned)', () => {
  expect(smsCodes).toHaveLength(2);
  const joined = responses.join('\n');
  expect(joined).toContain('"phoneMasked":"1380013****"');
  expect(joined).toContain('"lastFour":"0018"');
  expect(joined).toContain('BANK_PHONE_MISMATCH');
  expect(joined).toContain('CARD_HOLDER_NOT_SELF');
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
  expect(contents.join('')).toContain(`110***********${ALICE.idNumber.slice(-4)}`);
  files.forEach((file, index) => expectClean(file, contents[index]!, true));
  // after the WAL is checkpointed into the main file on close, still nothing
  await host.app.close();
  expectClean(host.dbFile, readFileSync(host.dbFile).toString('latin1'), true);
});

test('the logs hold none of them', () => {
  expect(host.log.lines.length).toBeGreaterThan(3);
  expectClean('the logs', host.log.lines.join('\n'), true);
});
