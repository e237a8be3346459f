/**
 * The assistant's own rules, on a temp SQLite file: the pay-password gate on balance and entries,
 * 免密查询's lifecycle, private answers kept out of the transcript, and that ports are only ever
 * asked about the caller. The facts port is a recording fixture standing in for the ledger, cards
 * and branches modules (not on this branch yet); everything else is the real domain.
 */
import { MemoryLogger } from '../../server/adapters/system';
import { SqliteStore } from '../../server/adapters/sqlite/store';
import { PRIVATE_PLACEHOLDER } from '../../server/domain/assistant/answers';
import { history, sendMessage, unlock } from '../../server/domain/assistant/chat';
import {
  disableQuickQuery,
  enableQuickQuery,
  quickQueryStatus,
  revokeQuickQuery,
} from '../../server/domain/assistant/quick-query';
import { COLLECTION_SPECS, type Collections } from '../../server/domain/collections';
import type { DomainDeps } from '../../server/domain/deps';
import { AppError } from '../../server/domain/errors';
import type { AssistantData, AssistantPorts } from '../../server/domain/ports/assistant';
import { ManualClock } from '../helpers/clock';
import { removeTempDirs, tempDbFile } from '../helpers/tmp';
import { testDeps } from '../helpers/deps';

const DAY = 24 * 60 * 60 * 1000;
const RIGHT_PASSWORD = '246810';

/** Per-user facts, and every call the assistant made, so a test can see who was asked about. */
class RecordingData implements AssistantData {
  readonly calls: { method: string; userId?: string; count?: number }[] = [];
  constructor(private readonly balances: Record<string, number>) {}
  async balance(userId: string) {
    this.calls.push({ method: 'balance', userId });
    return { balanceFen: this.balances[userId] ?? 0, pendingFen: 0 };
  }
  async recentEntries(userId: string, count: number) {
    this.calls.push({ method: 'recentEntries', userId, count });
    return [
      {
        id: 'e1',
        title: '转账到银行卡',
        counterparty: '招商银行(1234)',
        amountFen: -(this.balances[userId] ?? 0),
        feeFen: 10,
        status: 'pending' as const,
        createdAt: Date.UTC(2026, 10, 28, 6, 5),
      },
    ];
  }
  async cards(userId: string) {
    this.calls.push({ method: 'cards', userId });
    return [{ bankName: '招商银行', cardType: 'debit' as const, lastFour: '1234' }];
  }
  async transferStatus(userId: string) {
    this.calls.push({ method: 'transferStatus', userId });
    return null;
  }
  async nearestBranches(latitude: number, longitude: number, count: number) {
    this.calls.push({ method: 'nearestBranches', count });
    return [
      {
        id: 'b1',
        name: '招商银行深圳科技园支行',
        address: '深圳市南山区科技园',
        distanceMetres: latitude > 0 && longitude > 0 ? 850 : 0,
        openNow: true,
        waitingCount: 4,
        estimatedWaitMinutes: 12,
      },
    ];
  }
}

let store: SqliteStore<Collections>;
let deps: DomainDeps;
let clock: ManualClock;
let data: RecordingData;
let ports: AssistantPorts;
let verifications: string[];

beforeEach(() => {
  clock = new ManualClock();
  store = new SqliteStore<Collections>({
    file: tempDbFile(),
    collections: COLLECTION_SPECS,
    rehearseTransactions: true,
  });
  let counter = 0;
  deps = testDeps({ store, clock, ids: { next: (prefix) => `${prefix}_${++counter}` }, log: new MemoryLogger() });
  data = new RecordingData({ u_alice: 123_456, u_bob: 987_654 });
  verifications = [];
  ports = {
    data,
    verifyPayPassword: async (userId, password) => {
      verifications.push(userId);
      if (password !== RIGHT_PASSWORD) throw new AppError('INVALID_ARGUMENT', '支付密码错误，还可以再试 4 次');
    },
  };
});
afterEach(async () => {
  await store.close();
});
afterAll(() => removeTempDirs());

const say = (userId: string, text: string) => sendMessage(deps, ports, userId, { text });
const botOf = (result: { messages: { role: string; text: string; reply?: unknown }[] }) =>
  result.messages.find((message) => message.role === 'bot')!;

describe('balance and entries are gated', () => {
  test('without 免密查询 the reply asks for the pay-password sheet and the data port is not asked', async () => {
    for (const text of ['CXYE', '我的余额', 'CXMX#3', '最近3笔交易']) {
      const bot = botOf(await say('u_alice', text));
      expect(bot.reply).toMatchObject({ kind: 'payPassword' });
      expect(bot.text).not.toMatch(/¥/);
    }
    expect(data.calls).toEqual([]);
    const prompt = botOf(await say('u_alice', 'CXMX#3'));
    expect(prompt.reply).toMatchObject({ unlock: { intent: 'entries', count: 3 } });
  });

  test('the password in a shortcode unlocks one answer, which the transcript does not keep', async () => {
    const result = await say('u_alice', `CXYE#${RIGHT_PASSWORD}`);
    expect(result.messages[0]!.text).toBe('CXYE#******');
    expect(botOf(result).text).toContain('¥1,234.56');
    expect(verifications).toEqual(['u_alice']);
    const stored = await history(deps, 'u_alice', {});
    expect(stored.messages.map((m) => m.text)).toEqual(['CXYE#******', PRIVATE_PLACEHOLDER.balance]);
    expect(JSON.stringify(stored)).not.toContain('1,234.56');
    // The next plain query asks again: one verification, one answer.
    expect(botOf(await say('u_alice', 'CXYE')).reply).toMatchObject({ kind: 'payPassword' });
  });

  test('a wrong password in a shortcode is answered with the check’s message, no data', async () => {
    const bot = botOf(await say('u_alice', 'CXYE#111111'));
    expect(bot.text).toContain('支付密码错误');
    expect(data.calls).toEqual([]);
  });

  test('unlock: the sheet’s password answers; a wrong one is the action’s error and adds nothing', async () => {
    await expect(unlock(deps, ports, 'u_alice', { intent: 'balance', payPassword: '000000' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect((await history(deps, 'u_alice', {})).messages).toEqual([]);
    const result = await unlock(deps, ports, 'u_alice', { intent: 'entries', count: 2, payPassword: RIGHT_PASSWORD });
    expect(result.messages).toHaveLength(1);
    expect(result.messages[0]!.text).toContain('转账到银行卡 招商银行(1234) -¥1,234.56（手续费 ¥0.10） 处理中');
    expect(data.calls).toEqual([{ method: 'recentEntries', userId: 'u_alice', count: 2 }]);
    expect((await history(deps, 'u_alice', {})).messages[0]!.text).toBe(PRIVATE_PLACEHOLDER.entries);
  });

  test('another user’s facts never appear: ports are asked about the caller only', async () => {
    await enableQuickQuery(deps, 'u_bob', 30, RIGHT_PASSWORD, ports.verifyPayPassword);
    const bob = botOf(await say('u_bob', '查余额'));
    expect(bob.text).toContain('¥9,876.54');
    expect(bob.text).not.toContain('1,234.56');
    // Alice has no 免密查询 of her own: Bob's does not answer for her.
    expect(botOf(await say('u_alice', '查余额')).reply).toMatchObject({ kind: 'payPassword' });
    expect(data.calls.map((call) => call.userId)).toEqual(['u_bob']);
    expect((await history(deps, 'u_alice', {})).messages.map((m) => m.text).join()).not.toMatch(/9,876|¥/);
  });
});

describe('免密查询', () => {
  test('enabled with the pay password for a chosen validity; answers without a password until it expires', async () => {
    await expect(enableQuickQuery(deps, 'u_alice', 30, '135790', ports.verifyPayPassword)).rejects.toBeInstanceOf(
      AppError,
    );
    expect((await quickQueryStatus(deps, 'u_alice')).enabled).toBe(false);
    const view = await enableQuickQuery(deps, 'u_alice', 1, RIGHT_PASSWORD, ports.verifyPayPassword);
    expect(view).toMatchObject({ enabled: true, days: 1, expiresAt: clock.now() + DAY, choices: [1, 30, 90] });
    expect(botOf(await say('u_alice', 'CXYE')).text).toContain('¥1,234.56');
    clock.advance(DAY - 1);
    expect(botOf(await say('u_alice', '余额')).text).toContain('¥1,234.56');
    clock.advance(1);
    expect(botOf(await say('u_alice', '余额')).reply).toMatchObject({ kind: 'payPassword' });
    expect((await quickQueryStatus(deps, 'u_alice')).enabled).toBe(false);
  });

  test('turned off by the user, by a pay password change, or by unbinding all cards (inside their transaction)', async () => {
    for (const reason of ['userDisabled', 'payPasswordChanged', 'allCardsUnbound'] as const) {
      await enableQuickQuery(deps, 'u_alice', 90, RIGHT_PASSWORD, ports.verifyPayPassword);
      if (reason === 'userDisabled') await disableQuickQuery(deps, 'u_alice');
      else await store.transaction((tx) => revokeQuickQuery(tx, 'u_alice', reason, clock.now()));
      expect(await quickQueryStatus(deps, 'u_alice')).toMatchObject({ enabled: false, offReason: reason });
      expect(botOf(await say('u_alice', 'CXYE')).reply).toMatchObject({ kind: 'payPassword' });
    }
  });

  test('revoking when it is off changes nothing', async () => {
    await store.transaction((tx) => revokeQuickQuery(tx, 'u_nobody', 'payPasswordChanged', clock.now()));
    expect(await quickQueryStatus(deps, 'u_nobody')).toMatchObject({ enabled: false, offReason: null });
  });
});

describe('other data-bearing intents', () => {
  test('cards answer with bank, type and last four, without a password', async () => {
    const bot = botOf(await say('u_alice', 'CXKA'));
    expect(bot.text).toContain('招商银行 储蓄卡 尾号1234');
    expect(bot.reply).toMatchObject({
      kind: 'answer',
      links: expect.arrayContaining([expect.objectContaining({ url: '/pages/cards/index' })]),
    });
  });

  test('fee questions with an amount get the figures from the ledger’s fee rules', async () => {
    expect(botOf(await say('u_alice', '转账5000块要多少手续费')).text).toContain(
      '转账 ¥5,000.00 的手续费为 ¥5.00，零钱共扣 ¥5,005.00',
    );
    expect(botOf(await say('u_alice', '提现2000元手续费多少')).text).toContain(
      '若 ¥1,000.00 免费额度尚未使用，手续费 ¥1.00；免费额度用完后，手续费 ¥2.00',
    );
    expect(botOf(await say('u_alice', 'FL#60000')).text).toContain('超过单笔转账限额 ¥50,000.00');
  });

  test('nearest branch needs the location, then lists distance and queue with links', async () => {
    expect(botOf(await say('u_alice', 'WD')).reply).toMatchObject({ kind: 'location' });
    const result = await sendMessage(deps, ports, 'u_alice', {
      text: '附近的网点',
      location: { latitude: 22.54, longitude: 113.95 },
    });
    expect(botOf(result).text).toContain('850米，营业中，排队 4 人，约 12 分钟');
    expect(botOf(result).reply).toMatchObject({
      links: expect.arrayContaining([
        { label: '招商银行深圳科技园支行', url: '/packageBranches/pages/detail/index?id=b1' },
      ]),
    });
  });
});

describe('an optional understanding service', () => {
  test('is consulted only when the matcher is unsure, sees masked text, and may pick a known entry', async () => {
    const asked: string[] = [];
    ports.understanding = {
      guess: async (text, entryIds) => {
        asked.push(text);
        expect(entryIds).toContain('card.lost');
        return [
          { entryId: 'no.such.entry', confidence: 0.99 },
          { entryId: 'card.lost', confidence: 0.8 },
        ];
      },
    };
    expect(botOf(await say('u_alice', '查余额')).reply).toMatchObject({ intent: 'balance' });
    const bot = botOf(await say('u_alice', '我那个6222020200112233445找不着了'));
    expect(asked).toEqual(['我那个****3445找不着了']);
    expect(bot.reply).toMatchObject({ intent: 'card.lost', kind: 'answer', confidence: 0.8 });
  });

  test('when it fails or is unsure, the guesses stand', async () => {
    ports.understanding = {
      guess: async () => {
        throw new Error('service down');
      },
    };
    expect(botOf(await say('u_alice', '今天天气怎么样')).reply).toMatchObject({ kind: 'guesses' });
    ports.understanding = { guess: async () => [{ entryId: 'card.lost', confidence: 0.2 }] };
    expect(botOf(await say('u_alice', '今天天气怎么样')).reply).toMatchObject({ kind: 'guesses' });
  });
});
