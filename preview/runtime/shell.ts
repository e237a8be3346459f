/**
 * The preview page around the phone: the frame (status bar, navigation bar, pages, tab bar,
 * overlays) and the side panel (demo user, launch by QR, position, frame size, SMS outbox link,
 * notices and the request log). Only DOM here; main.ts wires it to the router and `wx`.
 */
import type { PageEntry } from './router';
import type { AppJson, TabBarConfig } from './types';

export interface DemoUser {
  openid: string;
  label: string;
}

export interface FrameSize {
  width: number;
  height: number;
}

export const FRAME_SIZES: FrameSize[] = [
  { width: 375, height: 812 },
  { width: 390, height: 844 },
  { width: 414, height: 896 },
  { width: 375, height: 667 },
  { width: 320, height: 568 },
];

export const POSITION_PRESETS = [
  { label: '上海 · 人民广场', latitude: 31.2304, longitude: 121.4737 },
  { label: '北京 · 天安门', latitude: 39.9087, longitude: 116.3975 },
  { label: '深圳 · 市民中心', latitude: 22.5431, longitude: 114.0579 },
];

const STATUS_BAR = 20;
const NAV_BAR = 44;
const TAB_BAR = 50;

const html = (strings: TemplateStringsArray, ...values: unknown[]) =>
  strings.reduce((out, part, i) => out + part + (i < values.length ? escapeHtml(String(values[i])) : ''), '');

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export class Shell {
  readonly phone: HTMLElement;
  readonly pages: HTMLElement;
  readonly overlayLayer: HTMLElement;
  readonly panel: HTMLElement;
  private readonly navBar: HTMLElement;
  private readonly tabBar: HTMLElement;
  private readonly title: HTMLElement;
  private readonly back: HTMLElement;
  private readonly notices: HTMLElement;
  private readonly logList: HTMLElement;
  private readonly seenNotices = new Set<string>();
  private tabBarShown = false;

  constructor(
    mount: HTMLElement,
    private readonly size: FrameSize,
    private readonly assetUrl: (path: string) => string,
  ) {
    mount.innerHTML = `
      <aside class="pv-panel"></aside>
      <main class="pv-stage">
        <div class="pv-phone" data-testid="phone">
          <div class="pv-statusbar"><span>9:41</span><span>wxbank 预览</span><span>100%</span></div>
          <div class="pv-navbar">
            <button type="button" class="pv-navbar__back" aria-label="返回">‹</button>
            <div class="pv-navbar__title"></div>
            <div class="pv-navbar__capsule" aria-hidden="true">•••｜◎</div>
          </div>
          <div class="pv-pages"></div>
          <nav class="pv-tabbar" hidden></nav>
          <div class="pv-overlays"></div>
        </div>
      </main>`;
    this.phone = mount.querySelector('.pv-phone')!;
    this.phone.style.width = `${size.width}px`;
    this.phone.style.height = `${size.height}px`;
    this.pages = mount.querySelector('.pv-pages')!;
    this.overlayLayer = mount.querySelector('.pv-overlays')!;
    this.navBar = mount.querySelector('.pv-navbar')!;
    this.title = mount.querySelector('.pv-navbar__title')!;
    this.back = mount.querySelector('.pv-navbar__back')!;
    this.tabBar = mount.querySelector('.pv-tabbar')!;
    this.panel = mount.querySelector('.pv-panel')!;
    this.panel.innerHTML = `
      <h1>wxbank 预览</h1>
      <section class="pv-section pv-user">
        <h2>演示用户</h2>
        <select class="pv-user__select" aria-label="演示用户"></select>
        <div class="pv-row"><input class="pv-input pv-user__custom" placeholder="或输入任意 openid"><button type="button" class="pv-user__apply">切换</button></div>
        <div class="pv-small">页面的每个请求都以所选用户发出（X-WX-OPENID），发往本预览所在的本地服务。</div>
        <a class="pv-link" href="/sandbox/sms" target="_blank" rel="noopener">短信沙箱（验证码）↗</a>
      </section>
      <section class="pv-section pv-open">
        <h2>打开页面</h2>
        <select class="pv-open__route" aria-label="页面"></select>
        <div class="pv-row"><input class="pv-input pv-open__query" placeholder="查询参数 a=1&b=2"><button type="button" class="pv-open__go">打开</button></div>
      </section>
      <section class="pv-section pv-launch">
        <h2>扫码启动</h2>
        <input class="pv-input pv-launch__scene" placeholder="scene（小程序码参数）">
        <input class="pv-input pv-launch__q" placeholder="q（普通二维码链接）">
        <label class="pv-row pv-small">或读二维码图片 <input class="pv-launch__image" type="file" accept="image/*"></label>
        <div class="pv-row"><button type="button" class="pv-launch__go">扫码启动所选页面</button></div>
        <div class="pv-small pv-launch__result" role="status"></div>
      </section>
      <section class="pv-section pv-position">
        <h2>定位（getLocation，GCJ-02）</h2>
        <select class="pv-position__preset" aria-label="预设位置"></select>
        <div class="pv-row"><input class="pv-input pv-position__lat" aria-label="纬度"><input class="pv-input pv-position__lng" aria-label="经度"></div>
      </section>
      <section class="pv-section pv-device">
        <h2>设备</h2>
        <select class="pv-device__size" aria-label="屏幕尺寸"></select>
        <div class="pv-row"><button type="button" class="pv-device__refresh">下拉刷新</button><button type="button" class="pv-device__clear">清除存储</button></div>
      </section>
      <section class="pv-section">
        <h2>提示</h2>
        <ul class="pv-notices" aria-label="提示"></ul>
      </section>
      <section class="pv-section">
        <h2>请求记录</h2>
        <ol class="pv-log" aria-label="请求记录"></ol>
      </section>`;
    this.notices = this.panel.querySelector('.pv-notices')!;
    this.logList = this.panel.querySelector('.pv-log')!;
    this.fill(
      '.pv-device__size',
      FRAME_SIZES.map((s) => [`${s.width}x${s.height}`, `${s.width}×${s.height}`]),
    );
    (this.panel.querySelector('.pv-device__size') as HTMLSelectElement).value = `${size.width}x${size.height}`;
    this.fill('.pv-position__preset', [
      ['', '预设位置…'],
      ...POSITION_PRESETS.map((p, i): [string, string] => [String(i), p.label]),
    ]);
  }

  /** Fills a select with [value, label] options. */
  fill(selector: string, options: [string, string][]): void {
    const select = this.panel.querySelector(selector) as HTMLSelectElement;
    select.innerHTML = options.map(([value, label]) => html`<option value="${value}">${label}</option>`).join('');
  }

  input(selector: string): HTMLInputElement {
    return this.panel.querySelector(selector) as HTMLInputElement;
  }

  on(selector: string, event: string, handler: (event: Event) => void): void {
    this.panel.querySelector(selector)!.addEventListener(event, handler);
  }

  onBack(handler: () => void): void {
    this.back.addEventListener('click', handler);
  }

  get windowHeight(): number {
    return this.size.height - STATUS_BAR - (this.navBar.hidden ? 0 : NAV_BAR) - (this.tabBarShown ? TAB_BAR : 0);
  }

  /** Navigation bar and tab bar for the page now on top. */
  showPage(top: PageEntry, depth: number, app: AppJson, onTab: (pagePath: string) => void): void {
    const window = top.window;
    this.navBar.hidden = window.navigationStyle === 'custom';
    this.title.textContent = window.navigationBarTitleText ?? '';
    this.setNavigationColors(
      window.navigationBarTextStyle === 'white' ? '#ffffff' : '#000000',
      window.navigationBarBackgroundColor ?? '#ffffff',
    );
    this.back.hidden = depth <= 1;
    this.phone.style.setProperty('--pv-page-background', window.backgroundColor ?? '#ffffff');
    const tabBar = app.tabBar;
    const tabIndex = tabBar?.list.findIndex((item) => item.pagePath.replace(/^\//, '') === top.route) ?? -1;
    this.tabBarShown = Boolean(tabBar && tabIndex >= 0 && !tabBar.custom);
    this.tabBar.hidden = !this.tabBarShown;
    if (this.tabBarShown && tabBar) this.renderTabBar(tabBar, tabIndex, onTab);
  }

  setTitle(title: string): void {
    this.title.textContent = title;
  }

  setNavigationColors(front: string, background: string): void {
    this.navBar.style.color = front;
    this.navBar.style.background = background;
  }

  setNavigationLoading(on: boolean): void {
    this.navBar.classList.toggle('is-loading', on);
  }

  private renderTabBar(tabBar: TabBarConfig, selected: number, onTab: (pagePath: string) => void): void {
    this.tabBar.style.background = tabBar.backgroundColor ?? '#ffffff';
    this.tabBar.replaceChildren();
    tabBar.list.forEach((item, index) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = `pv-tabbar__item${index === selected ? ' is-selected' : ''}`;
      button.style.color = index === selected ? (tabBar.selectedColor ?? '#07c160') : (tabBar.color ?? '#7a7e83');
      const icon = index === selected ? (item.selectedIconPath ?? item.iconPath) : item.iconPath;
      if (icon) {
        const img = document.createElement('img');
        img.src = this.assetUrl(`/${icon.replace(/^\//, '')}`);
        img.alt = '';
        button.appendChild(img);
      }
      const text = document.createElement('span');
      text.textContent = item.text ?? '';
      button.appendChild(text);
      button.addEventListener('click', () => onTab(item.pagePath));
      this.tabBar.appendChild(button);
    });
  }

  /** A named notice in the panel (once per name), e.g. an unsupported API or a page error. */
  notice(kind: 'unsupported' | 'error', text: string): boolean {
    const key = `${kind}:${text}`;
    if (this.seenNotices.has(key)) return false;
    this.seenNotices.add(key);
    const item = document.createElement('li');
    item.className = `pv-notice pv-notice--${kind}`;
    item.textContent = text;
    this.notices.prepend(item);
    return true;
  }

  log(kind: string, text: string): void {
    const item = document.createElement('li');
    item.className = `pv-log__item pv-log__item--${kind}`;
    item.textContent = `${new Date().toLocaleTimeString('zh-CN', { hour12: false })} ${text}`;
    this.logList.prepend(item);
    while (this.logList.children.length > 40) this.logList.lastElementChild?.remove();
  }
}
