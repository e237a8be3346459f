/**
 * Today's pages in the browser preview against a real test host: home opens the session and
 * shows 未实名; 开发设置 opens through navigateTo; switching the demo user re-opens the stack as
 * that user (the host sees the new identity); back returns home.
 */
import { useJourney } from '../helpers/journey';

const journey = useJourney();

async function userIdOf(openid: string): Promise<string | undefined> {
  const account = (await journey.host.app.deps.store.get('wxAccounts', openid)) as { userId?: string } | null;
  return account?.userId;
}

test('home → 开发设置 → switch user → back, as a person would click it', async () => {
  const started = Date.now();
  const preview = await journey.open({ openid: 'o-demo-alice' });

  await preview.waitForText('未实名');
  const firstRender = Date.now() - started;
  expect(await preview.route()).toBe('pages/index/index');
  expect(await preview.title()).toBe('微信银行');
  expect(await preview.text('.level-cell')).toBe('身份 未实名');
  // the page really reached the host as the chosen demo user
  expect(await userIdOf('o-demo-alice')).toMatch(/^u_/);
  await preview.screenshot('smoke-1-home');

  await preview.tap('.dev-settings-link');
  await preview.waitForRoute('pages/dev-settings/index');
  expect(await preview.title()).toBe('开发设置');
  expect((await preview.stack()).map((entry) => entry.route)).toEqual([
    'pages/index/index',
    'pages/dev-settings/index',
  ]);
  expect(await preview.page.evaluate(() => location.hash)).toBe('#/pages/dev-settings/index');

  await preview.tapText('保存并连接');
  await preview.waitForText('当前会话');
  const aliceId = await userIdOf('o-demo-alice');
  expect(await preview.text('.session-user')).toBe(`用户编号 ${aliceId}`);
  await preview.screenshot('smoke-2-dev-settings-alice');

  await preview.switchUser('o-demo-bob');
  // the stack is re-opened as bob: same pages, fresh state
  await preview.waitForRoute('pages/dev-settings/index');
  expect(await preview.text()).not.toContain('当前会话');
  await preview.tapText('保存并连接');
  await preview.waitForText('当前会话');
  const bobId = await userIdOf('o-demo-bob');
  expect(bobId).toMatch(/^u_/);
  expect(bobId).not.toBe(aliceId);
  expect(await preview.text('.session-user')).toBe(`用户编号 ${bobId}`);
  await preview.screenshot('smoke-3-dev-settings-bob');

  await preview.back();
  await preview.waitForRoute('pages/index/index');
  await preview.waitForText('未实名');
  expect(await preview.stack()).toEqual([{ route: 'pages/index/index', query: {} }]);
  expect(await preview.title()).toBe('微信银行');

  // nothing the pages did was unsupported or failed
  expect(await preview.problems()).toEqual([]);
  const renders = await preview.page.evaluate(() => window.__preview.renders.map((r) => `${r.route} ${r.ms} ms`));
  console.log(
    `smoke journey ${Date.now() - started} ms; preview opened with home shown in ${firstRender} ms; page renders: ${renders.join(', ')}`,
  );
});
