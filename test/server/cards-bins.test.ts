/** The BIN table and detection (domain, no I/O), and the sandbox test cards against both the table and the README. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BANK_CODES, BIN_INDEX, bankOf } from '../../server/domain/cards/bins';
import { detectCard, luhnValid, normalizeCardNumber, requireBindableCard } from '../../server/domain/cards/detect';
import { TEST_CARDS, UNSUPPORTED_BANK_CARD } from '../../server/adapters/sandbox/test-cards';
import { BIND_OUTCOME_CODES } from '../helpers/verification';

const NATIONAL_BANKS = [
  'ICBC',
  'CCB',
  'ABC',
  'BOC',
  'COMM',
  'CMB',
  'SPDB',
  'CGB',
  'PSBC',
  'CITIC',
  'CIB',
  'CMBC',
  'CEB',
];

test('the 13 national banks are supported, each with debit and credit ranges and sane lengths', () => {
  for (const code of NATIONAL_BANKS) {
    const entries = [...BIN_INDEX.values()].filter((entry) => entry.bank === code);
    expect(bankOf(code as never).supported).toBe(true);
    expect(new Set(entries.map((entry) => entry.cardType))).toEqual(new Set(['debit', 'credit']));
  }
  for (const entry of BIN_INDEX.values()) {
    expect(entry.prefix).toMatch(/^\d{4,10}$/);
    for (const length of entry.lengths) expect(length).toBeGreaterThanOrEqual(15);
    for (const length of entry.lengths) expect(length).toBeLessThanOrEqual(19);
  }
  expect(BANK_CODES.filter((code) => !bankOf(code).supported).length).toBeGreaterThan(0);
});

test.each([
  // well-known public prefixes of each bank's cards
  ['6222021234567890123', 'ICBC', 'debit'],
  ['6227001234567890123', 'CCB', 'debit'],
  ['6228481234567890123', 'ABC', 'debit'],
  ['6217851234567890123', 'BOC', 'debit'],
  ['6222621234567890123', 'COMM', 'debit'],
  ['6225881234567890', 'CMB', 'debit'],
  ['6225771234567890', 'CMB', 'credit'],
  ['6221761234567890', 'SPDB', 'credit'],
  ['6225581234567890', 'CGB', 'credit'],
  ['6217991234567890123', 'PSBC', 'debit'],
  ['6226901234567890', 'CITIC', 'debit'],
  ['622908123456789012', 'CIB', 'debit'],
  ['6226221234567890', 'CMBC', 'debit'],
  ['6226631234567890', 'CEB', 'debit'],
  ['4581231234567890', 'COMM', 'credit'],
  ['370247123456789', 'ICBC', 'credit'],
])('%s → %s %s, complete', (number, bank, cardType) => {
  expect(detectCard(number)).toMatchObject({ recognized: true, bank: { code: bank }, cardType, complete: true });
});

test('the longest matching prefix wins', () => {
  expect(detectCard('6224980000000000001').bank?.code).toBe('BHB');
  expect(detectCard('6224980200000000001').bank?.code).toBe('QHDCCB');
});

test('partial numbers: recognised once a prefix is typed, complete only at a valid length', () => {
  expect(detectCard('62')).toMatchObject({ recognized: false, complete: false, luhnValid: null });
  expect(detectCard('622202')).toMatchObject({ recognized: true, complete: false, luhnValid: null });
  expect(detectCard('622202123456789012')).toMatchObject({ recognized: true, complete: false });
  expect(detectCard('6222021234567890123')).toMatchObject({ complete: true, luhnValid: false });
});

test('Luhn: the standard check, a warning and not a refusal', () => {
  expect(luhnValid('79927398713')).toBe(true);
  expect(luhnValid('79927398710')).toBe(false);
  expect(luhnValid('6222020000000000018')).toBe(true);
  expect(requireBindableCard('6225160000000124')).toMatchObject({ luhnValid: false, bank: { code: 'SPDB' } });
});

test('card numbers: spaces and dashes are dropped; anything else is not a card number', () => {
  expect(normalizeCardNumber('6222 0200-0000 0000 018')).toBe('6222020000000000018');
  expect(normalizeCardNumber('6222O2')).toBeNull();
  expect(normalizeCardNumber('6'.repeat(20))).toBeNull();
  expect(() => requireBindableCard('62220200000000000')).toThrow(
    expect.objectContaining({ code: 'CARD_NUMBER_INVALID' }),
  );
  expect(() => requireBindableCard('9400000000000000')).toThrow(
    expect.objectContaining({ code: 'CARD_NUMBER_UNRECOGNIZED' }),
  );
  expect(() => requireBindableCard(UNSUPPORTED_BANK_CARD)).toThrow(
    expect.objectContaining({ code: 'CARD_UNSUPPORTED' }),
  );
});

test('every sandbox test card is a complete number of a supported bank (Luhn-valid unless it is the Luhn case)', () => {
  for (const card of TEST_CARDS) {
    const detection = requireBindableCard(card.number);
    expect(detection.luhnValid).toBe(!card.description.includes('Luhn'));
  }
  expect(new Set(TEST_CARDS.map((card) => card.number)).size).toBe(TEST_CARDS.length);
});

/** The card rows of the README table under `heading`. */
function readmeCardRows(heading: string): string[] {
  const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
  const start = readme.indexOf(`\n${heading}\n`);
  const section = readme.slice(start, readme.indexOf('\n#', start + heading.length + 2));
  return section.split('\n').filter((line) => /^\| `\d{15,19}` +\|/.test(line));
}

test("the README's test-card table lists exactly the sandbox's test cards, with their outcomes", () => {
  const rows = readmeCardRows('### Test cards');
  const listed = new Map(rows.map((row) => [/`(\d+)`/.exec(row)![1]!, row]));
  expect([...listed.keys()].sort()).toEqual([...TEST_CARDS.map((card) => card.number), UNSUPPORTED_BANK_CARD].sort());
  for (const card of TEST_CARDS) {
    const row = listed.get(card.number)!;
    expect(row).toContain(BIND_OUTCOME_CODES[card.bind] ?? 'succeeds');
    expect(row).toContain(detectCard(card.number).bank!.name);
  }
});

test("the README's transfer-outcome table lists every test card with a payment behaviour, with its outcome", () => {
  const OUTCOMES = { normal: '成功', decline: '失败', fail_later: '已退回', no_answer: '不回答' } as const;
  const rows = readmeCardRows('### Wallet: transfer outcomes and the sandbox bank');
  const listed = new Map(rows.map((row) => [/`(\d+)`/.exec(row)![1]!, row]));
  const withBehaviour = TEST_CARDS.filter((card) => card.payment !== undefined);
  expect([...listed.keys()].sort()).toEqual(withBehaviour.map((card) => card.number).sort());
  for (const card of withBehaviour) expect(listed.get(card.number)).toContain(OUTCOMES[card.payment!]);
});

describe('one table of banks', () => {
  test('cards and branches name every bank from the same table: official name and the short form', async () => {
    const { BANKS: BRANCH_BANKS, BANK_CODES: BRANCH_BANK_CODES } = await import('../../server/domain/branches/catalog');
    for (const code of BRANCH_BANK_CODES) {
      const card = bankOf(code);
      expect([code, card.name, card.shortName]).toEqual([code, BRANCH_BANKS[code].name, BRANCH_BANKS[code].shortName]);
    }
    expect(bankOf('SPDB')).toMatchObject({ name: '上海浦东发展银行', shortName: '浦发银行' });
    expect(bankOf('ICBC')).toMatchObject({ name: '中国工商银行', shortName: '工商银行' });
    for (const code of BANK_CODES) expect(bankOf(code).shortName.length).toBeGreaterThan(1);
  });
});
