/**
 * The mini program's one money formatter and parser (utils/money.ts), by properties over any
 * amount: what is shown parses back to the same fen, the keypad can only ever hold text that
 * parses, and no float is ever involved.
 */
import fc from 'fast-check';
import { amountText, formatFen, formatSignedFen, parseAmount, pressAmountKey } from '../../miniprogram/utils/money';
import { formatFen as serverFormatFen } from '../../server/domain/format';

/** Up to 13 digits of yuan (parseAmount's bound, where fen stay a safe integer): far past any limit. */
const anyFen = fc.integer({ min: 0, max: 999_999_999_999_999 });
const keys = fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '.', 'delete');

test('examples, as the pages show them', () => {
  expect(formatFen(0)).toBe('¥0.00');
  expect(formatFen(5)).toBe('¥0.05');
  expect(formatFen(12_345)).toBe('¥123.45');
  expect(formatFen(123_456_789)).toBe('¥1,234,567.89');
  expect(formatFen(-12_357)).toBe('-¥123.57');
  expect(formatSignedFen(10_000)).toBe('+¥100.00');
  expect(formatSignedFen(0)).toBe('¥0.00');
  expect(amountText(12_340)).toBe('123.40');
  expect(amountText(12_300)).toBe('123');
  expect(parseAmount('.5')).toEqual({ ok: true, fen: 50 });
  expect(parseAmount('123.')).toEqual({ ok: true, fen: 12_300 });
  expect(parseAmount('¥1,234.56')).toEqual({ ok: true, fen: 123_456 });
  expect(parseAmount('0.1 ')).toEqual({ ok: true, fen: 10 });
});

test('refusals say why, in Chinese', () => {
  expect(parseAmount('')).toEqual({ ok: false, error: '请输入金额' });
  expect(parseAmount('-1')).toEqual({ ok: false, error: '金额不能为负数' });
  expect(parseAmount('1.234')).toEqual({ ok: false, error: '金额最多两位小数' });
  expect(parseAmount('0')).toEqual({ ok: false, error: '请输入大于0的金额' });
  for (const bad of ['1e3', 'abc', '1.2.3', '.', '1,23', '12,3456', 'NaN', 'Infinity', '0x10', '１２']) {
    expect(parseAmount(bad)).toEqual({ ok: false, error: '请输入正确的金额' });
  }
  expect(parseAmount('50000.01', { maxFen: 5_000_000 })).toEqual({ ok: false, error: '单笔不能超过 ¥50,000.00' });
  expect(parseAmount('99999999999999999999')).toMatchObject({ ok: false });
});

test('what is shown parses back to the same fen: formatFen and amountText', () => {
  fc.assert(
    fc.property(anyFen, (fen) => {
      const limits = { minFen: 0 };
      expect(parseAmount(formatFen(fen), limits)).toEqual({ ok: true, fen });
      expect(parseAmount(amountText(fen), limits)).toEqual({ ok: true, fen });
    }),
    { numRuns: 2_000 },
  );
});

test('formatFen: sign, grouping by threes and exactly two decimals, for any integer', () => {
  fc.assert(
    fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (fen) => {
      const text = formatFen(fen);
      expect(text).toMatch(/^-?¥(0|[1-9]\d{0,2}(,\d{3})*)\.\d{2}$/);
      expect(text.startsWith('-')).toBe(fen < 0);
      const digits = text.replace(/[-¥,.]/g, '');
      expect(BigInt(digits)).toBe(BigInt(Math.abs(fen)));
    }),
    { numRuns: 2_000 },
  );
});

test('the keypad only ever holds well-formed text, and what it holds parses (or is empty)', () => {
  fc.assert(
    fc.property(fc.array(keys, { maxLength: 40 }), (presses) => {
      let text = '';
      for (const key of presses) {
        text = pressAmountKey(text, key);
        expect(text).toMatch(/^(|0|0\.\d{0,2}|[1-9]\d{0,7}(\.\d{0,2})?)$/);
        if (text !== '') {
          const parsed = parseAmount(text, { minFen: 0 });
          expect(parsed.ok).toBe(true);
        }
      }
    }),
    { numRuns: 1_000 },
  );
});

test('typing an amount digit by digit on the keypad gives the same fen as the amount', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 9_999_999_999 }), (fen) => {
      const typed = Array.from(amountText(fen)).reduce(pressAmountKey, '');
      expect(parseAmount(typed)).toEqual({ ok: true, fen });
    }),
    { numRuns: 2_000 },
  );
});

test('the server writes amounts (chat answers, messages) exactly as the pages show them', () => {
  // two runtimes cannot share one module (the mini program ships only its own folder): one format, checked equal
  fc.assert(
    fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (fen) => {
      expect(serverFormatFen(fen)).toBe(formatFen(fen));
    }),
    { numRuns: 2_000 },
  );
});
