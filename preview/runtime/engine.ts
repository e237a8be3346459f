/**
 * Runs the project's own pages with miniprogram-simulate in the browser. What differs from node:
 *  - files come from `window.__FILE_MAP__` (simulate's browser mode); TypeScript there is already
 *    compiled to CommonJS per file by the build;
 *  - WXML was compiled by the official compiler at build time (`window.__PREVIEW_WXML__` returns its
 *    `$gwx`), so vant's `<wxs src>` modules work exactly as in the page tests; simulate takes a
 *    compiled template when the file map holds a function for a `.wxml` path;
 *  - a small CommonJS loader replaces simulate's (which passes no `exports` and caches nothing):
 *    modules required by components are cached like in the mini program, while every component's
 *    own entry runs once per load so its `Component()` call registers it;
 *  - rpx becomes px for the frame width, and the `page` selector the page's root element.
 */
import simulateUtils from 'miniprogram-simulate/src/utils';
import wxssCompiler from 'miniprogram-simulate/src/wxss';
import jComponentUtils from 'j-component/src/tool/utils';
import type { AppJson, PreviewManifest, RootComponent, SimulateApi } from './types';

type FileMap = Record<string, string | ((...args: unknown[]) => unknown)>;

declare global {
  interface Window {
    __FILE_MAP__: FileMap;
    __PREVIEW_MANIFEST__: PreviewManifest;
    __PREVIEW_WXML__: () => (path: string) => unknown;
  }
}

export interface EngineOptions {
  /** Frame width in px: 750rpx equals it. */
  frameWidth: number;
  /** Called for anything the preview cannot run, so it is shown rather than swallowed. */
  onProblem(title: string, detail: string): void;
}

export class Engine {
  readonly root: string;
  readonly app: AppJson;
  private readonly files: FileMap;
  private readonly moduleCache = new Map<string, { exports: unknown }>();
  private readonly loadedPages = new Map<string, string>();
  private simulate!: SimulateApi;
  /** The class prefix (tag) of the component whose WXSS is being compiled, to place `page` rules. */
  private readonly pageTags = new Set<string>();

  constructor(private readonly options: EngineOptions) {
    this.files = window.__FILE_MAP__;
    const manifest = window.__PREVIEW_MANIFEST__;
    this.root = manifest.root;
    const gwx = window.__PREVIEW_WXML__();
    for (const component of manifest.wxml)
      this.files[`${this.root}/${component}.wxml`] = gwx(`${component}.wxml`) as never;
    this.app = JSON.parse(this.text(`${this.root}/app.json`) ?? '{"pages":[]}') as AppJson;
    this.patchSimulate();
  }

  text(key: string): string | undefined {
    const value = this.files[key.replace(/^\//, '')];
    return typeof value === 'string' ? value : undefined;
  }

  json<T>(key: string): T | undefined {
    const text = this.text(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  /** rpx → px for the frame; decimals and negatives too (simulate's own only maps integers 1:1). */
  rpxToPx(css: string): string {
    const ratio = this.options.frameWidth / 750;
    return css.replace(/(-?\d*\.?\d+)rpx\b/gi, (_all, value: string) => `${+(Number(value) * ratio).toFixed(3)}px`);
  }

  private patchSimulate(): void {
    simulateUtils.runJs = (file: string) => this.runEntry(file);
    simulateUtils.transformRpx = (css: string) => this.rpxToPx(css);
    jComponentUtils.transformRpx = (css: string) => this.rpxToPx(css);
    const compile = wxssCompiler.compile.bind(wxssCompiler);
    wxssCompiler.compile = (css: string, options: { prefix?: string }) =>
      this.placePageSelector(compile(css, options), options.prefix ?? '');
    // Loaded last: it reads utils (patched above) and defines Component/Behavior/wx globals.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.simulate = require('miniprogram-simulate/src/index') as SimulateApi;
  }

  /** `page { … }` styles the page's own root element (app.wxss and page WXSS alike). */
  private placePageSelector(css: string, prefix: string): string {
    const target = this.pageTags.has(prefix) ? `.wx-page--${prefix}` : '.wx-page';
    // Selector lists are what precedes a `{` (declaration blocks hold no braces); at-rules are left alone.
    return css.replace(/(^|[{}])([^{}]+)\{/g, (all, before: string, selectors: string) =>
      selectors.trim().startsWith('@')
        ? all
        : `${before}${selectors.replace(/(^|[\s>+~,(])page(?![\w-])/g, `$1${target}`)}{`,
    );
  }

  /** The key in the file map for a module path without extension (`/miniprogram/x/y`). */
  private moduleKey(file: string): string | undefined {
    const base = file.replace(/^\//, '').replace(/\.js$/, '');
    for (const candidate of [`${base}.js`, `${base}/index.js`]) if (candidate in this.files) return candidate;
    return undefined;
  }

  private resolveRequest(fromKey: string, request: string): string {
    if (request.startsWith('/')) return `${this.root}${request}`;
    if (request.startsWith('.')) return joinPath(dirOf(fromKey), request);
    // Bare specifiers resolve through miniprogram_npm, as the devtools' npm support does.
    return `${this.root}/miniprogram_npm/${request}`;
  }

  private execute(key: string, module: { exports: unknown }): void {
    const code = this.files[key] as string;
    const require = (request: string) => this.requireFrom(key, request);
    // sourceURL: a page error's stack names the page's file in the browser's devtools.
    const body = `${code}\n//# sourceURL=preview:///${key}`;
    new Function('require', 'module', 'exports', body)(require, module, module.exports);
  }

  private requireFrom(fromKey: string, request: string): unknown {
    const target = this.resolveRequest(fromKey, request);
    const key = this.moduleKey(target);
    if (!key) throw new Error(`require('${request}') from ${fromKey}: no such module in the preview build`);
    const cached = this.moduleCache.get(key);
    if (cached) return cached.exports;
    const module = { exports: {} as unknown };
    this.moduleCache.set(key, module);
    try {
      this.execute(key, module);
    } catch (error) {
      this.moduleCache.delete(key);
      throw error;
    }
    return module.exports;
  }

  /** A component's own script: run once per load so its Component() call registers that load. */
  private runEntry(file: string): unknown {
    const key = this.moduleKey(file);
    if (!key) {
      this.options.onProblem('缺少脚本', `${file}.js 不在预览构建中`);
      return undefined;
    }
    const module = { exports: {} as unknown };
    this.execute(key, module);
    return module.exports;
  }

  /** Runs app.js (its App() call) once. */
  runApp(): void {
    const key = this.moduleKey(`${this.root}/app`);
    if (key) this.execute(key, { exports: {} });
  }

  /** Each page its own tag, so page WXSS class prefixes never collide between pages. */
  static tagOf(route: string): string {
    return `p-${route.replace(/[^a-zA-Z0-9]+/g, '-').toLowerCase()}`;
  }

  /** Every tag any component declares in usingComponents (and app.json's global ones). */
  componentTags(): Set<string> {
    const tags = new Set<string>();
    for (const key of Object.keys(this.files)) {
      if (!key.endsWith('.json')) continue;
      const using = (this.json<{ usingComponents?: Record<string, string> }>(key) ?? {}).usingComponents ?? {};
      for (const tag of Object.keys(using)) tags.add(tag.toLowerCase());
    }
    return tags;
  }

  /** Registers the page (once) and renders a fresh instance of it. */
  render(route: string): RootComponent {
    let id = this.loadedPages.get(route);
    const tag = Engine.tagOf(route);
    if (!id) {
      this.pageTags.add(tag);
      id = this.simulate.load(`/${this.root}/${route}`, tag, {
        rootPath: `/${this.root}`,
        compiler: 'official',
        usingComponents: { ...(this.app.usingComponents ?? {}) },
      });
      this.insertAppStyles(tag);
      this.loadedPages.set(route, id);
    }
    return this.simulate.render(id);
  }

  /** app.wxss applies to every page: compiled with the page's prefix so its classes match. */
  private insertAppStyles(tag: string): void {
    const appWxss = wxssCompiler.getContent(`/${this.root}/app.wxss`);
    if (!appWxss) return;
    const style = document.createElement('style');
    style.id = `app-wxss-${tag}`;
    style.textContent = this.rpxToPx(wxssCompiler.compile(appWxss, { prefix: tag }));
    document.head.appendChild(style);
  }
}

function dirOf(key: string): string {
  const index = key.lastIndexOf('/');
  return index < 0 ? '' : key.slice(0, index);
}

function joinPath(base: string, relative: string): string {
  const parts = base.split('/').filter(Boolean);
  for (const part of relative.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}
