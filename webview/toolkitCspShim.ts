// FAST (under @vscode/webview-ui-toolkit) probes for `:focus-visible` support while its modules load,
// by appending an empty <style> element to <head>. The webview CSP (style-src without 'unsafe-inline')
// blocks that element, which logs a CSP violation, and the probe then answers "unsupported", so the
// toolkit draws focus rings on mouse clicks too. This module is imported just before the toolkit:
// while the toolkit loads, a new <style> element reports a constructable stylesheet (allowed by the
// CSP) and is never attached. `endToolkitCspShim()` puts the document back right after.
const doc = document;
const head = doc.head;
const created = new WeakSet<Node>();

const realCreateElement = doc.createElement;
doc.createElement = function (this: Document, tagName: string, options?: ElementCreationOptions): HTMLElement {
  const e = realCreateElement.call(this, tagName, options);
  if (e instanceof HTMLStyleElement) {
    Object.defineProperty(e, 'sheet', { value: new CSSStyleSheet(), configurable: true });
    created.add(e);
  }
  return e;
} as typeof doc.createElement;

const realAppendChild = head.appendChild;
const realRemoveChild = head.removeChild;
head.appendChild = function <T extends Node>(this: HTMLHeadElement, node: T): T {
  return created.has(node) ? node : realAppendChild.call(this, node) as T;
};
head.removeChild = function <T extends Node>(this: HTMLHeadElement, node: T): T {
  return created.has(node) ? node : realRemoveChild.call(this, node) as T;
};

export function endToolkitCspShim(): void {
  // The overrides are own properties; deleting them re-exposes the prototype methods.
  delete (doc as unknown as Record<string, unknown>).createElement;
  delete (head as unknown as Record<string, unknown>).appendChild;
  delete (head as unknown as Record<string, unknown>).removeChild;
}
