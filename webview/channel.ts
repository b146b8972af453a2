// A webview's only channel to the extension host: typed postMessage plus request/response
// correlation, and VS Code's per-webview state store. One implementation for every webview; each
// protocol (src/shared/protocol.ts, src/shared/diffProtocol.ts) supplies its message types.

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export class RequestError extends Error {}

/** A request the host never answers (e.g. it rejected the message) fails after this long. */
const REQUEST_TIMEOUT_MS = 60_000;

type Response = { readonly type: 'response'; readonly requestId: number } & ({ readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: string });

/**
 * `Requests` maps each method to its params and result; `Out` is what the webview may post (it
 * must include the `request` message); `In` is what the host sends, `response` included.
 */
export class HostChannel<Requests extends { [M in keyof Requests]: { params: unknown; result: unknown } }, Out, In extends { readonly type: string }> {
  private readonly api: VsCodeApi = acquireVsCodeApi();
  private nextRequestId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  constructor(pushTypes: readonly string[], onPush: (message: Exclude<In, { type: 'response' }>) => void) {
    const push = new Set(pushTypes);
    window.addEventListener('message', (event: MessageEvent) => {
      const m = event.data as In | Response | null;
      if (typeof m !== 'object' || m === null || typeof m.type !== 'string') return;
      if (m.type === 'response') {
        const r = m as Response;
        const p = this.pending.get(r.requestId);
        if (!p) return;
        this.pending.delete(r.requestId);
        if (r.ok) p.resolve(r.result);
        else p.reject(new RequestError(r.error));
      } else if (push.has(m.type)) {
        onPush(m as Exclude<In, { type: 'response' }>);
      }
    });
  }

  post(message: Out): void {
    this.api.postMessage(message);
  }

  request<M extends keyof Requests & string>(method: M, params: Requests[M]['params']): Promise<Requests[M]['result']> {
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.pending.delete(requestId)) reject(new RequestError('no answer from the extension host'));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(requestId, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as Requests[M]['result']);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.api.postMessage({ type: 'request', requestId, method, params });
    });
  }

  getState(): unknown {
    return this.api.getState();
  }

  setState(state: unknown): void {
    this.api.setState(state);
  }
}
