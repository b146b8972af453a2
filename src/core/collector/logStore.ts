// The collector's log records, bounded by `maxLogs` on their own (so a chatty logger cannot evict
// spans, nor spans logs). Oldest records are evicted first, one by one: unlike spans, a log record
// is useful without its siblings. Records are kept as model objects (a record is small next to a
// span, and the default bound is half the span store's), indexed by trace id for the span detail.
import type { LogRecord } from '../model/logs';

export class LogStore {
  /** Records in arrival order; [head, length) are live (the front is compacted now and then). */
  private queue: LogRecord[] = [];
  private head = 0;
  private readonly byTrace = new Map<string, { items: LogRecord[]; head: number }>();
  evicted = 0;

  constructor(readonly maxLogs: number) {}

  get size(): number {
    return this.queue.length - this.head;
  }

  /** Adds records in order; returns the trace ids that received records. */
  add(records: readonly LogRecord[]): Set<string> {
    const traces = new Set<string>();
    for (const r of records) {
      this.queue.push(r);
      if (r.traceId !== undefined) {
        let list = this.byTrace.get(r.traceId);
        if (!list) this.byTrace.set(r.traceId, (list = { items: [], head: 0 }));
        list.items.push(r);
        traces.add(r.traceId);
      }
    }
    this.evictOverflow();
    return traces;
  }

  private evictOverflow(): void {
    while (this.size > this.maxLogs) {
      const r = this.queue[this.head++];
      this.evicted++;
      if (r.traceId === undefined) continue;
      // Arrival order is global, so a trace's oldest record is the first of its list.
      const list = this.byTrace.get(r.traceId)!;
      if (++list.head === list.items.length) this.byTrace.delete(r.traceId);
      else if (list.head > 256 && list.head * 2 > list.items.length) {
        list.items = list.items.slice(list.head);
        list.head = 0;
      }
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  /** The records of one trace, in arrival order (a copy). */
  forTrace(traceId: string): LogRecord[] {
    const list = this.byTrace.get(traceId);
    return list ? list.items.slice(list.head) : [];
  }

  /** Every stored record, in arrival order (a copy). */
  all(): LogRecord[] {
    return this.queue.slice(this.head);
  }

  clear(): void {
    this.queue = [];
    this.head = 0;
    this.byTrace.clear();
    this.evicted = 0;
  }
}
