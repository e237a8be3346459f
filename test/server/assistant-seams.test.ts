/**
 * The assistant's seams that belong to verification and cards, over HTTP: its pay-password check
 * is the real one (purpose assistant.query), "my cards" reads bound cards, and 免密查询 ends in the
 * same commit as a pay-password change or the unbinding of the last card.
 */
import { TEST_CARDS } from '../../server/adapters/sandbox/test-cards';
import { startTestHost, type TestHost } from '../helpers/host';
import { ALICE, bindCard, ok, verifiedUser } from '../helpers/verification';

let host: TestHost;
beforeEach(async () => {
  host = await startTestHost();
  await verifiedUser(host, 'o-alice', ALICE);
  await ok(host, 'o-alice', 'assistant', { action: 'enableQuickQuery', days: 30, payPassword: ALICE.payPassword });
});
afterEach(async () => {
  await host.close();
});

const status = () =>
  ok<{ enabled: boolean; offReason: string | null }>(host, 'o-alice', 'assistant', { action: 'quickQueryStatus' });
const ask = async (text: string) => {
  const result = await ok<{ messages: { role: string; text: string }[] }>(host, 'o-alice', 'assistant', {
    action: 'send',
    text,
  });
  return result.messages.find((message) => message.role === 'bot')!.text;
};

test('"my cards" lists the bound cards by bank, type and last four', async () => {
  expect(await ask('CXKA')).toBe('您还没有绑定银行卡。');
  await bindCard(host, 'o-alice', TEST_CARDS[0]!.number);
  await bindCard(host, 'o-alice', TEST_CARDS[3]!.number);
  expect(await ask('CXKA')).toBe('您已绑定 2 张银行卡：\n中国工商银行 储蓄卡 尾号0018\n招商银行 信用卡 尾号0048');
});

test('changing the pay password turns 免密查询 off', async () => {
  expect(await status()).toMatchObject({ enabled: true });
  await ok(host, 'o-alice', 'verify', {
    action: 'changePayPassword',
    oldPayPassword: ALICE.payPassword,
    newPayPassword: '739184',
    confirmPayPassword: '739184',
  });
  expect(await status()).toMatchObject({ enabled: false, offReason: 'payPasswordChanged' });
});

test('unbinding a card keeps 免密查询 while another is bound; unbinding the last one ends it', async () => {
  const first = await bindCard(host, 'o-alice', TEST_CARDS[0]!.number);
  const second = await bindCard(host, 'o-alice', TEST_CARDS[1]!.number);
  await ok(host, 'o-alice', 'cards', { action: 'unbind', cardId: first.cardId, payPassword: ALICE.payPassword });
  expect(await status()).toMatchObject({ enabled: true });
  await ok(host, 'o-alice', 'cards', { action: 'unbind', cardId: second.cardId, payPassword: ALICE.payPassword });
  expect(await status()).toMatchObject({ enabled: false, offReason: 'allCardsUnbound' });
});
