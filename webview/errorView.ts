// The view shown when the host could not read the file (#sl-error).
import type { ErrorViewDto } from '../src/shared/protocol';
import { append, el } from './dom';
import { button } from './toolkit';

export function renderErrorView(error: ErrorViewDto, onOpenAsText: () => void, onReload: () => void): HTMLElement {
  const root = el('div', 'sl-errorview');
  root.id = 'sl-error';
  root.setAttribute('role', 'alert');
  const title = el('h2', 'sl-error-title', error.retryable ? `${error.fileName} is not loaded` : `Spanlens could not open ${error.fileName}`);
  const message = el('p', 'sl-error-message', error.message);
  append(root, title, message);
  const facts = el('dl', 'sl-kv');
  const fact = (k: string, v: string) => append(facts, el('dt', undefined, k), el('dd', 'sl-value', v));
  if (error.locationText) fact('Where', error.locationText);
  if (error.location.path) fact('Path', error.location.path);
  if (error.detectedFormat) fact('Format', error.detectedFormat);
  else if (error.formatsTried.length) fact('Formats tried', error.formatsTried.join(', '));
  root.appendChild(facts);
  const actions = el('div', 'sl-error-actions');
  if (error.retryable) actions.appendChild(button('Load again', onReload, { appearance: 'primary', id: 'sl-load-again' }));
  actions.appendChild(button('Open as text', onOpenAsText, { appearance: error.retryable ? 'secondary' : 'primary', id: 'sl-open-as-text' }));
  root.appendChild(actions);
  return root;
}
