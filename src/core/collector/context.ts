// What a receiver needs from the collector: limits, the accept/reject counters and the store.
// Receivers only decode and answer; the collector (./core.ts) owns state.
import type { TraceBatch } from './decode';
import type { LogBatch } from './decodeLogs';
import type { ReceiverName, RejectReason } from './types';

export interface ReceiverContext {
  readonly maxRequestBytes: number;
  readonly corsAllowedOrigins: readonly string[];
  /** True once stop() began: new requests get 503 / UNAVAILABLE. */
  isClosing(): boolean;
  /** Stores a decoded batch; resolves once it is stored (and written to the output file, if any). */
  accept(receiver: ReceiverName, batch: TraceBatch): Promise<void>;
  /** Stores decoded log records (and writes them to the output file, if any); counts the request. */
  acceptLogs(receiver: ReceiverName, batch: LogBatch): Promise<void>;
  /** Counts a refused request. */
  reject(reason: RejectReason): void;
  /** Counts an accepted (and discarded) metrics request. */
  countSignal(signal: 'metrics'): void;
  /** Requests being handled, so stop() can wait for them. */
  track<T>(p: Promise<T>): Promise<T>;
}
