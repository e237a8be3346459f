/**
 * The page stack, with the WeChat client's rules: navigateTo pushes (at most 10, never a tab page),
 * redirectTo replaces, navigateBack pops, switchTab keeps each tab page alive and drops the rest,
 * reLaunch starts over. Pages are discovered from app.json — main package and subpackages — so a
 * page added on any branch is routable without touching the preview.
 */
import { Engine } from './engine';
import type { AppJson, PageInstance, Query, RootComponent, WindowConfig } from './types';

export interface PageEntry {
  route: string;
  query: Query;
  comp: RootComponent | null;
  host: HTMLElement;
  instance: PageInstance | null;
  window: WindowConfig;
}

export class NavigationError extends Error {}

export class EventChannel {
  private readonly listeners = new Map<string, { fn: (...args: unknown[]) => void; once: boolean }[]>();
  constructor(private peer?: EventChannel) {}
  link(peer: EventChannel): void {
    this.peer = peer;
  }
  on(name: string, fn: (...args: unknown[]) => void): void {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), { fn, once: false }]);
  }
  once(name: string, fn: (...args: unknown[]) => void): void {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), { fn, once: true }]);
  }
  off(name: string, fn?: (...args: unknown[]) => void): void {
    this.listeners.set(name, fn ? (this.listeners.get(name) ?? []).filter((l) => l.fn !== fn) : []);
  }
  emit(name: string, ...args: unknown[]): void {
    this.peer?.receive(name, args);
  }
  private receive(name: string, args: unknown[]): void {
    const listeners = this.listeners.get(name) ?? [];
    this.listeners.set(
      name,
      listeners.filter((l) => !l.once),
    );
    for (const listener of listeners) listener.fn(...args);
  }
}

export interface RouterHooks {
  /** After every change of the visible page. */
  changed(top: PageEntry): void;
  /** A page script threw (in render or a lifecycle): shown, never swallowed. */
  pageError(route: string, where: string, error: unknown): void;
  /** How long creating and attaching a page took (its first load includes registering its components). */
  rendered(route: string, ms: number): void;
}

const MAX_STACK = 10;

export class Router {
  readonly pages: string[];
  readonly tabs: string[];
  private stack: PageEntry[] = [];
  private readonly tabEntries = new Map<string, PageEntry>();

  constructor(
    private readonly engine: Engine,
    private readonly container: HTMLElement,
    private readonly hooks: RouterHooks,
  ) {
    const app: AppJson = engine.app;
    const subpackages = [...(app.subpackages ?? []), ...(app.subPackages ?? [])];
    this.pages = [
      ...app.pages,
      ...subpackages.flatMap((pkg) => pkg.pages.map((page) => `${pkg.root.replace(/\/+$/, '')}/${page}`)),
    ];
    this.tabs = (app.tabBar?.list ?? []).map((item) => item.pagePath.replace(/^\//, ''));
  }

  get top(): PageEntry | undefined {
    return this.stack[this.stack.length - 1];
  }

  get entries(): readonly PageEntry[] {
    return this.stack;
  }

  /** `/pages/a/index?x=1`, or relative to the current page, into route + query (values left encoded, as WeChat does). */
  parse(url: string): { route: string; query: Query } {
    const [pathPart = '', queryPart = ''] = url.split('?', 2);
    let route: string;
    if (pathPart.startsWith('/')) route = pathPart.slice(1);
    else {
      const base = (this.top?.route ?? '').split('/').slice(0, -1);
      for (const part of pathPart.split('/')) {
        if (part === '..') base.pop();
        else if (part && part !== '.') base.push(part);
      }
      route = base.join('/');
    }
    const query: Query = {};
    for (const pair of queryPart.split('&')) {
      if (!pair) continue;
      const index = pair.indexOf('=');
      if (index < 0) query[pair] = '';
      else query[pair.slice(0, index)] = pair.slice(index + 1);
    }
    return { route: route.replace(/\/+$/, ''), query };
  }

  private check(kind: string, route: string): void {
    if (!this.pages.includes(route)) throw new NavigationError(`${kind}:fail page "${route}" is not found`);
  }

  navigateTo(url: string, channel?: EventChannel): void {
    const { route, query } = this.parse(url);
    this.check('navigateTo', route);
    if (this.tabs.includes(route)) throw new NavigationError(`navigateTo:fail can not navigateTo a tabbar page`);
    if (this.stack.length >= MAX_STACK) throw new NavigationError('navigateTo:fail webview count limit exceed');
    this.hide(this.top);
    this.push(route, query, channel);
  }

  redirectTo(url: string): void {
    const { route, query } = this.parse(url);
    this.check('redirectTo', route);
    if (this.tabs.includes(route)) throw new NavigationError('redirectTo:fail can not redirectTo a tabbar page');
    const old = this.stack.pop();
    if (old) this.unload(old);
    this.push(route, query);
  }

  navigateBack(delta = 1): void {
    if (this.stack.length <= 1) throw new NavigationError('navigateBack:fail cannot navigate back at first page.');
    const count = Math.min(Math.max(1, delta), this.stack.length - 1);
    for (let i = 0; i < count; i++) this.unload(this.stack.pop()!);
    this.show(this.top!);
  }

  switchTab(url: string): void {
    const { route } = this.parse(url);
    this.check('switchTab', route);
    if (!this.tabs.includes(route)) throw new NavigationError('switchTab:fail can not switch to no-tabBar page');
    for (const entry of this.stack.splice(0)) {
      if (this.tabEntries.get(entry.route) === entry) this.hide(entry);
      else this.unload(entry);
    }
    const existing = this.tabEntries.get(route);
    if (existing) {
      this.stack.push(existing);
      this.show(existing);
    } else this.push(route, {});
  }

  reLaunch(url: string): void {
    const { route, query } = this.parse(url);
    this.check('reLaunch', route);
    for (const entry of this.stack.splice(0)) this.unload(entry);
    for (const entry of this.tabEntries.values()) this.unload(entry);
    this.tabEntries.clear();
    this.push(route, query);
  }

  /** Re-opens every page of the stack afresh (same routes and queries), e.g. after switching user. */
  reloadAll(): void {
    const routes = this.stack.map((entry) => ({ route: entry.route, query: entry.query }));
    for (const entry of this.stack.splice(0)) this.unload(entry);
    for (const entry of this.tabEntries.values()) this.unload(entry);
    this.tabEntries.clear();
    routes.forEach(({ route, query }, index) => {
      if (index > 0) this.hide(this.top);
      this.push(route, query);
    });
  }

  call(entry: PageEntry, name: string, ...args: unknown[]): unknown {
    const method = entry.instance?.[name];
    if (typeof method !== 'function') return undefined;
    try {
      const result = (method as (...a: unknown[]) => unknown).apply(entry.instance, args);
      if (result && typeof (result as Promise<unknown>).then === 'function')
        (result as Promise<unknown>).catch((error: unknown) => this.hooks.pageError(entry.route, name, error));
      return result;
    } catch (error) {
      this.hooks.pageError(entry.route, name, error);
      return undefined;
    }
  }

  private windowOf(route: string): WindowConfig {
    const own = this.engine.json<WindowConfig>(`${this.engine.root}/${route}.json`) ?? {};
    return { ...(this.engine.app.window ?? {}), ...own };
  }

  private push(route: string, query: Query, channel?: EventChannel): void {
    const host = document.createElement('div');
    host.className = `wx-page wx-page--${Engine.tagOf(route)}`;
    host.dataset.route = route;
    this.container.appendChild(host);
    const entry: PageEntry = { route, query, comp: null, host, instance: null, window: this.windowOf(route) };
    this.stack.push(entry);
    if (this.tabs.includes(route)) this.tabEntries.set(route, entry);
    try {
      const started = performance.now();
      const comp = this.engine.render(route);
      comp.attach(host);
      this.hooks.rendered(route, Math.round(performance.now() - started));
      entry.comp = comp;
      entry.instance = comp.instance;
      entry.instance.route = route;
      entry.instance.options = query;
      const opener = channel;
      entry.instance.getOpenerEventChannel = () => opener ?? new EventChannel();
    } catch (error) {
      host.classList.add('wx-page--broken');
      host.textContent = `无法渲染 ${route}：${error instanceof Error ? error.message : String(error)}`;
      this.hooks.pageError(route, 'render', error);
    }
    this.watchScroll(entry);
    this.call(entry, 'onLoad', query);
    this.show(entry);
    this.call(entry, 'onReady');
  }

  private watchScroll(entry: PageEntry): void {
    let reached = false;
    entry.host.addEventListener('scroll', () => {
      const host = entry.host;
      this.call(entry, 'onPageScroll', { scrollTop: host.scrollTop });
      const distance = Number((entry.window as { onReachBottomDistance?: number }).onReachBottomDistance ?? 50);
      const atBottom = host.scrollTop + host.clientHeight >= host.scrollHeight - distance;
      if (atBottom && !reached) this.call(entry, 'onReachBottom');
      reached = atBottom;
    });
  }

  private show(entry: PageEntry): void {
    for (const other of this.container.children) (other as HTMLElement).hidden = other !== entry.host;
    this.call(entry, 'onShow');
    this.pageLifetime(entry, 'show');
    this.hooks.changed(entry);
  }

  private hide(entry: PageEntry | undefined): void {
    if (!entry) return;
    this.call(entry, 'onHide');
    this.pageLifetime(entry, 'hide');
  }

  private unload(entry: PageEntry): void {
    this.call(entry, 'onUnload');
    try {
      entry.comp?.detach();
    } catch (error) {
      this.hooks.pageError(entry.route, 'detach', error);
    }
    entry.host.remove();
    if (this.tabEntries.get(entry.route) === entry) this.tabEntries.delete(entry.route);
  }

  private pageLifetime(entry: PageEntry, name: 'show' | 'hide'): void {
    try {
      entry.comp?.triggerPageLifeTime(name);
    } catch (error) {
      this.hooks.pageError(entry.route, `pageLifetimes.${name}`, error);
    }
  }
}
