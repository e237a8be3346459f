/** China-time calendar helpers: the same answers whatever zone the machine runs in. */
import fc from 'fast-check';
import {
  addDays,
  chinaDayKey,
  chinaDayStart,
  chinaMinuteOfDay,
  chinaWeekday,
  formatMinuteOfDay,
  isDayKey,
} from '../../server/domain/time';

const savedZone = process.env.TZ;
afterEach(() => {
  process.env.TZ = savedZone;
});

// 2026-11-28 is a Saturday; 16:30 UTC on the 27th is already 00:30 on the 28th in Beijing.
const FRIDAY_EVENING_UTC = Date.UTC(2026, 10, 27, 16, 30);

test.each(['UTC', 'America/Los_Angeles', 'Asia/Shanghai', 'Pacific/Kiritimati'])(
  'day, weekday and minute are China time under TZ=%s',
  (zone) => {
    process.env.TZ = zone;
    expect(chinaDayKey(FRIDAY_EVENING_UTC)).toBe('2026-11-28');
    expect(chinaWeekday(FRIDAY_EVENING_UTC)).toBe(5);
    expect(chinaMinuteOfDay(FRIDAY_EVENING_UTC)).toBe(30);
    expect(chinaDayStart('2026-11-28')).toBe(Date.UTC(2026, 10, 27, 16, 0));
  },
);

test('day start, weekday and minute agree with each other for any instant', () => {
  fc.assert(
    fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }), (epochMs) => {
      const key = chinaDayKey(epochMs);
      const start = chinaDayStart(key);
      expect(epochMs - start).toBeGreaterThanOrEqual(0);
      expect(epochMs - start).toBeLessThan(24 * 60 * 60 * 1000);
      expect(chinaMinuteOfDay(epochMs)).toBe(Math.floor((epochMs - start) / 60_000));
      expect(chinaWeekday(chinaDayStart(addDays(key, 7)))).toBe(chinaWeekday(epochMs));
      expect(addDays(addDays(key, 40), -40)).toBe(key);
    }),
  );
});

test('day keys: month ends, leap days and malformed keys', () => {
  expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  expect(isDayKey('2028-02-29')).toBe(true);
  expect(isDayKey('2026-02-29')).toBe(false);
  expect(isDayKey('2026-13-01')).toBe(false);
  expect(isDayKey('2026-1-01')).toBe(false);
  expect(formatMinuteOfDay(545)).toBe('09:05');
  expect(formatMinuteOfDay(0)).toBe('00:00');
});
