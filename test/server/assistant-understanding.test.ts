/**
 * How well the assistant understands: the utterance table's accuracy (printed), shortcodes, the
 * knowledge base's integrity, entity extraction and edit distance.
 */
import fc from 'fast-check';
import { knowledge, loadKnowledge } from '../../server/domain/assistant/knowledge';
import { parseShortcode, SHORTCODES } from '../../server/domain/assistant/shortcodes';
import {
  editDistance,
  extractEntities,
  normalize,
  substringEditCost,
  Homophones,
} from '../../server/domain/assistant/text';
import { FALLBACK_INTENT, understand } from '../../server/domain/assistant/understand';
import { PAGE_ROUTES } from '../../server/domain/assistant/links';
import { maskSensitiveText } from '../../server/domain/assistant/redact';
import { HELD_OUT_1, HELD_OUT_2, TUNING, UTTERANCES, type Utterance } from './assistant-utterances';

const NOW = Date.UTC(2026, 10, 28, 2, 0); // 2026-11-28 10:00 China time

function score(rows: readonly Utterance[]) {
  const misses: string[] = [];
  let inTopThree = 0;
  for (const [text, expected] of rows) {
    const result = understand(text, NOW);
    if (result.intent !== expected) misses.push(`${text} → ${result.intent} (want ${expected})`);
    const topThree = result.match ? result.match.ranked.slice(0, 3).map((scored) => scored.entry.id) : [result.intent];
    if (expected === FALLBACK_INTENT || topThree.includes(expected)) inTopThree++;
  }
  const hits = rows.length - misses.length;
  return { hits, total: rows.length, percent: (100 * hits) / rows.length, inTopThree, misses };
}

const pct = (value: number) => `${value.toFixed(1)}%`;

describe('the utterance table', () => {
  test('has at least 100 rows, and none copies a knowledge-base question verbatim', () => {
    expect(UTTERANCES.length).toBeGreaterThanOrEqual(100);
    const questions = new Set(knowledge().entries.flatMap((entry) => entry.questions.map(normalize)));
    const verbatim = UTTERANCES.filter(([text, , kind]) => kind !== 'shortcode' && questions.has(normalize(text)));
    // Short greetings have one natural form.
    expect(verbatim.map(([text]) => text)).toEqual(['拜拜', '早上好']);
  });

  test('accuracy ≥ 90% overall and 100% on shortcodes (figures printed)', () => {
    const all = score(UTTERANCES);
    const kinds = (['typed', 'typo', 'numbers', 'shortcode'] as const).map((kind) => {
      const result = score(UTTERANCES.filter((row) => row[2] === kind));
      return `${kind} ${result.hits}/${result.total} ${pct(result.percent)}`;
    });
    const blocks = { tuning: TUNING, 'held-out 1': HELD_OUT_1, 'held-out 2 (never tuned on)': HELD_OUT_2 };
    const lines = [
      `assistant intent accuracy: ${all.hits}/${all.total} = ${pct(all.percent)} (expected intent in the top 3: ${all.inTopThree}/${all.total})`,
      `  by kind: ${kinds.join(' · ')}`,
      ...Object.entries(blocks).map(([name, rows]) => {
        const result = score(rows);
        return `  ${name}: ${result.hits}/${result.total} = ${pct(result.percent)}, top 3 ${result.inTopThree}/${result.total}`;
      }),
      `  misses:\n    ${all.misses.join('\n    ')}`,
    ];
    console.log(lines.join('\n'));
    expect(all.percent).toBeGreaterThanOrEqual(90);
    expect(score(UTTERANCES.filter((row) => row[2] === 'shortcode')).misses).toEqual([]);
  });
});

describe('shortcodes', () => {
  test.each([
    ['CXYE', 'balance', {}],
    ['cxye#135790', 'balance', { password: '135790' }],
    ['CXYE#6222 0202 0011 2233 445#135790', 'balance', { password: '135790', cardIgnored: true }],
    ['ＣＸＭＸ＃１５', 'entries', { count: 15 }],
    ['CXMX # 10 # 135790', 'entries', { count: 10, password: '135790' }],
    ['ZZCX#tx_00ab12cd', 'transferStatus', { reference: 'tx_00ab12cd' }],
    ['FL#1,000.5', 'fees', { amountFen: 100_050 }],
    ['ZZ#500', 'transfer', { amountFen: 50_000 }],
  ])('%s → %s', (text, intent, args) => {
    const result = parseShortcode(text);
    expect(result).toMatchObject({ ok: true, spec: { intent } });
    expect(result?.ok && result.args).toEqual(args);
  });

  test.each([
    ['CXYE#12', '无法识别参数'],
    ['CXYE#135790#246802', '只需输入一次'],
    ['CXMX#99', '笔数应在 1–20 之间'],
    ['CXKA#1', '不需要参数'],
    ['FL#abc', '无法识别参数'],
    ['FL#0', '金额应大于 0'],
    ['CXYE#', '缺少内容'],
    ['CXEY', '您是不是要输入 CXYE'],
    ['HLEP', '您是不是要输入 HELP'],
  ])('%s → usage hint (%s)', (text, hint) => {
    const result = parseShortcode(text);
    expect(result).toMatchObject({ ok: false });
    expect(result?.ok === false && result.problem).toContain(hint);
  });

  test('free text and short near-misses are not shortcodes', () => {
    for (const text of ['hi', 'ok', 'hello', 'thanks', '查余额', 'CX', 'CXYEZZZ', 'wdx'])
      expect(parseShortcode(text)).toBeNull();
  });

  test('the stored form masks passwords and card numbers, also in malformed codes', () => {
    expect(parseShortcode('CXYE#6222020200112233445#135790')?.maskedText).toBe('CXYE#****3445#******');
    expect(parseShortcode('CXMX#10#135790')?.maskedText).toBe('CXMX#10#******');
    expect(parseShortcode('FL#100000')?.maskedText).toBe('FL#100000');
    expect(parseShortcode('CXKA#135790')?.maskedText).toBe('CXKA#******');
    expect(parseShortcode('CXEY#62220202001122#x')?.maskedText).toBe('CXEY#****1122#x');
    fc.assert(
      fc.property(fc.stringMatching(/^\d{6}$/), fc.stringMatching(/^\d{16,19}$/), (password, card) => {
        for (const code of ['CXYE', 'CXMX', 'CXKA', 'WD', 'ZZCX', 'CXEY']) {
          const masked = parseShortcode(`${code}#${card}#${password}`)?.maskedText ?? '';
          expect(masked).not.toContain(card);
          expect(masked.split('#').slice(1)).not.toContain(password);
        }
      }),
    );
  });

  test('every code is documented with a usage line and maps to a knowledge entry', () => {
    for (const spec of SHORTCODES) {
      expect(knowledge().byId.has(spec.intent)).toBe(true);
      expect(spec.usage).toContain(spec.code);
    }
  });
});

describe('the knowledge base', () => {
  const kb = knowledge();

  test('has at least 60 FAQ answers with every placeholder filled and every link a known page', () => {
    const faqs = kb.entries.filter((entry) => entry.kind === 'faq');
    expect(faqs.length).toBeGreaterThanOrEqual(60);
    for (const entry of faqs) {
      expect(entry.answer).not.toMatch(/[{}]/);
      // a main-package page or a subpackage page (packageBranches/pages/…)
      for (const item of entry.links) expect(PAGE_ROUTES[item.page]).toMatch(/^\/(package[A-Z]\w*\/)?pages\//);
    }
  });

  test('states the product rules from the config (fees, quota, limits, hours)', () => {
    const answer = (id: string) => kb.byId.get(id)!.answer!;
    expect(answer('fee.transfer')).toContain('0.1%');
    expect(answer('fee.transfer')).toContain('¥0.10');
    expect(answer('fee.withdrawQuota')).toContain('¥1,000.00');
    expect(answer('limit.transferSingle')).toContain('¥50,000.00');
    expect(answer('limit.cards')).toContain('10 张');
    expect(answer('pw.locked')).toMatch(/5 次.*3 小时/);
    expect(answer('card.codeExpired')).toMatch(/5 分钟.*60 秒/);
    expect(answer('assistant.serviceHours')).toContain('07:00–22:00');
  });

  test('each entry’s first question (what its quick reply sends) is understood as that entry', () => {
    const wrong = kb.entries
      .map((entry) => [entry.questions[0]!, entry.id, understand(entry.questions[0]!, NOW).intent] as const)
      .filter(([, id, intent]) => id !== intent);
    expect(wrong).toEqual([]);
  });

  test('a malformed file fails loudly at load', () => {
    const base = { synonyms: {}, homophones: [] };
    const faq = { id: 'x', kind: 'faq', title: 'x', questions: ['q'], keywords: [] };
    expect(() => loadKnowledge({ ...base, entries: [{ ...faq, answer: '{nope}' }] })).toThrow(/unknown placeholder/);
    expect(() =>
      loadKnowledge({ ...base, entries: [{ ...faq, answer: 'a', links: [{ label: 'l', page: 'nowhere' }] }] }),
    ).toThrow(/no known page/);
    expect(() =>
      loadKnowledge({
        ...base,
        entries: [
          { ...faq, answer: 'a' },
          { ...faq, answer: 'b' },
        ],
      }),
    ).toThrow(/duplicate/);
    expect(() => loadKnowledge({ ...base, entries: [{ ...faq, answer: 'a', related: ['y'] }] })).toThrow(/related y/);
  });
});

describe('text tools', () => {
  test('edit distance counts transpositions once; substring cost finds homophone typos cheaply', () => {
    expect(editDistance('CXYE', 'CXEY')).toBe(1);
    expect(editDistance('HELP', 'HELLO')).toBe(2);
    const homophones = new Homophones(['余鱼于', '额俄']);
    expect(substringEditCost('帮我查一下余额吧', '余额', homophones)).toBe(0);
    expect(substringEditCost('我的鱼额', '余额', homophones)).toBeCloseTo(0.35);
    expect(substringEditCost('我的鱼俄', '余额', homophones)).toBeCloseTo(0.7);
    expect(substringEditCost('我的钱', '余额', homophones)).toBe(2);
  });

  test('amounts, counts, dates and references are extracted', () => {
    const at = (text: string) => extractEntities(normalize(text), NOW);
    expect(at('转500元给张三')).toMatchObject({ amountFen: 50_000 });
    expect(at('转账¥1,234.5')).toMatchObject({ amountFen: 123_450 });
    expect(at('转1.5万')).toMatchObject({ amountFen: 1_500_000 });
    expect(at('提现两千块')).toMatchObject({ amountFen: 200_000 });
    expect(at('转1000给他')).toMatchObject({ amountFen: 100_000 });
    expect(at('最近10笔')).toEqual({ count: 10 });
    expect(at('最近二十笔')).toEqual({ count: 20 });
    expect(at('昨天的账单')).toEqual({ day: '2026-11-27' });
    expect(at('11月5日转的钱')).toEqual({ day: '2026-11-05' });
    expect(at('12月5日')).toEqual({ day: '2025-12-05' });
    expect(at('上个月的流水')).toEqual({ month: '2026-10' });
    expect(at('tx_00ab12cd 到了吗')).toEqual({ reference: 'tx_00ab12cd' });
    expect(at('查一下余额')).toEqual({});
  });
});

describe('masking free text', () => {
  test.each([
    ['卡号 6222 0202 0011 2233 445 请查询', '卡号 ****3445 请查询'],
    ['6222-0202-0011-2233', '****2233'],
    ['我的手机13812345678', '我的手机1381234****'],
    ['身份证11010519491231002x', '身份证**************002x'],
    ['身份证110105491231002', '身份证***********1002'],
    ['验证码是905713', '验证码是******'],
    ['密码 135790 对吗', '密码 ****** 对吗'],
    ['转100000元', '转100000元'],
    ['¥100000', '¥100000'],
    ['100000.50', '100000.50'],
    ['最近10笔', '最近10笔'],
    ['2026-11-28 的交易', '2026-11-28 的交易'],
    ['tx_0001abcd', 'tx_0001abcd'],
  ])('%s → %s', (text, masked) => {
    expect(maskSensitiveText(text)).toBe(masked);
  });

  test('no card number, phone or 6-digit code survives, wherever it sits in Chinese text', () => {
    const chinese = fc.string({ unit: fc.constantFrom('我', '的', '卡', '号', '是', '，', ' ', '请', '查') });
    const secret = fc.oneof(
      fc.stringMatching(/^62\d{14,17}$/),
      fc.stringMatching(/^1[3-9]\d{9}$/),
      fc.stringMatching(/^\d{6}$/),
    );
    fc.assert(
      fc.property(chinese, secret, chinese, (before, value, after) => {
        expect(maskSensitiveText(`${before}${value}${after}`)).not.toContain(value);
      }),
    );
  });
});
