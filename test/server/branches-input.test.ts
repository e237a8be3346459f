/** Every `branches` action refuses malformed input with INVALID_ARGUMENT and a Chinese message, writing nothing. */
import { addBranches, branches, chinaTime, machineSecretFor, makeBranch } from '../helpers/branches';
import { bookingUser } from '../helpers/booking';
import { startTestHost, type TestHost } from '../helpers/host';

let host: TestHost;
beforeAll(async () => {
  host = await startTestHost();
  host.clock.set(chinaTime(2026, 11, 30, 8));
  await addBranches(host, [makeBranch('br_in')]);
  await bookingUser(host, 'o-input');
});
afterAll(async () => {
  await host.close();
});

const huge = 'x'.repeat(10 * 1024);
const valid = {
  nearby: { lat: 39.9, lng: 116.4 },
  detail: { branchId: 'br_in' },
  slots: { branchId: 'br_in', service: 'personal' },
  book: { branchId: 'br_in', service: 'personal', date: '2026-11-30', time: '10:00' },
  cancel: { appointmentId: `ap_${'a'.repeat(32)}` },
  queueFeed: {
    branchId: 'br_in',
    secret: machineSecretFor('br_in'),
    seq: 1,
    countersOpen: 2,
    lines: [{ service: 'personal', waiting: 3, nowCalling: 'A001' }],
  },
};

const cases: [string, keyof typeof valid, Record<string, unknown>][] = [
  ['nearby without lat', 'nearby', { lat: undefined }],
  ['nearby lat as a string', 'nearby', { lat: '39.9' }],
  ['nearby lat over 90', 'nearby', { lat: 90.0001 }],
  ['nearby lng under -180', 'nearby', { lng: -180.5 }],
  ['nearby lat null', 'nearby', { lat: null }],
  ['nearby radius 0', 'nearby', { radiusM: 0 }],
  ['nearby radius over 50 km', 'nearby', { radiusM: 50_001 }],
  ['nearby radius fractional', 'nearby', { radiusM: 10.5 }],
  ['nearby radius negative', 'nearby', { radiusM: -5 }],
  ['nearby unknown bank', 'nearby', { bankCodes: ['hsbc'] }],
  ['nearby banks not an array', 'nearby', { bankCodes: 'ICBC' }],
  ['nearby too many banks', 'nearby', { bankCodes: Array(14).fill('ICBC') }],
  ['nearby unknown service', 'nearby', { service: 'loans' }],
  ['nearby openNow as a string', 'nearby', { openNow: 'yes' }],
  ['nearby limit 0', 'nearby', { limit: 0 }],
  ['nearby limit 51', 'nearby', { limit: 51 }],
  ['nearby 10 KB cursor', 'nearby', { cursor: huge }],
  ['nearby cursor not a string', 'nearby', { cursor: { $gt: '' } }],
  ['nearby empty cursor', 'nearby', { cursor: '' }],
  ['nearby limit as a string', 'nearby', { limit: '10' }],
  ['detail without branchId', 'detail', { branchId: undefined }],
  ['detail 10 KB branchId', 'detail', { branchId: huge }],
  ['detail branchId with a quote', 'detail', { branchId: "br_in' OR 1=1" }],
  ['detail branchId as an object', 'detail', { branchId: { $ne: null } }],
  ['detail lat out of range', 'detail', { lat: 123 }],
  ['slots for the ATM', 'slots', { service: 'atm' }],
  ['slots unknown service', 'slots', { service: 'mortgage' }],
  ['slots date not a date', 'slots', { date: '30/11/2026' }],
  ['slots impossible date', 'slots', { date: '2026-02-30' }],
  ['slots 10 KB date', 'slots', { date: huge }],
  ['book without time', 'book', { time: undefined }],
  ['book time 24:00', 'book', { time: '24:00' }],
  ['book time 9:00', 'book', { time: '9:00' }],
  ['book time as a number', 'book', { time: 900 }],
  ['book date missing', 'book', { date: undefined }],
  ['book for the ATM', 'book', { service: 'atm' }],
  ['book 10 KB branchId', 'book', { branchId: huge }],
  ['cancel malformed id', 'cancel', { appointmentId: 'ap_123' }],
  ['cancel 10 KB id', 'cancel', { appointmentId: huge }],
  ['cancel id as an array', 'cancel', { appointmentId: ['ap_x'] }],
  ['feed without secret', 'queueFeed', { secret: undefined }],
  ['feed short secret', 'queueFeed', { secret: 'short' }],
  ['feed 10 KB secret', 'queueFeed', { secret: huge }],
  ['feed negative waiting', 'queueFeed', { lines: [{ service: 'personal', waiting: -1, nowCalling: null }] }],
  ['feed fractional waiting', 'queueFeed', { lines: [{ service: 'personal', waiting: 1.5, nowCalling: null }] }],
  ['feed waiting as a string', 'queueFeed', { lines: [{ service: 'personal', waiting: '3', nowCalling: null }] }],
  ['feed bad ticket', 'queueFeed', { lines: [{ service: 'personal', waiting: 1, nowCalling: 'A1' }] }],
  ['feed ATM line', 'queueFeed', { lines: [{ service: 'atm', waiting: 1, nowCalling: null }] }],
  [
    'feed a line twice',
    'queueFeed',
    {
      lines: [
        { service: 'personal', waiting: 1, nowCalling: null },
        { service: 'personal', waiting: 2, nowCalling: null },
      ],
    },
  ],
  ['feed too many lines', 'queueFeed', { lines: Array(5).fill({ service: 'personal', waiting: 1, nowCalling: null }) }],
  ['feed lines not an array', 'queueFeed', { lines: {} }],
  ['feed negative seq', 'queueFeed', { seq: -1 }],
  ['feed seq beyond safe integers', 'queueFeed', { seq: 2 ** 60 }],
  ['feed counters negative', 'queueFeed', { countersOpen: -1 }],
];

test.each(cases)('%s → INVALID_ARGUMENT', async (_label, action, change) => {
  const body = { ...valid[action], ...change };
  const response = await host.raw('/fn/branches', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-WX-OPENID': 'o-input' },
    body: JSON.stringify({ action, ...body }),
  });
  const parsed = JSON.parse(response.text) as { ok: boolean; error: { code: string; message: string } };
  expect(parsed).toEqual({
    ok: false,
    error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/[\u4e00-\u9fff]/), details: expect.anything() },
  });
  expect(response.text).not.toMatch(/at .*\.ts|Error:|stack/i);
});

test('the valid bodies of the table are accepted (so each case fails for its own change)', async () => {
  for (const action of Object.keys(valid) as (keyof typeof valid)[]) {
    const result = await branches(host, action, valid[action], 'o-input');
    // cancel's well-formed id names no appointment: NOT_FOUND, not a validation error
    expect([action, result.ok ? 'ok' : result.error.code]).toEqual([action, action === 'cancel' ? 'NOT_FOUND' : 'ok']);
  }
});

test('nothing was written by the refused requests', async () => {
  expect(await host.app.deps.store.count('appointments')).toBe(1); // the valid book above
  expect(await host.app.deps.store.count('branchQueues')).toBe(1); // the valid feed above
  expect(await host.app.deps.store.count('branches')).toBe(1);
});

test('openid or userId in the body are ignored: identity comes from the context', async () => {
  const mine = await branches<{ upcoming: unknown[] }>(host, 'mine', { openid: 'o-input', userId: 'u_x' }, 'o-other');
  expect(mine.ok ? 'ok' : mine.error.code).toBe('FAILED_PRECONDITION');
});
