/**
 * Journeys in a real browser: Debian's chromium driven by playwright-core (no browser download),
 * opening the preview served by a test host. Helpers act inside the phone frame, on the page on
 * top of the stack, with the page's own class names (`.level-cell`) — the preview maps them to the
 * prefixed classes simulate renders. Inside a component, `>>>` switches to the component's own
 * class names, as in the page tests: `.pay-sheet >>> .key-1`. Screenshots go to test-results/journeys/.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { PreviewState } from '../../preview/runtime/types';

export const CHROMIUM = process.env.WXBANK_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.resolve(__dirname, '../../test-results/journeys');

/** As in the machine notes: headless, no sandbox (root), and nothing that reaches outside. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'wxbank-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1100, height: 900 },
    locale: 'zh-CN',
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export interface PreviewPage {
  page: Page;
  /** The phone frame. */
  phone: Locator;
  /** The route on top of the stack. */
  route(): Promise<string | undefined>;
  stack(): Promise<{ route: string; query: Record<string, string> }[]>;
  title(): Promise<string>;
  /** Visible text of the page on top (or of the first match of a page selector), whitespace collapsed. */
  text(selector?: string): Promise<string>;
  /** Taps the first match of a page selector (`.dev-settings-link`, `.pay-sheet >>> .key-1`) in the page on top. */
  tap(selector: string): Promise<void>;
  /** The first match of a page selector, to count, read or wait for. */
  locate(selector: string): Promise<Locator>;
  /** Enters digits on the pay-password sheet's own keyboard (`.pay-sheet`), one tap a digit. */
  enterPayPassword(digits: string): Promise<void>;
  /** Waits until the pay-password sheet has slid away (vant's leave transition), e.g. before a screenshot. */
  waitForSheetClosed(): Promise<void>;
  /** Taps the element of the page on top that shows exactly this text. */
  tapText(text: string): Promise<void>;
  /** Types into the input inside the first match of a page selector (a vant field or a plain input). */
  type(selector: string, value: string): Promise<void>;
  /** Waits until the page on top shows the text (and the host has answered every request). */
  waitForText(text: string, timeoutMs?: number): Promise<void>;
  waitForRoute(route: string): Promise<void>;
  /** Resolves once no page request is waiting for the host. */
  idle(): Promise<void>;
  back(): Promise<void>;
  /**
   * Brings this preview's tab to the front, for a journey with two phones: a tab in the background
   * draws no frames, and clicks and `idle()` wait for frames.
   */
  focus(): Promise<void>;
  switchUser(openid: string): Promise<void>;
  /** The dialog drawn in the frame (modal, phone call, scan…), its text, and pressing one of its buttons. */
  dialogText(): Promise<string>;
  pressDialog(button: string): Promise<void>;
  /** Unsupported APIs/components and page errors the preview reported. */
  problems(): Promise<string[]>;
  screenshot(name: string): Promise<string>;
}

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Opens the preview of `hostUrl` (at `route` when given) and waits for the first page. */
export async function openPreview(
  browser: Browser,
  hostUrl: string,
  options: { route?: string; openid?: string; size?: { width: number; height: number } } = {},
): Promise<PreviewPage> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  if (options.openid) {
    const openid = options.openid;
    await page.addInitScript((value) => localStorage.setItem('wxbank-preview-shell:openid', value), openid);
  }
  const search = options.size ? `?w=${options.size.width}&h=${options.size.height}` : '';
  const hash = options.route ? `#/${options.route.replace(/^\//, '')}` : '';
  await page.goto(`${hostUrl}/preview/${search}${hash}`);
  await page
    .waitForFunction(() => window.__preview?.ready === true, undefined, { timeout: 15_000 })
    .catch(() => {
      throw new Error(`the preview did not start; page errors: ${errors.join(' | ') || 'none'}`);
    });
  const phone = page.locator('.pv-phone');
  const topPage = phone.locator('.wx-page:not([hidden])');
  const pageSelector = (css: string) => page.evaluate((value) => window.__preview.selector(value), css);
  const find = async (css: string) => {
    const [outer, ...inner] = css.split('>>>').map((part) => part.trim());
    let found = page.locator(await pageSelector(outer!)).first();
    for (const part of inner) {
      // a component's classes carry its tag as their prefix (`pay-password-sheet--key-1`)
      const tag = await found.evaluate((node) => node.tagName.toLowerCase());
      found = found.locator(part.replace(/\.([A-Za-z_][\w-]*)/g, (_all, name: string) => `.${tag}--${name}`)).first();
    }
    return found;
  };

  const handle: PreviewPage = {
    page,
    phone,
    route: () => page.evaluate(() => window.__preview.route()),
    stack: () => page.evaluate(() => window.__preview.stack()),
    title: async () => collapse(await phone.locator('.pv-navbar__title').innerText()),
    async text(selector) {
      return collapse(await (selector ? await find(selector) : topPage).innerText());
    },
    async tap(selector) {
      const target = await find(selector);
      // a custom component's host element may have no box of its own (vant's grid item): a person
      // taps what it renders, so click its root element
      const box = await target.boundingBox();
      await (box && box.width > 0 ? target : target.locator('*').first()).click();
    },
    locate: find,
    enterPayPassword: (digits) => pressKeys(handle, '.pay-sheet', digits),
    async waitForSheetClosed() {
      await (await find('.pay-sheet >>> .sheet')).waitFor({ state: 'hidden' });
    },
    async tapText(text) {
      await topPage.getByText(text, { exact: true }).first().click();
    },
    async type(selector, value) {
      await (await find(selector)).locator('input, textarea').first().fill(value);
    },
    async waitForText(text, timeoutMs = 5000) {
      await topPage.getByText(text).first().waitFor({ timeout: timeoutMs });
      await handle.idle();
    },
    async waitForRoute(route) {
      await page.waitForFunction((wanted) => window.__preview.route() === wanted, route, { timeout: 5000 });
    },
    async idle() {
      await page.waitForFunction(() => window.__preview.inFlight === 0, undefined, { timeout: 10_000 });
      // let the pages' continuations (setData after a response) render
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
    },
    async back() {
      await phone.locator('.pv-navbar__back').click();
    },
    focus: () => page.bringToFront(),
    async switchUser(openid) {
      const select = page.locator('.pv-user__select');
      if ((await select.locator(`option[value="${openid}"]`).count()) > 0) await select.selectOption(openid);
      else {
        await page.locator('.pv-user__custom').fill(openid);
        await page.locator('.pv-user__apply').click();
      }
      await page.waitForFunction((wanted) => window.__preview.openid() === wanted, openid);
    },
    dialogText: async () => collapse(await phone.locator('.pv-dialog').last().innerText()),
    async pressDialog(button) {
      await phone.locator('.pv-dialog').last().getByRole('button', { name: button, exact: true }).click();
    },
    problems: () => page.evaluate(() => [...window.__preview.problems]),
    async screenshot(name) {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const file = path.join(SCREENSHOT_DIR, `${name}.png`);
      await phone.screenshot({ path: file });
      return file;
    },
  };
  return handle;
}

declare global {
  interface Window {
    __preview: PreviewState;
  }
}

/** Presses keys on a component's own keyboard (the pay-password sheet, the amount keypad): `.` is the point key. */
export async function pressKeys(preview: PreviewPage, component: string, keys: string): Promise<void> {
  for (const key of keys) await preview.tap(`${component} >>> .key-${key === '.' ? 'point' : key}`);
}
