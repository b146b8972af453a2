// The trace catalog: every loaded trace, once. A source is a trace file (keyed by its URI) or a trace
// of the dev collector's store (which keeps the only copy and builds it on demand); every view of the
// same source shares one entry, counted by its open sessions, and the entry is dropped with the last.
// Views read it through sessions (TraceFileSession: summaries, waterfall, span detail, search).
import type { Trace, TraceFile } from '../model/model';
import { TraceFileSession } from '../view/session';

export type SourceKind = 'file' | 'collected';

interface Entry {
  readonly key: string;
  readonly kind: SourceKind;
  session: TraceFileSession;
  importMs: number;
  refs: number;
}

export type CatalogChange =
  | { readonly type: 'added'; readonly key: string; readonly kind: SourceKind; readonly traces: readonly Trace[] }
  | { readonly type: 'replaced'; readonly key: string; readonly kind: SourceKind; readonly traces: readonly Trace[] }
  | { readonly type: 'removed'; readonly key: string; readonly kind: SourceKind };

export class TraceCatalog {
  private readonly byKey = new Map<string, Entry>();
  private readonly sessions = new Map<number, Entry>();
  private readonly loading = new Map<string, Promise<Entry>>();
  private nextSession = 1;
  private readonly listeners = new Set<(c: CatalogChange) => void>();

  onChange(listener: (c: CatalogChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(c: CatalogChange): void {
    for (const l of this.listeners) l(c);
  }

  /**
   * Opens a session on a source, loading it unless another session holds it already. `load` runs
   * once per source at a time; a failed or cancelled load leaves nothing behind.
   */
  async open(key: string, kind: SourceKind, load: () => Promise<TraceFile>): Promise<{ sessionId: number; session: TraceFileSession; importMs: number }> {
    let entry = this.byKey.get(key);
    if (!entry) {
      let pending = this.loading.get(key);
      if (!pending) {
        pending = (async () => {
          const t0 = performance.now();
          const file = await load();
          const e: Entry = { key, kind, session: new TraceFileSession(file), importMs: performance.now() - t0, refs: 0 };
          this.byKey.set(key, e);
          this.emit({ type: 'added', key, kind, traces: file.traces });
          return e;
        })().finally(() => this.loading.delete(key));
        this.loading.set(key, pending);
      }
      entry = await pending;
    }
    entry.refs++;
    const sessionId = this.nextSession++;
    this.sessions.set(sessionId, entry);
    return { sessionId, session: entry.session, importMs: entry.importMs };
  }

  /** Replaces a source's content (a collected trace that grew); its sessions see the new one. */
  replace(key: string, file: TraceFile): TraceFileSession | undefined {
    const e = this.byKey.get(key);
    if (!e) return undefined;
    e.session = new TraceFileSession(file);
    this.emit({ type: 'replaced', key, kind: e.kind, traces: file.traces });
    return e.session;
  }

  close(sessionId: number): void {
    const e = this.sessions.get(sessionId);
    if (!e) return;
    this.sessions.delete(sessionId);
    if (--e.refs > 0) return;
    this.byKey.delete(e.key);
    this.emit({ type: 'removed', key: e.key, kind: e.kind });
  }

  session(sessionId: number): TraceFileSession {
    const e = this.sessions.get(sessionId);
    if (!e) throw new Error(`the trace view #${sessionId} is closed`);
    return e.session;
  }

  keyOf(sessionId: number): string | undefined {
    return this.sessions.get(sessionId)?.key;
  }

  /** The session of a source, if one is open. */
  sessionOfKey(key: string): TraceFileSession | undefined {
    return this.byKey.get(key)?.session;
  }

  /** Every loaded source, in load order. */
  sources(): { key: string; kind: SourceKind; traces: readonly Trace[] }[] {
    return [...this.byKey.values()].map((e) => ({ key: e.key, kind: e.kind, traces: e.session.file.traces }));
  }
}
