/**
 * Boots the preview: engine (simulate + the project's files), built-in components, the shell, the
 * page stack and `wx`; then App() and the first page — from the URL hash (`#/pages/x/index?a=1`),
 * else the entry page of app.json. `window.__preview` lets journeys wait for the page and the host.
 */
import exparser from 'miniprogram-exparser';
import { KNOWN_BUILTINS, registerBuiltins } from './builtins';
import { Engine } from './engine';
import { installVantIconStandIns } from './icons';
import { Overlays } from './overlays';
import { Router, type PageEntry } from './router';
import { decodeQrImage, scanDialog } from './scan';
import { FRAME_SIZES, POSITION_PRESETS, Shell, type DemoUser } from './shell';
import type { PreviewState, Query } from './types';
import { createWx } from './wx';

const SETTINGS_PREFIX = 'wxbank-preview-shell:';
const setting = (key: string, fallback: string) => localStorage.getItem(SETTINGS_PREFIX + key) ?? fallback;
const saveSetting = (key: string, value: string) => localStorage.setItem(SETTINGS_PREFIX + key, value);

declare global {
  interface Window {
    __preview: PreviewState;
  }
}

function frameSize(): { width: number; height: number } {
  const params = new URLSearchParams(location.search);
  const width = Number(params.get('w'));
  const height = Number(params.get('h'));
  if (width >= 240 && width <= 1024 && height >= 400 && height <= 1400) return { width, height };
  return FRAME_SIZES[0]!;
}

async function boot(): Promise<void> {
  const size = frameSize();
  const origin = location.origin;
  const state: PreviewState = {
    ready: false,
    inFlight: 0,
    route: () => router.top?.route,
    stack: () => router.entries.map((e) => ({ route: e.route, query: e.query })),
    openid: () => currentOpenid,
    problems: [],
    renders: [],
    selector: (css) => {
      const tag = Engine.tagOf(router.top?.route ?? '');
      return `.wx-page:not([hidden]) ${css.replace(/\.([A-Za-z_][\w-]*)/g, (_all, name: string) => `.${tag}--${name}`)}`;
    },
  };
  window.__preview = state;

  const problem = (kind: 'unsupported' | 'error', text: string) => {
    state.problems.push(text);
    if (shell.notice(kind, text)) overlays.banner(text);
    console.warn(`[preview] ${text}`);
  };
  const engine = new Engine({
    frameWidth: size.width,
    onProblem: (title, detail) => problem('error', `${title}：${detail}`),
  });
  const assetUrl = (src: string): string => {
    if (/^(https?:|data:|blob:|wxfile:)/.test(src)) return src;
    const top = router?.top?.route ?? '';
    const path = src.startsWith('/') ? src.slice(1) : [...top.split('/').slice(0, -1), src].join('/');
    return `${location.pathname.replace(/\/[^/]*$/, '')}/assets/${engine.root}/${path}`;
  };
  const shell = new Shell(document.getElementById('preview')!, size, assetUrl);
  const overlays = new Overlays(shell.overlayLayer);

  let currentOpenid = setting('openid', 'o-demo-alice');
  let position = JSON.parse(setting('position', JSON.stringify(POSITION_PRESETS[0]))) as {
    latitude: number;
    longitude: number;
  };
  let launch = { path: '', query: {} as Query, scene: 1001 };

  const router: Router = new Router(engine, shell.pages, {
    changed: (top) => onPageChanged(top),
    rendered: (route, ms) => state.renders.push({ route, ms }),
    pageError: (route, where, error) =>
      problem('error', `${route} ${where} 出错：${error instanceof Error ? error.message : String(error)}`),
  });

  registerBuiltins({
    assetUrl,
    unsupported: (what, detail) => problem('unsupported', `预览不支持 ${what}${detail ? `（${detail}）` : ''}`),
    navigate: (openType, url, delta) => {
      const api = wx as Record<string, (o: object) => unknown>;
      const method = {
        navigate: 'navigateTo',
        redirect: 'redirectTo',
        switchTab: 'switchTab',
        reLaunch: 'reLaunch',
        navigateBack: 'navigateBack',
      }[openType];
      if (method) void (api[method]!({ url, delta }) as Promise<unknown> | undefined)?.catch(() => undefined);
      else problem('unsupported', `预览不支持 <navigator open-type="${openType}">`);
    },
    pick: (options) => overlays.sheet(options),
    pickValue: (kind, value) => overlays.pickValue(kind, value),
    position: () => position,
  });

  const wx = createWx({
    router,
    overlays,
    hostOrigin: origin,
    openid: () => currentOpenid,
    position: () => position,
    frame: () => ({ width: size.width, height: size.height, windowHeight: shell.windowHeight }),
    launchOptions: () => launch,
    scan: () => scanDialog(overlays, origin),
    unsupported: (what, detail) => problem('unsupported', `预览不支持 ${what}${detail ? `（${detail}）` : ''}`),
    log: (kind, text) => shell.log(kind, text),
    track: async (work) => {
      state.inFlight++;
      try {
        return await work;
      } finally {
        state.inFlight--;
      }
    },
    setTitle: (title) => shell.setTitle(title),
    setNavigationColors: (front, background) => shell.setNavigationColors(front, background),
    setNavigationLoading: (on) => shell.setNavigationLoading(on),
  });
  Object.assign(window, {
    wx,
    getCurrentPages: () => router.entries.map((entry) => entry.instance),
  });

  installVantIconStandIns();
  installTapBridge(shell.pages);
  watchUnknownTags(shell.pages, engine, problem);

  const app = runApp(engine, problem);
  const entry = engine.app.entryPagePath ?? router.pages[0];
  if (!entry) {
    shell.pages.textContent = 'app.json 里没有页面';
    return;
  }

  function onPageChanged(top: PageEntry): void {
    shell.showPage(top, router.entries.length, engine.app, (pagePath) => {
      void (wx.switchTab as (o: object) => Promise<unknown>)({ url: `/${pagePath.replace(/^\//, '')}` }).catch(
        () => undefined,
      );
    });
    const query = Object.entries(top.query)
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    history.replaceState(null, '', `#/${top.route}${query ? `?${query}` : ''}`);
    (shell.panel.querySelector('.pv-open__route') as HTMLSelectElement).value = top.route;
  }

  function open(url: string, scene = 1001): void {
    const parsed = router.parse(url);
    launch = { path: parsed.route, query: parsed.query, scene };
    try {
      router.reLaunch(url);
    } catch (error) {
      problem('error', error instanceof Error ? error.message : String(error));
      router.reLaunch(`/${entry}`);
    }
    app.show(launch);
  }

  // side panel
  shell.fill(
    '.pv-open__route',
    router.pages.map((route) => [route, router.tabs.includes(route) ? `${route}（tab）` : route]),
  );
  shell.on('.pv-open__go', 'click', () => {
    const route = (shell.panel.querySelector('.pv-open__route') as HTMLSelectElement).value;
    const query = shell.input('.pv-open__query').value.trim();
    open(`/${route}${query ? `?${query}` : ''}`);
  });
  const users = await fetchDemoUsers(origin);
  const userOptions = (): [string, string][] => {
    const known = users.some((u) => u.openid === currentOpenid) ? [] : [{ openid: currentOpenid, label: '自定义' }];
    return [...users, ...known].map((u) => [u.openid, `${u.label} · ${u.openid}`]);
  };
  const switchUser = (openid: string) => {
    if (!openid || openid === currentOpenid) return;
    currentOpenid = openid;
    saveSetting('openid', openid);
    shell.fill('.pv-user__select', userOptions());
    (shell.panel.querySelector('.pv-user__select') as HTMLSelectElement).value = openid;
    shell.log('user', `切换用户 → ${openid}`);
    // A different user is a different phone: every open page loads again as that user.
    router.reloadAll();
  };
  shell.fill('.pv-user__select', userOptions());
  (shell.panel.querySelector('.pv-user__select') as HTMLSelectElement).value = currentOpenid;
  shell.on('.pv-user__select', 'change', (event) => switchUser((event.target as HTMLSelectElement).value));
  shell.on('.pv-user__apply', 'click', () => switchUser(shell.input('.pv-user__custom').value.trim()));

  shell.on('.pv-launch__image', 'change', async (event) => {
    const file = (event.target as HTMLInputElement).files?.[0];
    const result = shell.panel.querySelector('.pv-launch__result')!;
    const text = file ? await decodeQrImage(file).catch(() => null) : null;
    if (text === null) result.textContent = '图片里没有识别到二维码';
    else {
      shell.input('.pv-launch__q').value = text;
      result.textContent = `读到：${text}`;
    }
  });
  shell.on('.pv-launch__go', 'click', () => {
    const route = (shell.panel.querySelector('.pv-open__route') as HTMLSelectElement).value || entry;
    const scene = shell.input('.pv-launch__scene').value.trim();
    const q = shell.input('.pv-launch__q').value.trim();
    // As WeChat passes them: both arrive URL-encoded in onLoad's options.
    const params = [scene ? `scene=${encodeURIComponent(scene)}` : '', q ? `q=${encodeURIComponent(q)}` : ''].filter(
      Boolean,
    );
    open(`/${route}${params.length ? `?${params.join('&')}` : ''}`, q ? 1011 : 1047);
  });

  const showPosition = () => {
    shell.input('.pv-position__lat').value = String(position.latitude);
    shell.input('.pv-position__lng').value = String(position.longitude);
  };
  const setPosition = (latitude: number, longitude: number) => {
    if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return;
    position = { latitude, longitude };
    saveSetting('position', JSON.stringify(position));
  };
  showPosition();
  shell.on('.pv-position__preset', 'change', (event) => {
    const preset = POSITION_PRESETS[Number((event.target as HTMLSelectElement).value)];
    if (preset) setPosition(preset.latitude, preset.longitude);
    showPosition();
  });
  for (const selector of ['.pv-position__lat', '.pv-position__lng'])
    shell.on(selector, 'change', () =>
      setPosition(Number(shell.input('.pv-position__lat').value), Number(shell.input('.pv-position__lng').value)),
    );

  shell.on('.pv-device__size', 'change', (event) => {
    const [w, h] = (event.target as HTMLSelectElement).value.split('x');
    location.search = `?w=${w}&h=${h}`;
  });
  shell.on('.pv-device__refresh', 'click', () => {
    if (router.top) router.call(router.top, 'onPullDownRefresh');
  });
  shell.on('.pv-device__clear', 'click', () => {
    (wx.clearStorageSync as () => void)();
    shell.log('device', '已清除存储');
  });
  shell.onBack(() => void (wx.navigateBack as (o: object) => Promise<unknown>)({}).catch(() => undefined));
  window.addEventListener('hashchange', () => open(location.hash.slice(1) || `/${entry}`));

  const start = location.hash.length > 2 ? location.hash.slice(1) : `/${entry}`;
  app.launch({ path: router.parse(start).route, query: router.parse(start).query, scene: 1001 });
  open(start);
  state.ready = true;
}

async function fetchDemoUsers(origin: string): Promise<DemoUser[]> {
  try {
    const response = await fetch(`${origin}/dev/demo-users`);
    const body = (await response.json()) as { ok?: boolean; data?: DemoUser[] };
    return body.ok && Array.isArray(body.data) ? body.data : [];
  } catch {
    return [];
  }
}

/** App(), getApp() and the app's launch/show, from app.js. */
function runApp(engine: Engine, problem: (kind: 'error', text: string) => void) {
  let definition: Record<string, unknown> = {};
  Object.assign(window, {
    App: (options: Record<string, unknown>) => void (definition = options),
    getApp: () => definition,
    // Legacy Page() pages run as Component() pages: lifecycle and handlers become methods.
    Page: (options: Record<string, unknown>) => {
      const { data, ...rest } = options;
      (window as unknown as { Component: (o: object) => void }).Component({ data, methods: rest });
    },
  });
  try {
    engine.runApp();
  } catch (error) {
    problem('error', `app.js 出错：${error instanceof Error ? error.message : String(error)}`);
  }
  const call = (name: string, arg: unknown) => {
    try {
      (definition[name] as ((a: unknown) => void) | undefined)?.call(definition, arg);
    } catch (error) {
      problem('error', `App ${name} 出错：${error instanceof Error ? error.message : String(error)}`);
    }
  };
  let launched = false;
  return {
    launch(options: unknown) {
      launched = true;
      call('onLaunch', options);
    },
    show(options: unknown) {
      if (launched) call('onShow', options);
    },
  };
}

/**
 * Mouse clicks become the touch sequence a phone produces (touchstart, touchend, then tap unless
 * the pointer moved), dispatched into exparser like j-component does for real touch events;
 * real touch input is already handled by j-component itself.
 */
function installTapBridge(container: HTMLElement): void {
  const MOVE = 10;
  let start: { x: number; y: number; target: EventTarget; at: number } | null = null;
  const fire = (target: EventTarget, name: string, event: PointerEvent) => {
    const touch = {
      identifier: 0,
      pageX: event.pageX,
      pageY: event.pageY,
      clientX: event.clientX,
      clientY: event.clientY,
    };
    exparser.Event.dispatchEvent(
      target,
      exparser.Event.create(name, name === 'tap' || name === 'longpress' ? { x: event.pageX, y: event.pageY } : {}, {
        originalEvent: event,
        bubbles: true,
        capturePhase: true,
        composed: true,
        extraFields: { touches: name === 'touchend' ? [] : [touch], changedTouches: [touch] },
      }),
    );
  };
  container.addEventListener('pointerdown', (event) => {
    if (event.pointerType === 'touch' || event.button !== 0) return;
    start = { x: event.clientX, y: event.clientY, target: event.target!, at: Date.now() };
    fire(event.target!, 'touchstart', event);
  });
  container.addEventListener('pointermove', (event) => {
    if (start && event.pointerType !== 'touch') fire(start.target, 'touchmove', event);
  });
  container.addEventListener('pointerup', (event) => {
    if (!start || event.pointerType === 'touch') return;
    const { target, x, y, at } = start;
    start = null;
    fire(target, 'touchend', event);
    if (Math.abs(event.clientX - x) < MOVE && Math.abs(event.clientY - y) < MOVE)
      fire(target, Date.now() - at > 350 ? 'longpress' : 'tap', event);
  });
}

/** A tag that is neither a built-in nor a declared component shows as a named placeholder. */
function watchUnknownTags(
  container: HTMLElement,
  engine: Engine,
  problem: (kind: 'unsupported', text: string) => void,
) {
  const known = new Set<string>();
  for (const name of KNOWN_BUILTINS) known.add(`wx-${name}`);
  for (const tag of engine.componentTags()) known.add(tag);
  const check = (node: Element) => {
    const tag = node.tagName.toLowerCase();
    if (!tag.includes('-') || known.has(tag) || tag.startsWith('p-')) return;
    (node as HTMLElement).dataset.previewUnsupported = tag.replace(/^wx-/, '');
    problem('unsupported', `预览不认识 <${tag.replace(/^wx-/, '')}>（不是内置组件，也不在 usingComponents 里）`);
  };
  new MutationObserver((mutations) => {
    for (const mutation of mutations)
      for (const node of mutation.addedNodes) {
        if (!(node instanceof Element)) continue;
        check(node);
        node.querySelectorAll('*').forEach(check);
      }
  }).observe(container, { childList: true, subtree: true });
}

boot().catch((error: unknown) => {
  const target = document.getElementById('preview') ?? document.body;
  const message = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
  target.insertAdjacentHTML('afterbegin', '<pre class="pv-fatal" role="alert"></pre>');
  (target.querySelector('.pv-fatal') as HTMLElement).textContent = `预览启动失败：${message}`;
});
