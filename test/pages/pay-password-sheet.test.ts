/** The pay-password sheet on its own: its keyboard, the complete event, error shake and lock. */
import { openPage, type PageHandle } from '../helpers/simulate';

async function openSheet(properties: Record<string, unknown> = {}): Promise<PageHandle> {
  return openPage('components/pay-password-sheet/index', {}, { show: true, ...properties });
}

const dots = (sheet: PageHandle) => sheet.comp.querySelectorAll('.dot').length;

async function press(sheet: PageHandle, keys: string): Promise<void> {
  for (const key of keys) await sheet.tap(`.key-${key}`);
}

test('digits fill the boxes, delete takes one back, the sixth digit emits complete with the password', async () => {
  const sheet = await openSheet({ title: '请输入支付密码', subtitle: '绑定银行卡' });
  const completed: unknown[] = [];
  sheet.comp.addEventListener('complete', (event: { detail: unknown }) => completed.push(event.detail));
  expect(sheet.text('.title')).toBe('请输入支付密码');
  expect(sheet.text('.subtitle')).toBe('绑定银行卡');
  expect(sheet.comp.querySelectorAll('.key')).toHaveLength(12);
  expect(sheet.comp.querySelector('input')).toBeUndefined();

  await press(sheet, '258');
  expect(dots(sheet)).toBe(3);
  await sheet.tap('.key-delete');
  expect(dots(sheet)).toBe(2);
  await sheet.tap('.key-blank');
  expect(dots(sheet)).toBe(2);
  await press(sheet, '8036');
  expect(completed).toEqual([{ password: '258036' }]);
  await sheet.tap('.key-1');
  expect(dots(sheet)).toBe(6);
  expect(completed).toHaveLength(1);
  sheet.detach();
});

test('an error clears the boxes, shakes them and shows the message with the tries left', async () => {
  const sheet = await openSheet();
  await press(sheet, '12345');
  sheet.comp.setData({ error: '支付密码错误，还可以再试4次' });
  await sheet.waitFor(() => dots(sheet) === 0, 'the boxes to clear');
  expect(sheet.text('.message')).toBe('支付密码错误，还可以再试4次');
  expect(sheet.comp.querySelector('.shake-odd')).toBeDefined();
  await press(sheet, '1');
  sheet.comp.setData({ error: '支付密码错误，还可以再试3次' });
  await sheet.waitFor(() => sheet.comp.querySelector('.shake-even') !== undefined, 'the shake to restart');
  sheet.detach();
});

test('while busy the keys do nothing; when locked the keyboard is replaced by the message', async () => {
  const sheet = await openSheet({ busy: true });
  await press(sheet, '12');
  expect(dots(sheet)).toBe(0);
  expect(sheet.text('.message')).toContain('验证中');
  sheet.comp.setData({ busy: false, lockedMessage: '支付密码错误次数过多，已锁定，请3小时后再试' });
  await sheet.waitFor(() => sheet.comp.querySelector('.keyboard') === undefined, 'the keyboard to go');
  expect(sheet.text('.locked-message')).toBe('支付密码错误次数过多，已锁定，请3小时后再试');
  sheet.detach();
});

test('the close button emits close', async () => {
  const sheet = await openSheet();
  let closed = 0;
  sheet.comp.addEventListener('close', () => closed++);
  await sheet.tap('.close');
  expect(closed).toBe(1);
  sheet.detach();
});
