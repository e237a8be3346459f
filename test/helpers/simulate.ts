/**
 * Loads a real page (TypeScript, WXML, WXSS, JSON) with miniprogram-simulate, vant included.
 * How it resolves things, once for every page test:
 *  - simulate `require()`s a component's JS without extension; jest finds `index.ts` and ts-jest
 *    transforms it (moduleFileExtensions lists ts).
 *  - npm-style paths (`@vant/weapp/button/index`) are what the devtools resolve through
 *    miniprogram_npm; simulate does not, so every usingComponents entry in the page's tree is
 *    rewritten to `/miniprogram_npm/...`, absolute, which simulate joins to rootPath.
 *  - rootPath is `miniprogram/`, so vant's `<wxs src="../wxs/…">` resolves with the official compiler.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The slice of miniprogram-simulate used here, typed locally: its own .d.ts pulls in j-component's
 * older nested miniprogram-api-typings, whose globals clash with the version the pages are typed with.
 */
export interface SimComponent {
  dom: HTMLElement | undefined;
  instance: unknown;
  querySelector(selector: string): SimComponent | undefined;
  querySelectorAll(selector: string): SimComponent[];
  dispatchEvent(event: string, options?: { detail?: unknown }): void;
  /** Listens for events the component triggers (triggerEvent), as its parent would. */
  addEventListener(event: string, handler: (event: { detail: unknown }) => void): void;
  /** Sets data (for a component: its properties), as its parent's binding would. */
  setData(data: Record<string, unknown>): void;
  attach(parent: Element): void;
  detach(): void;
}

interface SimulateApi {
  load(componentPath: string, options: { rootPath: string; usingComponents: Record<string, string> }): string;
  render(id: string, properties?: Record<string, unknown>): SimComponent;
  sleep(ms: number): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const simulate = require('miniprogram-simulate') as SimulateApi;

export const MINIPROGRAM_ROOT = path.resolve(__dirname, '../../miniprogram');

type Json = { usingComponents?: Record<string, string> };

function readJson(file: string): Json {
  return JSON.parse(readFileSync(file, 'utf8')) as Json;
}

function isNpmStyle(value: string): boolean {
  return !value.startsWith('/') && !value.startsWith('.') && !value.startsWith('plugin://');
}

/** Walks the component tree from `componentPath` collecting tag → absolute path for npm-style entries. */
export function resolveUsingComponents(componentPath: string, seen = new Set<string>()): Record<string, string> {
  if (seen.has(componentPath)) return {};
  seen.add(componentPath);
  const jsonFile = `${componentPath}.json`;
  if (!existsSync(jsonFile)) return {};
  const overrides: Record<string, string> = {};
  for (const [tag, value] of Object.entries(readJson(jsonFile).usingComponents ?? {})) {
    const absolute = isNpmStyle(value) ? `/miniprogram_npm/${value}` : value;
    if (isNpmStyle(value)) overrides[tag] = absolute;
    const child = absolute.startsWith('/')
      ? path.join(MINIPROGRAM_ROOT, absolute)
      : path.join(path.dirname(componentPath), absolute);
    Object.assign(overrides, resolveUsingComponents(child, seen));
  }
  return overrides;
}

/** The element inside each vant component that carries its bind:tap. */
const VANT_TAP_ROOTS = '.van-button, .van-cell, .van-grid-item__content, .van-tabbar-item, .van-tag';

export interface PageHandle {
  comp: SimComponent;
  /** The page's `this`, to read data. */
  instance: Record<string, unknown> & { data: Record<string, unknown> };
  /** Rendered text of the first match (whole page without a selector), whitespace collapsed. */
  text(selector?: string): string;
  /** Rendered text of every match, in document order. */
  texts(selector: string): string[];
  /** Taps a vant button or any element with bind:tap/bind:click, found by class selector. */
  tap(selector: string): Promise<void>;
  /** Taps the first element matching `selector` whose text contains `text` (a chip in a list, a city). */
  tapText(selector: string, text: string): Promise<void>;
  /** Fires a component event with a detail (e.g. a `<map>`'s `markertap`), as the client would. */
  trigger(selector: string, event: string, detail: unknown): Promise<void>;
  /** Types into a vant field (its inner input), as a user would. */
  type(selector: string, value: string): Promise<void>;
  /** Waits until `predicate` holds (page work involves real HTTP), or fails with the page text. */
  waitFor(predicate: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  detach(): void;
}

/** Text of every text node, each trimmed, joined by one space: "身份 未实名" for a vant cell. */
function visibleText(node: Node | undefined | null): string {
  if (!node) return '';
  const parts: string[] = [];
  const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
  for (let current = walker.nextNode(); current; current = walker.nextNode()) {
    const text = (current.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (text) parts.push(text);
  }
  return parts.join(' ');
}

/** Loads a page (or, with `properties`, a component on its own) and runs its onLoad/onShow. */
export async function openPage(
  route: string,
  query: Record<string, string> = {},
  properties?: Record<string, unknown>,
): Promise<PageHandle> {
  const componentPath = path.join(MINIPROGRAM_ROOT, route);
  // simulate runs a page's JS with require(); jest caches modules, so a second load would not call
  // Component() again. A fresh module registry per page also gives each page fresh service modules.
  jest.resetModules();
  const id = simulate.load(componentPath, {
    rootPath: MINIPROGRAM_ROOT,
    usingComponents: resolveUsingComponents(componentPath),
  });
  const comp = simulate.render(id, properties);
  const parent = document.createElement('parent-wrapper');
  document.body.appendChild(parent);
  comp.attach(parent);
  const instance = comp.instance as PageHandle['instance'];
  const lifecycle = instance as unknown as { onLoad?: (q: Record<string, string>) => unknown; onShow?: () => unknown };
  await lifecycle.onLoad?.(query);
  await lifecycle.onShow?.();

  const find = (selector: string): SimComponent => {
    const found = comp.querySelector(selector);
    if (!found) throw new Error(`no element matches ${selector} on ${route}; page text: ${visibleText(comp.dom)}`);
    return found;
  };

  const handle: PageHandle = {
    comp,
    instance,
    text(selector?: string) {
      const target = selector ? find(selector) : comp;
      return visibleText(target.dom);
    },
    texts(selector: string) {
      return comp.querySelectorAll(selector).map((element) => visibleText(element.dom));
    },
    async tap(selector: string) {
      const target = find(selector);
      // A vant component listens for `tap` on its root element and re-emits it as `click`.
      const inner = target.querySelector(VANT_TAP_ROOTS) ?? target;
      inner.dispatchEvent('tap');
      await simulate.sleep(0);
    },
    async tapText(selector: string, text: string) {
      const target = comp.querySelectorAll(selector).find((element) => visibleText(element.dom).includes(text));
      if (!target) throw new Error(`no ${selector} with text ${text} on ${route}; page text: ${visibleText(comp.dom)}`);
      (target.querySelector(VANT_TAP_ROOTS) ?? target).dispatchEvent('tap');
      await simulate.sleep(0);
    },
    async trigger(selector: string, event: string, detail: unknown) {
      find(selector).dispatchEvent(event, { detail });
      await simulate.sleep(0);
    },
    async type(selector: string, value: string) {
      const field = find(selector);
      // vant renders a custom-slot <view> and the real <input>/<textarea> with the same class.
      const input = field
        .querySelectorAll('.van-field__control')
        .find((element) => /^WX-(INPUT|TEXTAREA)$/.test(element.dom?.tagName ?? ''));
      if (!input) throw new Error(`${selector} has no input to type into`);
      input.dispatchEvent('input', { detail: { value } });
      await simulate.sleep(0);
    },
    async waitFor(predicate: () => boolean, what: string, timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; page text: ${handle.text()}`);
        await simulate.sleep(10);
      }
    },
    detach() {
      comp.detach();
      parent.remove();
    },
  };
  return handle;
}
