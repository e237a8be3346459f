/** Shapes shared by the preview runtime's modules (and written by scripts/build-preview.mjs). */

/** What the build writes next to the file map. */
export interface PreviewManifest {
  /** Folder of the mini program inside the file map (keys are `<root>/pages/...`). */
  root: string;
  /** Components whose WXML the official compiler compiled (paths relative to root, no extension). */
  wxml: string[];
  /** Images and other static assets copied beside the bundle (paths relative to root). */
  assets: string[];
}

export interface WindowConfig {
  navigationBarTitleText?: string;
  navigationBarBackgroundColor?: string;
  navigationBarTextStyle?: 'black' | 'white';
  navigationStyle?: 'default' | 'custom';
  backgroundColor?: string;
  enablePullDownRefresh?: boolean;
}

export interface TabBarConfig {
  color?: string;
  selectedColor?: string;
  backgroundColor?: string;
  borderStyle?: 'black' | 'white';
  custom?: boolean;
  list: { pagePath: string; text?: string; iconPath?: string; selectedIconPath?: string }[];
}

export interface AppJson {
  pages: string[];
  subpackages?: { root: string; pages: string[]; name?: string }[];
  subPackages?: { root: string; pages: string[]; name?: string }[];
  window?: WindowConfig;
  tabBar?: TabBarConfig;
  usingComponents?: Record<string, string>;
  entryPagePath?: string;
}

/** The root element j-component gives back for a rendered component. */
export interface RootComponent {
  dom: HTMLElement;
  instance: PageInstance;
  attach(parent: Element): void;
  detach(): void;
  triggerPageLifeTime(name: string, ...args: unknown[]): void;
}

/** A page's `this` as far as the preview calls into it. */
export interface PageInstance {
  data: Record<string, unknown>;
  route?: string;
  options?: Record<string, string>;
  [method: string]: unknown;
}

export type Query = Record<string, string>;

/** The part of miniprogram-simulate's API the engine calls. */
export interface SimulateApi {
  load(path: string, tagName: string, options: Record<string, unknown>): string;
  render(id: string, properties?: Record<string, unknown>): RootComponent;
}

/** `window.__preview`: what journeys and screenshots read from the running preview. */
export interface PreviewState {
  /** True once the first page is rendered. */
  ready: boolean;
  /** Requests from pages still waiting for the host. */
  inFlight: number;
  route(): string | undefined;
  stack(): { route: string; query: Query }[];
  openid(): string;
  /** Render time of every page opened, in order (ms; a route's first render registers its components). */
  renders: { route: string; ms: number }[];
  /** Unsupported components/APIs and page errors reported so far. */
  problems: string[];
  /** A page's own class selector (`.level-cell`) as rendered in the page on top (class prefixes added). */
  selector(css: string): string;
}
