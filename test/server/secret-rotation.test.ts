/**
 * Rotating WXBANK_SECRET: the host restarts on the same database with a new secret and the old one
 * kept for verifying (WXBANK_SECRET_PREVIOUS). What was made under the old secret keeps its meaning:
 * a QR code still resolves, an ID number already claimed stays claimed, a card already bound is still
 * found, a retried request still finds its operation, a birthday pay password is still refused, the
 * pay password still checks (and is re-hashed under the new secret at its first right try).
 * Without the old secret none of that holds — which is what the key ring is for.
 */
import type { ReceiveCodeView, ScanResolution } from '../../typings/qrcode';
import type { OperationView } from '../../typings/ledger';
import { secretKeyId } from '../../server/adapters/secrets';
import { startTestHost, type TestHost } from '../helpers/host';
import { removeTempDirs, tempDbFile } from '../helpers/tmp';
import { ALICE, BOB, act, bindCard, ok, sandboxCardNumbers, verifiedUser, type Person } from '../helpers/verification';

const OLD_SECRET = 'the-secret-before-the-rotation-0123456789abcdef';
const NEW_SECRET = 'the-secret-after-the-rotation-fedcba9876543210';

afterAll(() => removeTempDirs());

interface Before {
  dbFile: string;
  cardNumber: string;
  receiveContent: string;
  topupBody: Record<string, unknown>;
  topupOperationId: string;
}

/** Under the old secret: alice verified with a card, a receive code, a top-up; then the host stops. */
async function beforeRotation(): Promise<Before> {
  const dbFile = tempDbFile();
  const host = await startTestHost({ dbFile, secret: OLD_SECRET });
  const [cardNumber] = sandboxCardNumbers(1, 700);
  await verifiedUser(host, 'o-alice', ALICE);
  const card = await bindCard(host, 'o-alice', cardNumber!);
  const receive = await ok<ReceiveCodeView>(host, 'o-alice', 'qrcode', { action: 'receiveCode', cardId: card.cardId });
  const topupBody = {
    action: 'topup',
    requestId: 'rotation-topup-0001',
    cardId: card.cardId,
    amountFen: 10_000,
    payPassword: ALICE.payPassword,
  };
  const topup = await ok<OperationView>(host, 'o-alice', 'ledger', topupBody);
  // stopped without removing the database: the next host opens it
  await host.app.close();
  return {
    dbFile,
    cardNumber: cardNumber!,
    receiveContent: receive.content,
    topupBody,
    topupOperationId: topup.operationId,
  };
}

/** The host again on the same database, with the new secret; carol (who scans) has a session. */
async function restart(before: Before, earlierSecrets: string[]): Promise<TestHost> {
  const host = await startTestHost({ dbFile: before.dbFile, secret: NEW_SECRET, earlierSecrets });
  await ok(host, 'o-carol', 'user', { action: 'session' });
  return host;
}

/** Bob states alice's ID number as his own and binds a card: the bank confirms it (sandbox). */
async function bobClaimsAlicesNumber(host: TestHost): Promise<string | null> {
  const impostor: Person = { ...BOB, name: ALICE.name, idNumber: ALICE.idNumber };
  await verifiedUser(host, 'o-bob', impostor);
  const [other] = sandboxCardNumbers(1, 750);
  const started = await act(host, 'o-bob', 'cards', {
    action: 'bindStart',
    cardNumber: other,
    holderName: impostor.name,
    idNumber: impostor.idNumber,
    reservedPhone: '13800138000',
    payPassword: impostor.payPassword,
  });
  return started.ok ? null : started.error.code;
}

test('with the old secret kept for verifying, everything made before the rotation keeps its meaning', async () => {
  const before = await beforeRotation();
  const host = await restart(before, [OLD_SECRET]);
  try {
    expect(host.app.deps.secrets.keyId).toBe(secretKeyId(NEW_SECRET));

    const resolved = await ok<ScanResolution>(host, 'o-carol', 'qrcode', {
      action: 'resolve',
      content: before.receiveContent,
    });
    expect(resolved.kind).toBe('receive');

    const replay = await ok<OperationView>(host, 'o-alice', 'ledger', before.topupBody);
    expect(replay.operationId).toBe(before.topupOperationId);

    const again = await act(host, 'o-alice', 'cards', {
      action: 'bindStart',
      cardNumber: before.cardNumber,
      holderName: ALICE.name,
      idNumber: ALICE.idNumber,
      reservedPhone: '13800138000',
      payPassword: ALICE.payPassword,
    });
    expect(again).toMatchObject({ ok: false, error: { code: 'CARD_ALREADY_BOUND' } });

    expect(await bobClaimsAlicesNumber(host)).toBe('CARD_VERIFICATION_FAILED');

    // alice's birthday (19900307) as a pay password: her birthday forms were hashed under the old secret
    const birthday = await act(host, 'o-alice', 'verify', {
      action: 'changePayPassword',
      oldPayPassword: ALICE.payPassword,
      newPayPassword: '900307',
      confirmPayPassword: '900307',
    });
    expect(birthday).toMatchObject({ ok: false, error: { code: 'PAY_PASSWORD_TOO_SIMPLE' } });
  } finally {
    await host.app.close();
  }
});

test('without the old secret the same things lose their meaning: the key ring is what keeps them', async () => {
  const before = await beforeRotation();
  const host = await restart(before, []);
  try {
    // the pay password was a keyed hash under the old secret: the right digits no longer check
    expect(
      await act(host, 'o-alice', 'verify', {
        action: 'verifyPayPassword',
        payPassword: ALICE.payPassword,
        purpose: 'cards.bind',
      }),
    ).toMatchObject({ ok: false, error: { code: 'PAY_PASSWORD_INCORRECT' } });
    // what an operator's reset would do, so the rest of the story can be told with her password
    const { userId } = await ok<{ userId: string }>(host, 'o-alice', 'user', { action: 'profile' });
    await host.app.deps.store.delete('payPasswords', userId);
    await ok(host, 'o-alice', 'verify', {
      action: 'setPayPassword',
      payPassword: ALICE.payPassword,
      confirmPayPassword: ALICE.payPassword,
    });
    expect(await act(host, 'o-carol', 'qrcode', { action: 'resolve', content: before.receiveContent })).toMatchObject({
      ok: false,
      error: { code: 'QR_SIGNATURE_INVALID' },
    });
    expect(await act(host, 'o-alice', 'ledger', before.topupBody)).toMatchObject({
      ok: false,
      error: { code: 'IDEMPOTENCY_CONFLICT' },
    });
    // her stated ID number no longer matches the fingerprint kept of it: the binding is refused as not hers
    const again = await act(host, 'o-alice', 'cards', {
      action: 'bindStart',
      cardNumber: before.cardNumber,
      holderName: ALICE.name,
      idNumber: ALICE.idNumber,
      reservedPhone: '13800138000',
      payPassword: ALICE.payPassword,
    });
    expect(again).toMatchObject({ ok: false, error: { code: 'CARD_HOLDER_NOT_SELF' } });
    // the claim made under the old secret is invisible: the impostor's confirmation goes ahead
    expect(await bobClaimsAlicesNumber(host)).toBeNull();
    const birthday = await act(host, 'o-alice', 'verify', {
      action: 'changePayPassword',
      oldPayPassword: ALICE.payPassword,
      newPayPassword: '900307',
      confirmPayPassword: '900307',
    });
    expect(birthday).toMatchObject({ ok: true });
  } finally {
    await host.app.close();
  }
});

test('a pay password hashed under the old secret is re-hashed under the new one at its first right try', async () => {
  const before = await beforeRotation();
  const withRing = await restart(before, [OLD_SECRET]);
  const { userId } = await ok<{ userId: string }>(withRing, 'o-alice', 'user', { action: 'profile' });
  const verify = { action: 'verifyPayPassword', payPassword: ALICE.payPassword, purpose: 'cards.bind' };
  try {
    const old = await withRing.app.deps.store.get('payPasswords', userId);
    expect(await act(withRing, 'o-alice', 'verify', { ...verify, payPassword: '000001' })).toMatchObject({
      ok: false,
      error: { code: 'PAY_PASSWORD_INCORRECT' },
    });
    // a wrong try does not re-hash
    expect((await withRing.app.deps.store.get('payPasswords', userId))!.hash).toBe(old!.hash);
    await ok(withRing, 'o-alice', 'verify', verify);
    const rehashed = await withRing.app.deps.store.get('payPasswords', userId);
    expect(rehashed).toMatchObject({ scheme: 'hmac-sha256', failedAttempts: 0, generation: old!.generation ?? 0 });
    expect(rehashed!.hash).not.toBe(old!.hash);
    expect(rehashed!.salt).not.toBe(old!.salt);
    expect(withRing.log.lines.join('\n')).toContain('verify.pay_password_rehashed');
  } finally {
    await withRing.app.close();
  }
  // the old secret can now be retired: the password needs only the new one
  const newOnly = await startTestHost({ dbFile: before.dbFile, secret: NEW_SECRET });
  try {
    await ok(newOnly, 'o-alice', 'verify', verify);
  } finally {
    await newOnly.app.close();
  }
});

test('a key id names a secret without revealing it, and differs between secrets', () => {
  expect(secretKeyId(OLD_SECRET)).toMatch(/^k[0-9a-f]{8}$/);
  expect(secretKeyId(OLD_SECRET)).not.toBe(secretKeyId(NEW_SECRET));
  expect(secretKeyId(OLD_SECRET)).toBe(secretKeyId(OLD_SECRET));
});
