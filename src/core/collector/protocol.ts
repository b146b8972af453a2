// Messages between the main thread (./index.ts) and the collector's thread (./serve.ts). Plain data
// only: it crosses postMessage by structured clone (bigint, typed arrays and shared references
// within one message survive it, so a Trace travels as is).
import type { Trace, TraceFile } from '../model/model';
import type { LogRecord } from '../model/logs';
import type { CollectorChange, CollectorFailure, CollectorOptions, CollectorPorts, CollectorStats, LiveTraceSummary } from './types';

/** Store queries answered by the collector thread. */
export interface StoreCalls {
  summaries(limit?: number): LiveTraceSummary[];
  getTrace(traceId: string): Trace | undefined;
  getTraces(traceIds: readonly string[]): Trace[];
  traceFile(traceIds?: readonly string[]): TraceFile;
  logsForTrace(traceId: string): LogRecord[];
  allLogs(): LogRecord[];
  exportJsonLines(file: string, traceIds?: readonly string[]): { traces: number; spans: number; bytes: number };
  clear(): void;
  stats(): CollectorStats;
}
export type StoreMethod = keyof StoreCalls;

export type ToCollector =
  | { readonly type: 'start'; readonly options: CollectorOptions }
  | { readonly type: 'call'; readonly id: number; readonly method: StoreMethod; readonly args: unknown[] }
  | { readonly type: 'stop'; readonly graceMs: number };

export type FromCollector =
  | { readonly type: 'started'; readonly ports: CollectorPorts; readonly stats: CollectorStats }
  | { readonly type: 'startFailed'; readonly failure: CollectorFailure }
  | { readonly type: 'change'; readonly change: CollectorChange }
  | { readonly type: 'stats'; readonly stats: CollectorStats }
  | { readonly type: 'result'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly type: 'result'; readonly id: number; readonly ok: false; readonly error: string }
  | { readonly type: 'stopped'; readonly stats: CollectorStats };

/** The subset of MessagePort both a worker's parentPort and a MessageChannel port provide. */
export interface PortLike {
  postMessage(msg: unknown): void;
  on(event: 'message', listener: (msg: unknown) => void): unknown;
  off?(event: 'message', listener: (msg: unknown) => void): unknown;
  close?(): void;
}
