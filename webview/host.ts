// The webview's only channel to the extension host: typed postMessage plus request/response
// correlation for the RequestMap methods, and access to VS Code's per-webview state store.
import type { HostMessage, RequestMap, RequestMethod, WebviewMessage } from '../src/shared/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** Host messages other than responses, which the client consumes itself. */
export type PushMessage = Exclude<HostMessage, { type: 'response' }>;

const PUSH_TYPES = new Set(['fileLoaded', 'traceData', 'loadError', 'loading', 'revealSpan']);

export class RequestError extends Error {}

/** A request the host never answers (e.g. it rejected the message) fails after this long. */
const REQUEST_TIMEOUT_MS = 60_000;

export class HostClient {
  private readonly api: VsCodeApi = acquireVsCodeApi();
  private nextRequestId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  constructor(onPush: (message: PushMessage) => void) {
    window.addEventListener('message', (event: MessageEvent) => {
      const m = event.data as HostMessage | null;
      if (typeof m !== 'object' || m === null || typeof m.type !== 'string') return;
      if (m.type === 'response') {
        const p = this.pending.get(m.requestId);
        if (!p) return;
        this.pending.delete(m.requestId);
        if (m.ok) p.resolve(m.result);
        else p.reject(new RequestError(m.error));
      } else if (PUSH_TYPES.has(m.type)) {
        onPush(m);
      }
    });
  }

  post(message: WebviewMessage): void {
    this.api.postMessage(message);
  }

  request<M extends RequestMethod>(method: M, params: RequestMap[M]['params']): Promise<RequestMap[M]['result']> {
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.pending.delete(requestId)) reject(new RequestError('no answer from the extension host'));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(requestId, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as RequestMap[M]['result']);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.post({ type: 'request', requestId, method, params });
    });
  }

  getState(): unknown {
    return this.api.getState();
  }

  setState(state: unknown): void {
    this.api.setState(state);
  }
}
