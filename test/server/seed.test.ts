/** The local host's demo data: written through the domain, idempotent, and usable for binding a test card. */
import { DEMO_IDENTITIES, DEMO_USERS, seedDemoData } from '../../server/host/seed';
import { TEST_CARDS } from '../../server/adapters/sandbox/test-cards';
import { startTestHost, type TestHost } from '../helpers/host';
import { bindCard, ok } from '../helpers/verification';

let host: TestHost;
beforeEach(async () => {
  host = await startTestHost();
});
afterEach(async () => {
  await host.close();
});

test('seeding twice gives the same users; demo user B is verified, has a card and a wallet, and can bind another card', async () => {
  await seedDemoData(host.app.deps, host.app.sandbox);
  await seedDemoData(host.app.deps, host.app.sandbox);
  expect(await host.app.deps.store.count('users')).toBe(DEMO_USERS.length);
  const [openid, identity] = Object.entries(DEMO_IDENTITIES)[0]!;
  expect(await ok(host, openid, 'user', { action: 'profile' })).toMatchObject({
    level: 'verified',
    identity: { name: '李四' },
    payPassword: { set: true },
  });
  const cards = await ok<{ cards: { lastFour: string }[] }>(host, openid, 'cards', { action: 'list' });
  expect(cards.cards.map((card) => card.lastFour)).toEqual(['0158']);
  const wallet = await ok<{ balanceFen: number; latest: { type: string; status: string }[] }>(host, openid, 'ledger', {
    action: 'summary',
  });
  expect(wallet.balanceFen).toBe(500_000 - 12_345 - 12);
  expect(wallet.latest.map((op) => `${op.type}:${op.status}`)).toEqual(['transfer:PROCESSING', 'topup:SUCCEEDED']);
  // the seed used the demo card's own phone: the shared test phone is free at once
  const card = await bindCard(host, openid, TEST_CARDS[0]!.number, identity);
  expect(card.lastFour).toBe('0018');
  // two full seeds (2,000 branches each pass) and a binding: seconds on a slow or busy machine
}, 30_000);
