/**
 * `wx` for the browser. Networking goes to the host serving the preview as the chosen demo user;
 * UI APIs draw in the frame; device APIs (location, scan, calls, navigation apps, subscriptions)
 * answer through visible dialogs or the side panel. Any API not listed here is answered by a proxy
 * that shows a named notice and fails the call — never a silent no-op.
 */
import type { Overlays } from './overlays';
import { NavigationError, EventChannel, type Router } from './router';
import type { Query } from './types';

type Callbacks = {
  success?: (result: unknown) => void;
  fail?: (error: { errMsg: string }) => void;
  complete?: (result: unknown) => void;
};
type Options = Callbacks & Record<string, unknown>;

export interface WxServices {
  router: Router;
  overlays: Overlays;
  /** Origin of the local host that serves the preview; loopback requests are sent there. */
  hostOrigin: string;
  openid(): string;
  position(): { latitude: number; longitude: number };
  frame(): { width: number; height: number; windowHeight: number };
  launchOptions(): { path: string; query: Query; scene: number };
  /** Opens the scan dialog; resolves with the decoded text or null when cancelled. */
  scan(): Promise<string | null>;
  unsupported(what: string, detail?: string): void;
  log(kind: string, text: string): void;
  /** Counts work in flight (journeys wait until the pages' requests are answered). */
  track<T>(work: Promise<T>): Promise<T>;
  setTitle(title: string): void;
  setNavigationColors(front: string, background: string): void;
  setNavigationLoading(on: boolean): void;
}

const STORAGE_PREFIX = 'wxbank-preview:';

/** Runs `work`, then the callbacks; without callbacks returns a promise, as the base library does. */
function invoke<T>(name: string, options: Options | undefined, work: () => Promise<T> | T): Promise<T> | undefined {
  const opts = options ?? {};
  const usesCallbacks = Boolean(opts.success || opts.fail || opts.complete);
  const promise = Promise.resolve()
    .then(work)
    .then(
      (result) => {
        const value = { errMsg: `${name}:ok`, ...(result as object) } as T;
        opts.success?.(value);
        opts.complete?.(value);
        return value;
      },
      (error: unknown) => {
        const errMsg =
          error && typeof error === 'object' && 'errMsg' in error
            ? String((error as { errMsg: unknown }).errMsg)
            : error instanceof Error
              ? error.message
              : `${name}:fail`;
        const failure = { errMsg };
        opts.fail?.(failure);
        opts.complete?.(failure);
        throw failure;
      },
    );
  if (usesCallbacks) {
    promise.catch(() => undefined);
    return undefined;
  }
  return promise;
}

const fail = (errMsg: string) => ({ errMsg });

function isLoopback(url: URL): boolean {
  return ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(url.hostname);
}

export function createWx(services: WxServices): Record<string, unknown> {
  const { router, overlays } = services;
  // A failed navigation fails the call, as in WeChat, and is shown: a wrong URL is a bug to see.
  const navigationFailed = (error: NavigationError) => {
    overlays.banner(error.message);
    services.log('error', error.message);
    return fail(error.message);
  };
  const navigation = (name: string, action: (options: Options) => object | void) => (options: Options) =>
    invoke(name, options, () => {
      try {
        return action(options) ?? {};
      } catch (error) {
        if (error instanceof NavigationError) throw navigationFailed(error);
        throw error;
      }
    });

  const storage = {
    get(key: string): unknown {
      const raw = localStorage.getItem(STORAGE_PREFIX + key);
      return raw === null ? '' : (JSON.parse(raw) as unknown);
    },
    has: (key: string) => localStorage.getItem(STORAGE_PREFIX + key) !== null,
    set(key: string, value: unknown) {
      localStorage.setItem(STORAGE_PREFIX + key, JSON.stringify(value ?? null));
    },
    remove: (key: string) => localStorage.removeItem(STORAGE_PREFIX + key),
    keys(): string[] {
      return Object.keys(localStorage)
        .filter((k) => k.startsWith(STORAGE_PREFIX))
        .map((k) => k.slice(STORAGE_PREFIX.length));
    },
    clear: () => storage.keys().forEach(storage.remove),
  };

  const request = (options: Options) => services.track(send(options));

  async function send(options: Options) {
    const target = new URL(String(options.url), location.href);
    // The page's local transport points at the developer's host; in the preview that is the
    // host serving this page, whatever port it runs on.
    const url = isLoopback(target) ? `${services.hostOrigin}${target.pathname}${target.search}` : target.href;
    const method = String(options.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries((options.header as Record<string, string>) ?? {})) {
      if (key.toLowerCase() !== 'x-wx-openid') headers[key] = String(value);
    }
    headers['X-WX-OPENID'] = services.openid();
    let body: string | undefined;
    let finalUrl = url;
    if (method === 'GET' && options.data && typeof options.data === 'object') {
      const params = new URLSearchParams(options.data as Record<string, string>);
      finalUrl += (url.includes('?') ? '&' : '?') + params.toString();
    } else if (options.data !== undefined && method !== 'GET') {
      body = typeof options.data === 'string' ? options.data : JSON.stringify(options.data);
      headers['content-type'] = headers['content-type'] ?? 'application/json';
    }
    let response: Response;
    try {
      response = await fetch(finalUrl, { method, headers, body });
    } catch (error) {
      services.log('request', `${method} ${finalUrl} → 连接失败`);
      throw fail(`request:fail ${error instanceof Error ? error.message : ''}`.trim());
    }
    const text = await response.text();
    let data: unknown = text;
    if (options.dataType !== 'text') {
      try {
        data = JSON.parse(text);
      } catch {
        // wx.request hands back the raw text when it is not JSON
      }
    }
    services.log('request', `${method} ${new URL(finalUrl).pathname} → ${response.status} ${summarize(data)}`);
    return { data, statusCode: response.status, header: Object.fromEntries(response.headers.entries()), cookies: [] };
  }

  const systemInfo = () => {
    const frame = services.frame();
    return {
      brand: 'wxbank-preview',
      model: 'Browser preview',
      pixelRatio: window.devicePixelRatio || 2,
      screenWidth: frame.width,
      screenHeight: frame.height,
      windowWidth: frame.width,
      windowHeight: frame.windowHeight,
      statusBarHeight: 20,
      language: 'zh_CN',
      version: '8.0.50',
      system: 'Browser',
      platform: 'devtools',
      SDKVersion: '3.4.0',
      safeArea: {
        left: 0,
        right: frame.width,
        top: 20,
        bottom: frame.height,
        width: frame.width,
        height: frame.height - 20,
      },
      theme: 'light',
    };
  };

  const api: Record<string, unknown> = {
    env: { USER_DATA_PATH: 'wxfile://usr' },
    canIUse: (schema: string) => typeof api[String(schema).split('.')[0] ?? ''] !== 'undefined',
    nextTick: (fn: () => void) => void Promise.resolve().then(fn),
    getSystemInfoSync: systemInfo,
    getSystemInfo: (options: Options) => invoke('getSystemInfo', options, systemInfo),
    getWindowInfo: systemInfo,
    getDeviceInfo: systemInfo,
    getAppBaseInfo: systemInfo,
    getMenuButtonBoundingClientRect: () => {
      const width = services.frame().width;
      return { width: 87, height: 32, top: 26, bottom: 58, left: width - 94, right: width - 7 };
    },
    getLaunchOptionsSync: () => services.launchOptions(),
    getEnterOptionsSync: () => services.launchOptions(),

    request: (options: Options) => {
      const controller = { aborted: false };
      void invoke('request', options, async () => {
        const result = await request(options);
        if (controller.aborted) throw fail('request:fail abort');
        return result;
      })?.catch(() => undefined);
      return { abort: () => (controller.aborted = true), onHeadersReceived() {}, offHeadersReceived() {} };
    },
    cloud: {
      init: () => undefined,
      callFunction: (options: Options) =>
        invoke('cloud.callFunction', options, async () => {
          const response = await request({
            url: `${services.hostOrigin}/fn/${String(options.name)}`,
            method: 'POST',
            data: options.data ?? {},
          });
          return { result: response.data, requestID: `preview-${Date.now()}` };
        }),
    },
    login: (options: Options) => invoke('login', options, () => ({ code: `preview-${services.openid()}` })),
    checkSession: (options: Options) => invoke('checkSession', options, () => ({})),

    getStorageSync: (key: string) => storage.get(key),
    setStorageSync: (key: string, value: unknown) => storage.set(key, value),
    removeStorageSync: (key: string) => storage.remove(key),
    clearStorageSync: () => storage.clear(),
    getStorageInfoSync: () => ({ keys: storage.keys(), currentSize: 0, limitSize: 10240 }),
    getStorage: (options: Options) =>
      invoke('getStorage', options, () => {
        const key = String(options.key);
        if (!storage.has(key)) throw fail('getStorage:fail data not found');
        return { data: storage.get(key) };
      }),
    setStorage: (options: Options) =>
      invoke('setStorage', options, () => storage.set(String(options.key), options.data)),
    removeStorage: (options: Options) => invoke('removeStorage', options, () => storage.remove(String(options.key))),
    clearStorage: (options: Options) => invoke('clearStorage', options, () => storage.clear()),

    showToast: (options: Options) =>
      invoke('showToast', options, () =>
        overlays.toast({
          title: String(options.title ?? ''),
          icon: options.icon as string | undefined,
          duration: options.duration as number | undefined,
          mask: Boolean(options.mask),
        }),
      ),
    hideToast: (options?: Options) => invoke('hideToast', options, () => overlays.hideToast()),
    showLoading: (options: Options) =>
      invoke('showLoading', options, () => overlays.loading(String(options.title ?? ''), Boolean(options.mask))),
    hideLoading: (options?: Options) => invoke('hideLoading', options, () => overlays.hideToast()),
    showModal: (options: Options) =>
      invoke('showModal', options, async () => {
        const editable = Boolean(options.editable);
        const input = document.createElement('input');
        input.className = 'pv-input';
        input.placeholder = String(options.placeholderText ?? '');
        const body = editable ? input : String(options.content ?? '');
        const buttons = [
          ...(options.showCancel === false ? [] : [{ text: String(options.cancelText ?? '取消'), value: false }]),
          { text: String(options.confirmText ?? '确定'), value: true, primary: true },
        ];
        const confirm = await overlays.dialog({ title: String(options.title ?? ''), body, buttons });
        return { confirm, cancel: !confirm, ...(editable ? { content: input.value } : {}) };
      }),
    showActionSheet: (options: Options) =>
      invoke('showActionSheet', options, async () => {
        const tapIndex = await overlays.sheet({
          title: options.alertText as string | undefined,
          items: (options.itemList as string[]) ?? [],
          itemColor: options.itemColor as string | undefined,
        });
        if (tapIndex === null) throw fail('showActionSheet:fail cancel');
        return { tapIndex };
      }),

    navigateTo: navigation('navigateTo', (options) => {
      const mine = new EventChannel();
      const theirs = new EventChannel(mine);
      mine.link(theirs);
      for (const [name, fn] of Object.entries((options.events as Record<string, (...a: unknown[]) => void>) ?? {}))
        mine.on(name, fn);
      router.navigateTo(String(options.url), theirs);
      return { eventChannel: mine };
    }),
    redirectTo: navigation('redirectTo', (o) => router.redirectTo(String(o.url))),
    navigateBack: navigation('navigateBack', (o) => router.navigateBack(Number(o?.delta ?? 1))),
    switchTab: navigation('switchTab', (o) => router.switchTab(String(o.url))),
    reLaunch: navigation('reLaunch', (o) => router.reLaunch(String(o.url))),
    setNavigationBarTitle: (options: Options) =>
      invoke('setNavigationBarTitle', options, () => services.setTitle(String(options.title ?? ''))),
    setNavigationBarColor: (options: Options) =>
      invoke('setNavigationBarColor', options, () =>
        services.setNavigationColors(
          String(options.frontColor ?? '#000000'),
          String(options.backgroundColor ?? '#ffffff'),
        ),
      ),
    showNavigationBarLoading: (options?: Options) =>
      invoke('showNavigationBarLoading', options, () => services.setNavigationLoading(true)),
    hideNavigationBarLoading: (options?: Options) =>
      invoke('hideNavigationBarLoading', options, () => services.setNavigationLoading(false)),
    setBackgroundColor: (options?: Options) => invoke('setBackgroundColor', options, () => ({})),
    setBackgroundTextStyle: (options?: Options) => invoke('setBackgroundTextStyle', options, () => ({})),
    pageScrollTo: (options: Options) =>
      invoke('pageScrollTo', options, () => {
        const host = router.top?.host;
        if (!host) return;
        if (typeof options.selector === 'string') host.querySelector(options.selector)?.scrollIntoView();
        else host.scrollTop = Number(options.scrollTop ?? 0);
      }),
    startPullDownRefresh: (options?: Options) =>
      invoke('startPullDownRefresh', options, () => {
        if (router.top) router.call(router.top, 'onPullDownRefresh');
      }),
    stopPullDownRefresh: (options?: Options) => invoke('stopPullDownRefresh', options, () => ({})),
    createSelectorQuery: () => {
      const instance = router.top?.instance as { createSelectorQuery?: () => unknown } | null | undefined;
      return instance?.createSelectorQuery?.();
    },

    getLocation: (options: Options) =>
      invoke('getLocation', options, () => {
        const position = services.position();
        services.log('device', `getLocation → ${position.latitude.toFixed(5)}, ${position.longitude.toFixed(5)}`);
        return { ...position, speed: 0, accuracy: 30, altitude: 0, verticalAccuracy: 0, horizontalAccuracy: 30 };
      }),
    getFuzzyLocation: (options: Options) => invoke('getFuzzyLocation', options, () => services.position()),
    authorize: (options: Options) => invoke('authorize', options, () => ({})),
    getSetting: (options: Options) =>
      invoke('getSetting', options, () => ({
        authSetting: { 'scope.userLocation': true, 'scope.camera': true },
        subscriptionsSetting: { mainSwitch: true },
      })),
    openLocation: (options: Options) =>
      invoke('openLocation', options, async () => {
        const where = [options.name, options.address].filter(Boolean).join(' · ');
        await overlays.dialog({
          title: '打开地图导航',
          body: `${where || '目的地'}\n纬度 ${String(options.latitude)}，经度 ${String(options.longitude)}（GCJ-02）`,
          buttons: [{ text: '知道了', value: true, primary: true }],
          className: 'pv-dialog--open-location',
        });
        return {};
      }),
    makePhoneCall: (options: Options) =>
      invoke('makePhoneCall', options, async () => {
        const call = await overlays.dialog({
          title: '拨打电话',
          body: String(options.phoneNumber ?? ''),
          buttons: [
            { text: '取消', value: false },
            { text: '呼叫', value: true, primary: true },
          ],
          className: 'pv-dialog--phone-call',
        });
        if (!call) throw fail('makePhoneCall:fail cancel');
        services.log('device', `makePhoneCall → ${String(options.phoneNumber)}`);
        return {};
      }),
    requestSubscribeMessage: (options: Options) =>
      invoke('requestSubscribeMessage', options, async () => {
        const ids = (options.tmplIds as string[]) ?? [];
        const accept = await overlays.dialog({
          title: '订阅消息',
          body: `允许发送以下消息？\n${ids.join('\n')}`,
          buttons: [
            { text: '拒绝', value: false },
            { text: '允许', value: true, primary: true },
          ],
          className: 'pv-dialog--subscribe',
        });
        const answer = accept ? 'accept' : 'reject';
        return Object.fromEntries(ids.map((id) => [id, answer]));
      }),
    scanCode: (options: Options) =>
      invoke('scanCode', options, async () => {
        const result = await services.scan();
        if (result === null) throw fail('scanCode:fail cancel');
        services.log('device', `scanCode → ${result}`);
        return {
          result,
          scanType: 'QR_CODE',
          charSet: 'utf-8',
          path: '',
          rawData: btoa(unescape(encodeURIComponent(result))),
        };
      }),
    vibrateShort: (options?: Options) => invoke('vibrateShort', options, () => services.log('device', 'vibrateShort')),
    vibrateLong: (options?: Options) => invoke('vibrateLong', options, () => services.log('device', 'vibrateLong')),
    setClipboardData: (options: Options) =>
      invoke('setClipboardData', options, async () => {
        await navigator.clipboard?.writeText(String(options.data ?? '')).catch(() => undefined);
        overlays.toast({ title: '内容已复制', icon: 'none' });
        return {};
      }),
    getClipboardData: (options: Options) =>
      invoke('getClipboardData', options, async () => ({
        data: (await navigator.clipboard?.readText().catch(() => '')) ?? '',
      })),
    getNetworkType: (options: Options) => invoke('getNetworkType', options, () => ({ networkType: 'wifi' })),
    createMapContext: () => ({
      moveToLocation: (options?: Options) => invoke('moveToLocation', options, () => ({})),
      includePoints: (options?: Options) => invoke('includePoints', options, () => ({})),
      getCenterLocation: (options?: Options) => invoke('getCenterLocation', options, () => services.position()),
    }),
  };

  // Anything else: a visible notice and a failed call, so a missing API never passes unnoticed.
  return new Proxy(api, {
    get(target, name: string | symbol) {
      if (typeof name === 'symbol' || name in target) return target[name as string];
      if (name === 'then' || name === 'toJSON') return undefined;
      return (options?: Options) => {
        services.unsupported(`wx.${name}`);
        if (name.endsWith('Sync') || name.startsWith('on') || name.startsWith('off') || name.startsWith('create'))
          return undefined;
        return invoke(name, options, () => {
          throw fail(`${name}:fail not supported in the preview`);
        });
      };
    },
  });
}

function summarize(data: unknown): string {
  if (data && typeof data === 'object' && 'ok' in data) {
    const result = data as { ok: boolean; error?: { code?: string } };
    return result.ok ? 'ok' : (result.error?.code ?? 'error');
  }
  return '';
}
