/**
 * Sensitive numbers in the chat, however they are typed: a card, ID or phone number in ASCII or
 * full-width digits (a Chinese IME in full-width mode), mixed, and split by any common separator
 * (spaces of any width, dashes, dots, 、, ·…) is masked in what is stored, echoed to the user and
 * shown to staff — and the user is told it was.
 */
import fc from 'fast-check';
import { maskSensitiveText } from '../../server/domain/assistant/redact';
import { startTestHost, type TestHost } from '../helpers/host';
import type { ChatMessage, HistoryResult, SendResult } from '../../typings/assistant';

const STAFF_TOKEN = 'staff-secret-for-redaction-tests';
const NOTICE = '已为您打码保存';

/** `6` → `６`: what a Chinese IME types in full-width mode (digits and the ID check letter). */
const fullWidth = (char: string) => String.fromCharCode(char.charCodeAt(0) + 0xfee0);

const SEPARATORS = [
  ' ',
  '  ',
  '-',
  '.',
  '\u3000',
  '、',
  '·',
  '－',
  '．',
  '。',
  '・',
  '—',
  '–',
  '/',
  '_',
  '\u00a0',
  ' - ',
];

/** A card number, a mobile phone or an ID number (18 with a check digit or X, or the old 15). */
const secretNumber = fc.oneof(
  fc.stringMatching(/^62\d{14,17}$/),
  fc.stringMatching(/^[3-9]\d{11,18}$/),
  fc.stringMatching(/^1[3-9]\d{9}$/),
  fc.stringMatching(/^\d{17}[\dX]$/),
  fc.stringMatching(/^\d{15}$/),
);

/** The number as someone might type it: each character ASCII or full-width, any separators between. */
function typed(number: string): fc.Arbitrary<string> {
  const chars = [...number];
  const gap = fc.oneof(
    { weight: 3, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.constantFrom(...SEPARATORS) },
  );
  return fc
    .tuple(
      fc.array(fc.boolean(), { minLength: chars.length, maxLength: chars.length }),
      fc.array(gap, { minLength: chars.length - 1, maxLength: chars.length - 1 }),
    )
    .map(([wide, gaps]) => chars.map((char, i) => (wide[i] ? fullWidth(char) : char) + (gaps[i] ?? '')).join(''));
}

const numberAsTyped = secretNumber.chain((number) => typed(number).map((text) => ({ number, text })));
const chinese = fc.string({ unit: fc.constantFrom('我', '的', '卡', '号', '是', '，', ' ', '请', '查', '：') });

/** Every digit a reader sees, whatever its width: what must not spell the secret. */
const digitsOf = (text: string) => text.normalize('NFKC').replace(/[^0-9]/g, '');
/** The digits that must never be seen together (an ID's X is not a digit). */
const secretDigits = (number: string) => number.replace(/X$/, '');

describe('maskSensitiveText', () => {
  test.each([
    ['卡号６２２２０２０２００１１２２３３４４５', '卡号****3445'],
    ['卡号6222.0200.0000.0000.018', '卡号****0018'],
    ['卡号６２２２　０２０２　００１１　２２３３　４４５', '卡号****3445'],
    ['手机１３８１２３４５６７８', '手机1381234****'],
    ['手机138·1234·5678', '手机1381234****'],
    ['手机138、1234、5678', '手机1381234****'],
    ['身份证１１０１０５１９４９１２３１００２Ｘ', '身份证**************002X'],
    ['验证码９０５７１３', '验证码******'],
    ['卡号6222020200112233445x', '卡号****3445x'],
  ])('%s → %s', (text, masked) => {
    expect(maskSensitiveText(text)).toBe(masked);
  });

  test.each([
    '转１００元',
    '１２３４.５６元',
    '余额1234.56',
    '2026.11.28 的交易',
    '版本 1.2.3',
    '最近１０笔',
    '¥１０００００',
  ])('quantities stay as typed: %s', (text) => {
    expect(maskSensitiveText(text)).toBe(text);
  });

  test('no card, ID or phone number survives, in any width and with any separators, anywhere in Chinese text', () => {
    fc.assert(
      fc.property(chinese, numberAsTyped, chinese, (before, { number, text }, after) => {
        const masked = maskSensitiveText(`${before}${text}${after}`);
        expect(digitsOf(masked)).not.toContain(secretDigits(number));
      }),
      { numRuns: 500 },
    );
  });
});

describe('maskSensitiveText: the exact form of each kind of number', () => {
  test.each([
    ['a 15-digit (first-generation) ID number', '旧证号110105491231002', '旧证号***********1002'],
    ['an 18-digit ID number ending in a digit', '证件110105194912310021', '证件**************0021'],
    ['an 18-digit ID number ending in X', '证件11010519491231002X', '证件**************002X'],
    ['an 11-digit number that is not a phone (a card)', '卡23800138000', '卡****8000'],
    ['12 digits starting with 1: a card, not a phone', '卡100000000000', '卡****0000'],
    ['12 digits whose last 11 look like a phone', '卡213800138000', '卡****8000'],
    ['a phone', '电话13800138000', '电话1380013****'],
    ['a card number and the next word, spaced', '卡号6222 0200 0000 0000 018 x后', '卡号****0018 x后'],
  ])('%s', (_label, text, masked) => {
    expect(maskSensitiveText(text)).toBe(masked);
  });

  test.each([
    ['an amount in yuan', '金额123456元', '金额123456元'],
    ['an amount in full-width letters', '１２３４５６ＲＭＢ', '１２３４５６ＲＭＢ'],
    ['a count after a space', '共123456 笔', '共123456 笔'],
    ['a code, with a quantity word further on', '验证码123456，转账元旦', '验证码******，转账元旦'],
    ['a code right before a number that is a quantity', '码123456 共2笔', '码****** 共2笔'],
  ])('six digits: %s', (_label, text, masked) => {
    expect(maskSensitiveText(text)).toBe(masked);
  });
});

describe('through the host: stored, echoed, shown to staff', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost({ staffToken: STAFF_TOKEN });
  });
  afterAll(async () => {
    await host.close();
  });

  type Ok<T> = { ok: true; data: T };

  async function call<T>(openid: string, action: string, fields: object = {}): Promise<T> {
    const body = (
      await host.call<Ok<T> | { ok: false; error: { code: string } }>('assistant', { action, ...fields }, openid)
    ).body;
    if (!body.ok) throw new Error(`${action}: ${body.error.code}`);
    return body.data;
  }

  async function staff<T>(method: 'GET' | 'POST', path: string, body?: object): Promise<T> {
    const response = await host.raw(path, {
      method,
      headers: { 'content-type': 'application/json', 'X-Staff-Token': STAFF_TOKEN },
      body: body ? JSON.stringify(body) : undefined,
    });
    const parsed = JSON.parse(response.text) as Ok<T> | { ok: false; error: { code: string } };
    if (!parsed.ok) throw new Error(`${path}: ${parsed.error.code}`);
    return parsed.data;
  }

  function expectMasked(texts: string[], number: string): void {
    for (const text of texts) expect(digitsOf(text)).not.toContain(secretDigits(number));
  }

  let run = 0;
  test('any number as typed is masked in the echo, the history, the stored documents and the staff console', async () => {
    await fc.assert(
      fc.asyncProperty(chinese, numberAsTyped, numberAsTyped, async (before, user, agent) => {
        const openid = `o-redact-${run++}`;
        const session = await host.call<Ok<{ userId: string }>>('user', { action: 'session' }, openid);
        const userId = session.body.data.userId;

        const sent = await call<SendResult>(openid, 'send', { text: `${before}卡号${user.text}，帮我查一下` });
        expectMasked(
          sent.messages.map((message) => message.text),
          user.number,
        );
        expect(sent.messages.find((message) => message.role === 'bot')!.text).toContain(NOTICE);

        await call(openid, 'requestHandoff');
        const reply = await staff<ChatMessage>('POST', '/staff/reply', {
          conversationId: userId,
          text: `请确认号码 ${agent.text} 是否正确`,
        });
        expectMasked([reply.text], agent.number);

        const history = await call<HistoryResult>(openid, 'history');
        const transcript = await staff<{ messages: ChatMessage[] }>(
          'GET',
          `/staff/transcript?conversationId=${userId}`,
        );
        const stored = await host.app.deps.store.find('assistantMessages', {
          where: [{ field: 'userId', op: '==', value: userId }],
        });
        for (const texts of [history.messages, transcript.messages, stored].map((list) => list.map((m) => m.text))) {
          expectMasked(texts, user.number);
          expectMasked(texts, agent.number);
        }
      }),
      { numRuns: 25 },
    );
    // each run is a whole chat, handoff and staff reply over HTTP
  }, 60_000);
});
