// What a receiver needs from the collector: limits, the accept/reject counters and the store.
// Receivers only decode and answer; the collector (./core.ts) owns state.
import type { TraceBatch } from './decode';
import type { ReceiverName, RejectReason } from './types';

export interface ReceiverContext {
  readonly maxRequestBytes: number;
  readonly corsAllowedOrigins: readonly string[];
  /** True once stop() began: new requests get 503 / UNAVAILABLE. */
  isClosing(): boolean;
  /** Stores a decoded batch; resolves once it is stored (and written to the output file, if any). */
  accept(receiver: ReceiverName, batch: TraceBatch): Promise<void>;
  /** Counts a refused request. */
  reject(reason: RejectReason): void;
  /** Counts an accepted (and discarded) logs / metrics request. */
  countSignal(signal: 'logs' | 'metrics'): void;
  /** Requests being handled, so stop() can wait for them. */
  track<T>(p: Promise<T>): Promise<T>;
}
