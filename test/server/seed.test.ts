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

test('seeding twice gives the same users; demo user B is verified and can bind a card with its password', async () => {
  await seedDemoData(host.app.deps);
  await seedDemoData(host.app.deps);
  expect(await host.app.deps.store.count('users')).toBe(DEMO_USERS.length);
  const [openid, identity] = Object.entries(DEMO_IDENTITIES)[0]!;
  expect(await ok(host, openid, 'user', { action: 'profile' })).toMatchObject({
    level: 'verified',
    identity: { name: '李四' },
    payPassword: { set: true },
  });
  const card = await bindCard(host, openid, TEST_CARDS[0]!.number, identity);
  expect(card.lastFour).toBe('0018');
});
