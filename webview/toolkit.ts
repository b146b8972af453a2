// The one module that touches @vscode/webview-ui-toolkit (1.4.0, deprecated upstream): it registers
// the components we use and hands out small typed factories, so replacing the toolkit later means
// rewriting only this file. Components render in shadow DOM with constructable stylesheets, which
// the webview CSP (style-src without 'unsafe-inline') allows.
import { endToolkitCspShim } from './toolkitCspShim';
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeProgressRing,
} from '@vscode/webview-ui-toolkit';

endToolkitCspShim();

let registered = false;

export function registerToolkit(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeCheckbox(), vsCodeDropdown(), vsCodeOption(), vsCodeProgressRing());
}

export type ButtonAppearance = 'primary' | 'secondary' | 'icon';

export interface ButtonElement extends HTMLElement {
  disabled: boolean;
}

export function button(
  label: string,
  onClick: (event: MouseEvent) => void,
  opts: { appearance?: ButtonAppearance; title?: string; id?: string; className?: string } = {},
): ButtonElement {
  const b = document.createElement('vscode-button') as ButtonElement;
  b.setAttribute('appearance', opts.appearance ?? 'secondary');
  if (opts.title) {
    b.title = opts.title;
    b.setAttribute('aria-label', opts.title);
  }
  if (opts.id) b.id = opts.id;
  if (opts.className) b.className = opts.className;
  b.textContent = label;
  b.addEventListener('click', (e) => {
    if (!b.disabled) onClick(e);
  });
  return b;
}

export interface CheckboxElement extends HTMLElement {
  checked: boolean;
}

export function checkbox(label: string, onChange: (checked: boolean) => void, id?: string): CheckboxElement {
  const c = document.createElement('vscode-checkbox') as CheckboxElement;
  if (id) c.id = id;
  c.textContent = label;
  c.addEventListener('change', () => onChange(c.checked));
  return c;
}

export interface DropdownElement extends HTMLElement {
  value: string;
}

export interface DropdownOption {
  readonly value: string;
  readonly label: string;
}

/** A dropdown whose options can be replaced; `value` is the selected option's value. */
export class Dropdown {
  readonly el: DropdownElement;
  private values: string[] = [];

  constructor(onChange: (value: string) => void, opts: { id?: string; title?: string } = {}) {
    this.el = document.createElement('vscode-dropdown') as DropdownElement;
    if (opts.id) this.el.id = opts.id;
    if (opts.title) {
      this.el.title = opts.title;
      this.el.setAttribute('aria-label', opts.title);
    }
    this.el.addEventListener('change', () => onChange(this.value));
  }

  setOptions(options: readonly DropdownOption[], selected?: string): void {
    while (this.el.firstChild) this.el.removeChild(this.el.firstChild);
    this.values = options.map((o) => o.value);
    for (const o of options) {
      const opt = document.createElement('vscode-option') as HTMLElement & { value: string };
      opt.setAttribute('value', o.value);
      opt.textContent = o.label;
      if (o.value === selected) opt.setAttribute('selected', '');
      this.el.appendChild(opt);
    }
    if (selected !== undefined) this.value = selected;
  }

  get value(): string {
    return this.el.value ?? '';
  }

  set value(v: string) {
    if (this.values.includes(v)) this.el.value = v;
  }
}

export function progressRing(): HTMLElement {
  return document.createElement('vscode-progress-ring');
}
