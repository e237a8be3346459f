/**
 * What the WeChat client draws over a page — toast, loading, modal, action sheet, pickers and the
 * preview's own dialogs (phone call, navigation, subscribe messages, scanning) — drawn inside the
 * phone frame so they show in screenshots and can be tapped by people and journeys alike.
 */
export interface DialogButton<T> {
  text: string;
  value: T;
  primary?: boolean;
}

export class Overlays {
  private toastTimer = 0;
  private toastNode: HTMLElement | null = null;

  constructor(private readonly layer: HTMLElement) {}

  private make(className: string, parent: HTMLElement = this.layer): HTMLElement {
    const node = document.createElement('div');
    node.className = className;
    parent.appendChild(node);
    return node;
  }

  toast(options: { title: string; icon?: string; duration?: number; mask?: boolean }): void {
    this.hideToast();
    const node = this.make(`pv-toast${options.mask ? ' pv-toast--mask' : ''}`);
    node.setAttribute('role', 'status');
    const icon = options.icon ?? 'success';
    if (icon !== 'none') this.make(`pv-toast__icon pv-toast__icon--${icon}`, node);
    const text = this.make('pv-toast__text', node);
    text.textContent = options.title;
    this.toastNode = node;
    this.toastTimer = window.setTimeout(() => this.hideToast(), options.duration ?? 1500);
  }

  hideToast(): void {
    window.clearTimeout(this.toastTimer);
    this.toastNode?.remove();
    this.toastNode = null;
  }

  loading(title: string, mask = false): void {
    this.hideToast();
    const node = this.make(`pv-toast pv-toast--loading${mask ? ' pv-toast--mask' : ''}`);
    node.setAttribute('role', 'status');
    this.make('pv-spinner', node);
    this.make('pv-toast__text', node).textContent = title;
    this.toastNode = node;
  }

  /** A centred dialog; resolves with the value of the button pressed. */
  dialog<T>(options: {
    title?: string;
    body?: string | Node;
    buttons: DialogButton<T>[];
    className?: string;
  }): Promise<T> {
    return new Promise((resolve) => {
      const mask = this.make('pv-mask');
      const box = this.make(`pv-dialog ${options.className ?? ''}`, mask);
      box.setAttribute('role', 'dialog');
      if (options.title) this.make('pv-dialog__title', box).textContent = options.title;
      if (options.body !== undefined) {
        const body = this.make('pv-dialog__body', box);
        if (typeof options.body === 'string') body.textContent = options.body;
        else body.appendChild(options.body);
      }
      const footer = this.make('pv-dialog__footer', box);
      for (const button of options.buttons) {
        const node = document.createElement('button');
        node.type = 'button';
        node.className = `pv-dialog__button${button.primary ? ' pv-dialog__button--primary' : ''}`;
        node.textContent = button.text;
        node.addEventListener('click', () => {
          mask.remove();
          resolve(button.value);
        });
        footer.appendChild(node);
      }
    });
  }

  /** A bottom sheet of choices; resolves with the index or null when cancelled. */
  sheet(options: { title?: string; items: string[]; selected?: number; itemColor?: string }): Promise<number | null> {
    return new Promise((resolve) => {
      const mask = this.make('pv-mask pv-mask--bottom');
      const sheet = this.make('pv-sheet', mask);
      sheet.setAttribute('role', 'menu');
      if (options.title) this.make('pv-sheet__title', sheet).textContent = options.title;
      const close = (value: number | null) => {
        mask.remove();
        resolve(value);
      };
      options.items.forEach((item, index) => {
        const node = document.createElement('button');
        node.type = 'button';
        node.className = `pv-sheet__item${index === options.selected ? ' is-selected' : ''}`;
        node.setAttribute('role', 'menuitem');
        node.textContent = item;
        if (options.itemColor) node.style.color = options.itemColor;
        node.addEventListener('click', () => close(index));
        sheet.appendChild(node);
      });
      const cancel = document.createElement('button');
      cancel.type = 'button';
      cancel.className = 'pv-sheet__cancel';
      cancel.textContent = '取消';
      cancel.addEventListener('click', () => close(null));
      sheet.appendChild(cancel);
      mask.addEventListener('click', (event) => {
        if (event.target === mask) close(null);
      });
    });
  }

  /** A date or time chooser (the browser's own input inside a dialog). */
  async pickValue(kind: 'date' | 'time', value: string): Promise<string | null> {
    const input = document.createElement('input');
    input.type = kind;
    input.className = 'pv-input';
    input.value = value;
    const ok = await this.dialog({
      title: kind === 'date' ? '选择日期' : '选择时间',
      body: input,
      buttons: [
        { text: '取消', value: false },
        { text: '确定', value: true, primary: true },
      ],
    });
    return ok && input.value ? input.value : null;
  }

  /** A notice strip at the top of the frame for things the preview cannot do. */
  banner(text: string): void {
    const node = this.make('pv-banner');
    node.setAttribute('role', 'alert');
    node.textContent = text;
    window.setTimeout(() => node.remove(), 4000);
  }
}
