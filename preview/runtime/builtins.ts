/**
 * The mini program's built-in components for the browser. miniprogram-simulate registers each as an
 * empty `<slot/>` (enough for jsdom tests); here each gets its real properties, its own DOM inside
 * the host element (`this.$$`), and the events pages bind to (`input`, `change`, `submit`, …).
 * Anything not implemented renders as a visible, named placeholder and is reported once.
 */
import jComponent from 'j-component/src/index';
import { drawMap, mapHitTest, type MapMarker, type MapView } from './map-canvas';

export interface BuiltinContext {
  /** URL for an image path as a page wrote it (relative to the page, absolute from the root, or http/data). */
  assetUrl(src: string): string;
  unsupported(what: string, detail?: string): void;
  navigate(openType: string, url: string, delta: number): void;
  pick(options: PickOptions): Promise<number | null>;
  pickValue(kind: 'date' | 'time', value: string): Promise<string | null>;
  /** The position getLocation answers (for `<map show-location>`). */
  position(): { latitude: number; longitude: number };
}

export interface PickOptions {
  title?: string;
  items: string[];
  selected?: number;
}

/** `this` inside a built-in: the exparser element (its own method caller). */
interface Host {
  $$: HTMLElement;
  data: Record<string, unknown>;
  setData(patch: Record<string, unknown>): void;
  triggerEvent(name: string, detail?: unknown, options?: Record<string, unknown>): void;
  __parts?: Record<string, HTMLElement>;
  __state?: Record<string, unknown>;
}

type PropType =
  StringConstructor | NumberConstructor | BooleanConstructor | ArrayConstructor | ObjectConstructor | null;
type Props = Record<string, { type: PropType; value?: unknown }>;

interface BuiltinSpec {
  props?: Props;
  /** Builds the DOM once, when attached. */
  mount?(this: Host, context: BuiltinContext): void;
  /** Brings the DOM in line with the properties (after mount and on every change). */
  sync?(this: Host, context: BuiltinContext): void;
  methods?: Record<string, (this: Host, ...args: never[]) => unknown>;
}

const element = <K extends keyof HTMLElementTagNameMap>(tag: K, className: string, parent: HTMLElement) => {
  const node = document.createElement(tag);
  node.className = className;
  parent.appendChild(node);
  return node;
};

const str = (value: unknown, fallback = ''): string =>
  value === undefined || value === null ? fallback : String(value);

/** The exparser element behind a DOM node, and its data. */
export function wxElementOf(node: Element | null): Host | undefined {
  return (node as unknown as { __wxElement?: Host } | null)?.__wxElement;
}

function field(kind: 'input' | 'textarea'): BuiltinSpec {
  return {
    props: {
      value: { type: String, value: '' },
      type: { type: String, value: 'text' },
      password: { type: Boolean, value: false },
      placeholder: { type: String, value: '' },
      placeholderStyle: { type: String, value: '' },
      disabled: { type: Boolean, value: false },
      maxlength: { type: Number, value: 140 },
      focus: { type: Boolean, value: false },
      autoFocus: { type: Boolean, value: false },
      autoHeight: { type: Boolean, value: false },
      confirmType: { type: String, value: 'done' },
      name: { type: String, value: '' },
    },
    mount() {
      const control = element(kind, `wx-${kind}__control`, this.$$);
      this.__parts = { control };
      const detail = () => ({
        value: control.value,
        cursor: control.selectionStart ?? control.value.length,
        keyCode: 0,
      });
      control.addEventListener('input', () => this.triggerEvent('input', detail()));
      control.addEventListener('focus', () => this.triggerEvent('focus', { value: control.value, height: 0 }));
      control.addEventListener('blur', () =>
        this.triggerEvent('blur', { value: control.value, cursor: detail().cursor }),
      );
      control.addEventListener('keydown', (event) => {
        if ((event as KeyboardEvent).key === 'Enter' && kind === 'input')
          this.triggerEvent('confirm', { value: control.value });
      });
    },
    sync() {
      const control = this.__parts!.control as HTMLInputElement;
      const value = str(this.data.value);
      if (control.value !== value) control.value = value;
      const type = str(this.data.type);
      if (kind === 'input') {
        control.type = this.data.password || type === 'safe-password' ? 'password' : 'text';
        control.inputMode = type === 'number' ? 'numeric' : type === 'digit' ? 'decimal' : 'text';
        control.enterKeyHint = str(this.data.confirmType);
      }
      control.placeholder = str(this.data.placeholder);
      control.disabled = Boolean(this.data.disabled);
      const max = Number(this.data.maxlength);
      if (max >= 0) control.maxLength = max;
      else control.removeAttribute('maxlength');
      if ((this.data.focus || this.data.autoFocus) && document.activeElement !== control) control.focus();
    },
  };
}

function choice(kind: 'checkbox' | 'radio'): BuiltinSpec {
  return {
    props: {
      value: { type: String, value: '' },
      checked: { type: Boolean, value: false },
      disabled: { type: Boolean, value: false },
      color: { type: String, value: '#09BB07' },
    },
    mount() {
      const box = element('span', `wx-${kind}-input`, this.$$);
      this.$$.prepend(box);
      this.__parts = { box };
      this.$$.addEventListener('click', () => {
        if (this.data.disabled) return;
        const group = this.$$.closest(`wx-${kind}-group`);
        if (kind === 'radio') {
          group?.querySelectorAll('wx-radio').forEach((radio) => wxElementOf(radio)?.setData({ checked: false }));
          this.setData({ checked: true });
        } else this.setData({ checked: !this.data.checked });
        if (group) {
          const values = [...group.querySelectorAll(`wx-${kind}`)]
            .map((node) => wxElementOf(node)?.data)
            .filter((data) => data?.checked)
            .map((data) => str(data!.value));
          wxElementOf(group)?.triggerEvent('change', { value: kind === 'radio' ? (values[0] ?? '') : values });
        }
      });
    },
    sync() {
      const box = this.__parts!.box!;
      box.classList.toggle('is-checked', Boolean(this.data.checked));
      box.style.color = str(this.data.color);
      this.$$.classList.toggle('is-disabled', Boolean(this.data.disabled));
    },
  };
}

/** mode=selector/date/time pickers open an in-frame chooser; the slot is what the user taps. */
const picker: BuiltinSpec = {
  props: {
    mode: { type: String, value: 'selector' },
    range: { type: Array, value: [] },
    rangeKey: { type: String, value: '' },
    value: { type: null, value: 0 },
    disabled: { type: Boolean, value: false },
    name: { type: String, value: '' },
  },
  mount(context) {
    this.$$.addEventListener('click', async () => {
      if (this.data.disabled) return;
      const mode = str(this.data.mode);
      if (mode === 'date' || mode === 'time') {
        const value = await context.pickValue(mode, str(this.data.value));
        if (value === null) this.triggerEvent('cancel', {});
        else this.triggerEvent('change', { value });
        return;
      }
      if (mode !== 'selector') {
        context.unsupported(`<picker mode="${mode}">`, '预览只支持 selector / date / time');
        return;
      }
      const range = (this.data.range as unknown[]) ?? [];
      const key = str(this.data.rangeKey);
      const items = range.map((item) =>
        key && item && typeof item === 'object' ? str((item as Record<string, unknown>)[key]) : str(item),
      );
      const index = await context.pick({ items, selected: Number(this.data.value) || 0 });
      if (index === null) this.triggerEvent('cancel', {});
      else this.triggerEvent('change', { value: index });
    });
  },
};

const button: BuiltinSpec = {
  props: {
    type: { type: String, value: 'default' },
    size: { type: String, value: 'default' },
    plain: { type: Boolean, value: false },
    disabled: { type: Boolean, value: false },
    loading: { type: Boolean, value: false },
    formType: { type: String, value: '' },
    openType: { type: String, value: '' },
  },
  mount(context) {
    this.$$.setAttribute('role', 'button');
    this.$$.addEventListener('click', () => {
      if (this.data.disabled || this.data.loading) return;
      const openType = str(this.data.openType);
      if (openType) context.unsupported(`<button open-type="${openType}">`);
      const formType = str(this.data.formType);
      const form = formType ? wxElementOf(this.$$.closest('wx-form')) : undefined;
      if (form && (formType === 'submit' || formType === 'reset')) (form as unknown as FormHost).__formAction(formType);
    });
  },
  sync() {
    const { type, size, plain, disabled, loading } = this.data;
    this.$$.className = this.$$.className.replace(/\bwx-button--\S+/g, '').trim();
    this.$$.classList.add(`wx-button--${str(type)}`);
    if (size === 'mini') this.$$.classList.add('wx-button--mini');
    if (plain) this.$$.classList.add('wx-button--plain');
    if (disabled) this.$$.classList.add('wx-button--disabled');
    if (loading) this.$$.classList.add('wx-button--loading');
  },
};

interface FormHost extends Host {
  __formAction(kind: 'submit' | 'reset'): void;
}

const form: BuiltinSpec = {
  methods: {
    __formAction(this: Host, kind: 'submit' | 'reset') {
      const value: Record<string, unknown> = {};
      const named = this.$$.querySelectorAll(
        'wx-input, wx-textarea, wx-switch, wx-slider, wx-picker, wx-checkbox-group, wx-radio-group',
      );
      for (const node of named) {
        const data = wxElementOf(node)?.data;
        if (!data || !data.name) continue;
        if (node.tagName === 'WX-CHECKBOX-GROUP' || node.tagName === 'WX-RADIO-GROUP') {
          const tag = node.tagName === 'WX-CHECKBOX-GROUP' ? 'wx-checkbox' : 'wx-radio';
          const checked = [...node.querySelectorAll(tag)].map((n) => wxElementOf(n)?.data).filter((d) => d?.checked);
          value[str(data.name)] = tag === 'wx-radio' ? str(checked[0]?.value) : checked.map((d) => str(d!.value));
        } else if (node.tagName === 'WX-SWITCH') value[str(data.name)] = Boolean(data.checked);
        else {
          const control = node.querySelector('input, textarea') as HTMLInputElement | null;
          value[str(data.name)] = control ? control.value : data.value;
        }
      }
      this.triggerEvent(kind, kind === 'submit' ? { value } : {});
    },
  },
};

const switchSpec: BuiltinSpec = {
  props: {
    checked: { type: Boolean, value: false },
    disabled: { type: Boolean, value: false },
    color: { type: String, value: '#04BE02' },
    name: { type: String, value: '' },
  },
  mount() {
    this.__parts = { track: element('span', 'wx-switch-input', this.$$) };
    this.$$.addEventListener('click', () => {
      if (this.data.disabled) return;
      this.setData({ checked: !this.data.checked });
      this.triggerEvent('change', { value: this.data.checked });
    });
  },
  sync() {
    const track = this.__parts!.track!;
    track.classList.toggle('is-checked', Boolean(this.data.checked));
    track.style.setProperty('--switch-color', str(this.data.color));
  },
};

const slider: BuiltinSpec = {
  props: {
    min: { type: Number, value: 0 },
    max: { type: Number, value: 100 },
    step: { type: Number, value: 1 },
    value: { type: Number, value: 0 },
    disabled: { type: Boolean, value: false },
    showValue: { type: Boolean, value: false },
    name: { type: String, value: '' },
  },
  mount() {
    const control = element('input', 'wx-slider__control', this.$$);
    control.type = 'range';
    const label = element('span', 'wx-slider__value', this.$$);
    this.__parts = { control, label };
    control.addEventListener('input', () => this.triggerEvent('changing', { value: Number(control.value) }));
    control.addEventListener('change', () => {
      this.setData({ value: Number(control.value) });
      this.triggerEvent('change', { value: Number(control.value) });
    });
  },
  sync() {
    const control = this.__parts!.control as HTMLInputElement;
    control.min = str(this.data.min);
    control.max = str(this.data.max);
    control.step = str(this.data.step);
    control.value = str(this.data.value);
    control.disabled = Boolean(this.data.disabled);
    this.__parts!.label!.textContent = this.data.showValue ? str(this.data.value) : '';
  },
};

const image: BuiltinSpec = {
  props: {
    src: { type: String, value: '' },
    mode: { type: String, value: 'scaleToFill' },
    lazyLoad: { type: Boolean, value: false },
  },
  mount() {
    const img = element('img', 'wx-image__img', this.$$);
    img.alt = '';
    img.addEventListener('load', () => {
      img.style.visibility = '';
      this.triggerEvent('load', { width: img.naturalWidth, height: img.naturalHeight });
    });
    // WeChat draws nothing for an image that fails (a CDN picture offline, like van-empty's), never
    // the browser's broken-image frame
    img.addEventListener('error', () => {
      img.style.visibility = 'hidden';
      this.triggerEvent('error', { errMsg: `GET ${img.src} 404 (Not Found)` });
    });
    this.__parts = { img };
  },
  sync(context) {
    const img = this.__parts!.img as HTMLImageElement;
    const src = str(this.data.src);
    const url = src ? context.assetUrl(src) : '';
    if (img.getAttribute('src') !== url) {
      if (url) img.src = url;
      else img.removeAttribute('src');
    }
    const fit: Record<string, string> = { scaleToFill: 'fill', aspectFit: 'contain', aspectFill: 'cover' };
    img.style.objectFit = fit[str(this.data.mode)] ?? 'none';
    this.$$.dataset.mode = str(this.data.mode);
  },
};

const ICON_GLYPHS: Record<string, string> = {
  success: '✔',
  success_no_circle: '✓',
  info: 'i',
  warn: '!',
  waiting: '◷',
  cancel: '✕',
  download: '↓',
  search: '⌕',
  clear: '✕',
};

const icon: BuiltinSpec = {
  props: { type: { type: String, value: '' }, size: { type: null, value: 23 }, color: { type: String, value: '' } },
  sync() {
    const size = typeof this.data.size === 'number' ? `${this.data.size}px` : str(this.data.size, '23px');
    this.$$.textContent = ICON_GLYPHS[str(this.data.type)] ?? '?';
    this.$$.style.setProperty('--icon-size', size);
    if (this.data.color) this.$$.style.color = str(this.data.color);
  },
};

const progress: BuiltinSpec = {
  props: {
    percent: { type: Number, value: 0 },
    showInfo: { type: Boolean, value: false },
    strokeWidth: { type: null, value: 6 },
    activeColor: { type: String, value: '#09BB07' },
    color: { type: String, value: '' },
    backgroundColor: { type: String, value: '#EBEBEB' },
  },
  mount() {
    const bar = element('span', 'wx-progress__bar', this.$$);
    this.__parts = {
      bar,
      fill: element('span', 'wx-progress__fill', bar),
      info: element('span', 'wx-progress__info', this.$$),
    };
  },
  sync() {
    const { bar, fill, info } = this.__parts! as Record<string, HTMLElement>;
    const percent = Math.max(0, Math.min(100, Number(this.data.percent) || 0));
    bar!.style.height = `${Number(this.data.strokeWidth) || 6}px`;
    bar!.style.background = str(this.data.backgroundColor);
    fill!.style.width = `${percent}%`;
    fill!.style.background = str(this.data.color) || str(this.data.activeColor);
    info!.textContent = this.data.showInfo ? `${percent}%` : '';
  },
};

const scrollView: BuiltinSpec = {
  props: {
    scrollX: { type: Boolean, value: false },
    scrollY: { type: Boolean, value: false },
    scrollTop: { type: null, value: 0 },
    scrollLeft: { type: null, value: 0 },
    scrollIntoView: { type: String, value: '' },
    lowerThreshold: { type: Number, value: 50 },
    upperThreshold: { type: Number, value: 50 },
    refresherEnabled: { type: Boolean, value: false },
  },
  mount(context) {
    this.__state = { lower: false, upper: true };
    this.$$.addEventListener('scroll', () => {
      // (bindscroll itself is fired by j-component for every DOM scroll)
      const node = this.$$;
      const state = this.__state!;
      const threshold = Number(this.data.lowerThreshold);
      const atLower = this.data.scrollX
        ? node.scrollLeft + node.clientWidth >= node.scrollWidth - threshold
        : node.scrollTop + node.clientHeight >= node.scrollHeight - threshold;
      if (atLower && !state.lower)
        this.triggerEvent('scrolltolower', { direction: this.data.scrollX ? 'right' : 'bottom' });
      state.lower = atLower;
      const atUpper = (this.data.scrollX ? node.scrollLeft : node.scrollTop) <= Number(this.data.upperThreshold);
      if (atUpper && !state.upper)
        this.triggerEvent('scrolltoupper', { direction: this.data.scrollX ? 'left' : 'top' });
      state.upper = atUpper;
    });
    if (this.data.refresherEnabled) context.unsupported('<scroll-view refresher-enabled>', '下拉刷新请用预览工具栏');
  },
  sync() {
    this.$$.style.overflowX = this.data.scrollX ? 'auto' : 'hidden';
    this.$$.style.overflowY = this.data.scrollY ? 'auto' : 'hidden';
    const top = Number(this.data.scrollTop);
    if (!Number.isNaN(top) && this.data.scrollTop !== '') this.$$.scrollTop = top;
    const left = Number(this.data.scrollLeft);
    if (!Number.isNaN(left) && this.data.scrollLeft !== '') this.$$.scrollLeft = left;
    const target = str(this.data.scrollIntoView);
    if (target) this.$$.querySelector(`#${CSS.escape(target)}`)?.scrollIntoView({ block: 'start' });
  },
};

const swiper: BuiltinSpec = {
  props: {
    current: { type: Number, value: 0 },
    autoplay: { type: Boolean, value: false },
    interval: { type: Number, value: 5000 },
    circular: { type: Boolean, value: false },
    indicatorDots: { type: Boolean, value: false },
    vertical: { type: Boolean, value: false },
  },
  mount() {
    this.__state = { current: Number(this.data.current) || 0, timer: 0 };
    const dots = element('span', 'wx-swiper__dots', this.$$);
    this.__parts = { dots };
    dots.addEventListener('click', (event) => {
      const index = Number((event.target as HTMLElement).dataset.index);
      if (!Number.isNaN(index)) show(this, index, 'touch');
    });
  },
  sync() {
    const state = this.__state!;
    if (Number(this.data.current) !== state.current) show(this, Number(this.data.current) || 0, '');
    else show(this, state.current as number, null);
    window.clearInterval(state.timer as number);
    if (this.data.autoplay) {
      state.timer = window.setInterval(
        () => {
          if (!this.$$.isConnected) return window.clearInterval(state.timer as number);
          show(this, (state.current as number) + 1, 'autoplay');
        },
        Math.max(500, Number(this.data.interval) || 5000),
      );
    }
  },
};

function show(host: Host, wanted: number, source: string | null): void {
  const items = [...host.$$.children].filter((child) => child.tagName === 'WX-SWIPER-ITEM') as HTMLElement[];
  if (items.length === 0) return;
  const index = ((wanted % items.length) + items.length) % items.length;
  const changed = index !== host.__state!.current;
  host.__state!.current = index;
  items.forEach((item, i) => (item.style.display = i === index ? '' : 'none'));
  const dots = host.__parts!.dots!;
  dots.style.display = host.data.indicatorDots ? '' : 'none';
  dots.innerHTML = items.map((_, i) => `<i data-index="${i}" class="${i === index ? 'is-active' : ''}"></i>`).join('');
  host.$$.appendChild(dots);
  if (changed && source !== null) host.triggerEvent('change', { current: index, source });
}

const navigator: BuiltinSpec = {
  props: {
    url: { type: String, value: '' },
    openType: { type: String, value: 'navigate' },
    delta: { type: Number, value: 1 },
  },
  mount(context) {
    this.$$.addEventListener('click', () =>
      context.navigate(str(this.data.openType), str(this.data.url), Number(this.data.delta) || 1),
    );
  },
};

interface RichNode {
  name?: string;
  type?: string;
  text?: string;
  attrs?: Record<string, string>;
  children?: RichNode[];
}

const SAFE_TAGS =
  /^(a|abbr|b|big|br|code|del|div|em|h[1-6]|hr|i|img|ins|li|ol|p|pre|q|s|small|span|strong|sub|sup|table|tbody|td|th|thead|tr|u|ul)$/i;

function richNodes(nodes: RichNode[], parent: Node): void {
  for (const node of nodes) {
    if (node.type === 'text') parent.appendChild(document.createTextNode(node.text ?? ''));
    else if (node.name && SAFE_TAGS.test(node.name)) {
      const child = document.createElement(node.name);
      for (const [name, value] of Object.entries(node.attrs ?? {}))
        if (!/^on/i.test(name)) child.setAttribute(name, value);
      richNodes(node.children ?? [], child);
      parent.appendChild(child);
    }
  }
}

const richText: BuiltinSpec = {
  props: { nodes: { type: null, value: [] } },
  sync() {
    const nodes = this.data.nodes;
    this.$$.replaceChildren();
    if (typeof nodes === 'string') {
      // The page's own markup: parsed inertly, then rebuilt through the same safe-tag filter.
      const parsed = new DOMParser().parseFromString(nodes, 'text/html').body;
      const toRich = (node: Node): RichNode =>
        node.nodeType === Node.TEXT_NODE
          ? { type: 'text', text: node.textContent ?? '' }
          : {
              name: (node as Element).tagName,
              attrs: Object.fromEntries([...(node as Element).attributes].map((a) => [a.name, a.value])),
              children: [...node.childNodes].map(toRich),
            };
      richNodes([...parsed.childNodes].map(toRich), this.$$);
    } else if (Array.isArray(nodes)) richNodes(nodes as RichNode[], this.$$);
  },
};

const map: BuiltinSpec = {
  props: {
    latitude: { type: Number, value: 39.909 },
    longitude: { type: Number, value: 116.397 },
    scale: { type: Number, value: 16 },
    markers: { type: Array, value: [] },
    includePoints: { type: Array, value: [] },
    showLocation: { type: Boolean, value: false },
  },
  mount(context) {
    const canvas = element('canvas', 'wx-map__canvas', this.$$);
    this.__parts = { canvas };
    this.__state = { opened: new Set<number | string>() };
    const observer = new ResizeObserver(() => map.sync!.call(this, context));
    observer.observe(this.$$);
    canvas.addEventListener('click', (event) => {
      const view = this.__state!.view as MapView | undefined;
      if (!view) return;
      const rect = canvas.getBoundingClientRect();
      const hit = mapHitTest(view, event.clientX - rect.left, event.clientY - rect.top);
      const opened = this.__state!.opened as Set<number | string>;
      if (hit?.kind === 'callout') this.triggerEvent('callouttap', { markerId: hit.marker.id });
      else if (hit?.kind === 'marker') {
        opened.add(hit.marker.id ?? '');
        this.triggerEvent('markertap', { markerId: hit.marker.id });
      } else {
        this.triggerEvent('tap', { latitude: 0, longitude: 0 });
      }
      map.sync!.call(this, context);
    });
  },
  sync(context) {
    const canvas = this.__parts!.canvas as HTMLCanvasElement;
    const width = this.$$.clientWidth || 300;
    const height = this.$$.clientHeight || 150;
    this.__state!.view = drawMap(canvas, {
      width,
      height,
      latitude: Number(this.data.latitude),
      longitude: Number(this.data.longitude),
      scale: Number(this.data.scale),
      markers: (this.data.markers as MapMarker[]) ?? [],
      includePoints: (this.data.includePoints as { latitude: number; longitude: number }[]) ?? [],
      opened: this.__state!.opened as Set<number | string>,
      location: this.data.showLocation ? context.position() : undefined,
    });
  },
};

const canvas: BuiltinSpec = {
  props: { type: { type: String, value: '' }, canvasId: { type: String, value: '' } },
  mount(context) {
    element('canvas', 'wx-canvas__element', this.$$);
    this.$$.dataset.previewUnsupported = 'canvas';
    context.unsupported('<canvas>', '画布在预览中不执行绘制指令');
  },
};

/** Containers that render their children as they are (styling or behaviour approximated). */
const TRANSPARENT = [
  'view',
  'text',
  'label',
  'block',
  'cover-view',
  'swiper-item',
  'checkbox-group',
  'radio-group',
  'movable-area',
  'movable-view',
  'root-portal',
  'sticky-header',
  'sticky-section',
  'grid-view',
  'list-view',
  'match-media',
  'page-meta',
  'navigation-bar',
  'keyboard-accessory',
];

/** Rendered as a named placeholder: no browser equivalent in the preview yet. */
export const UNSUPPORTED_COMPONENTS = [
  'audio',
  'camera',
  'channel-live',
  'channel-video',
  'editor',
  'functional-page-navigator',
  'live-player',
  'live-pusher',
  'official-account',
  'open-data',
  'page-container',
  'picker-view',
  'picker-view-column',
  'share-element',
  'video',
  'voip-room',
  'web-view',
  'ad',
  'ad-custom',
];

const SPECS: Record<string, BuiltinSpec> = {
  input: field('input'),
  textarea: field('textarea'),
  button,
  form,
  switch: switchSpec,
  checkbox: choice('checkbox'),
  radio: choice('radio'),
  slider,
  picker,
  image,
  'cover-image': image,
  icon,
  progress,
  'scroll-view': scrollView,
  swiper,
  navigator,
  'rich-text': richText,
  map,
  canvas,
};

export function registerBuiltins(context: BuiltinContext): void {
  const common: Props = { hidden: { type: Boolean, value: false } };
  const register = (name: string, spec: BuiltinSpec, unsupported: boolean) => {
    const props = { ...common, ...(spec.props ?? {}) };
    const properties: Record<string, unknown> = {};
    for (const [key, prop] of Object.entries(props)) {
      properties[key] = {
        ...prop,
        observer(this: Host) {
          if (this.__parts || !spec.mount) sync(this);
        },
      };
    }
    const sync = (host: Host) => {
      host.$$.hidden = Boolean(host.data.hidden);
      spec.sync?.call(host, context);
    };
    jComponent.register({
      id: name,
      tagName: `wx-${name}`,
      template: '<slot/>',
      properties,
      methods: spec.methods ?? {},
      attached(this: Host) {
        if (unsupported) {
          this.$$.dataset.previewUnsupported = name;
          context.unsupported(`<${name}>`);
        }
        spec.mount?.call(this, context);
        this.__parts = this.__parts ?? {};
        sync(this);
      },
    });
  };
  for (const name of TRANSPARENT) register(name, {}, false);
  for (const [name, spec] of Object.entries(SPECS)) register(name, spec, false);
  for (const name of UNSUPPORTED_COMPONENTS) register(name, {}, true);
}

/** Every built-in tag the preview knows (for spotting unknown tags in rendered pages). */
export const KNOWN_BUILTINS = new Set([...TRANSPARENT, ...Object.keys(SPECS), ...UNSUPPORTED_COMPONENTS]);
