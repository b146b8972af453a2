// Forwarding: every batch the collector accepts is sent on to an upstream OTLP/HTTP endpoint (a
// team's OTel Collector, Jaeger...). Receiving must never wait for the upstream, so batches go into
// a bounded queue drained by one sender (in order); failures are retried with exponential backoff,
// and when the queue is full the OLDEST batch is dropped (and counted): fresh data matters more to
// someone watching live, and memory stays bounded whatever the upstream does.
import * as http from 'http';
import * as https from 'https';

export type ForwardContentType = 'application/x-protobuf' | 'application/json';

export interface ForwardPayload {
  readonly body: Uint8Array;
  readonly contentType: ForwardContentType;
  /** Spans in the batch, for the counters. */
  readonly spans: number;
}

export interface ForwarderOptions {
  /** OTLP/HTTP endpoint: a base URL (".../v1/traces" is appended) or the full traces URL. */
  readonly url: string;
  /** Batches waiting at most; past it the oldest is dropped. Default 1000. */
  readonly maxQueue?: number;
  /** Tries per batch (the first send included) before it is dropped. Default 6. */
  readonly maxAttempts?: number;
  /** Backoff after the first failure, doubled after each next one. Default 500 ms. */
  readonly baseDelayMs?: number;
  /** Longest backoff. Default 30 s. */
  readonly maxDelayMs?: number;
  /** Per-request timeout. Default 10 s. */
  readonly timeoutMs?: number;
  /** Called for failures and drops (the host shows them in its output channel). */
  readonly onProblem?: (message: string) => void;
}

export interface ForwarderStats {
  readonly url: string;
  readonly forwardedBatches: number;
  readonly forwardedSpans: number;
  /** Failed sends (each retry counts). */
  readonly failedAttempts: number;
  /** Batches given up on: queue full, retries exhausted or refused by the upstream (4xx). */
  readonly droppedBatches: number;
  readonly droppedSpans: number;
  readonly queued: number;
  /** The latest failure, cleared by the next successful send. */
  readonly lastError?: string;
}

export class ForwarderOptionsError extends Error {}

/** The traces URL for a forwardTo setting: "http://host:4318" -> "http://host:4318/v1/traces". */
export function forwardTracesUrl(setting: string): URL {
  let u: URL;
  try {
    u = new URL(setting.trim());
  } catch {
    throw new ForwarderOptionsError(`forwardTo must be an http(s) URL such as http://otel-collector:4318, got "${setting}"`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ForwarderOptionsError(`forwardTo must be an http:// or https:// URL (OTLP/HTTP), got "${setting}"`);
  if (!/\/v1\/traces\/?$/.test(u.pathname)) u.pathname = `${u.pathname.replace(/\/+$/, '')}/v1/traces`;
  return u;
}

/** Status codes worth retrying (the OTLP/HTTP spec's list, plus 408 and any 5xx). */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Backoff before try number `attempt` (2 = first retry): base·2^(attempt-2), capped. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 2));
}

interface Queued {
  readonly payload: ForwardPayload;
  attempts: number;
}

type SendResult = { ok: true } | { ok: false; retry: boolean; message: string };

export class Forwarder {
  readonly url: URL;
  private readonly maxQueue: number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly timeoutMs: number;
  private readonly queue: Queued[] = [];
  private sending = false;
  private closed = false;
  private timer?: NodeJS.Timeout;
  private wake?: () => void;
  private idleWaiters: (() => void)[] = [];
  private readonly agent: http.Agent;

  private forwardedBatches = 0;
  private forwardedSpans = 0;
  private failedAttempts = 0;
  private droppedBatches = 0;
  private droppedSpans = 0;
  private lastError?: string;
  /** Drops since the last warning, so a full queue logs one line per burst, not per batch. */
  private unreportedDrops = 0;

  constructor(private readonly options: ForwarderOptions) {
    this.url = forwardTracesUrl(options.url);
    // At least 2: the head may be in flight, and only a waiting batch is ever dropped.
    this.maxQueue = Math.max(2, options.maxQueue ?? 1000);
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 6);
    this.baseDelayMs = Math.max(0, options.baseDelayMs ?? 500);
    this.maxDelayMs = Math.max(this.baseDelayMs, options.maxDelayMs ?? 30_000);
    this.timeoutMs = Math.max(1, options.timeoutMs ?? 10_000);
    this.agent = this.url.protocol === 'https:' ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
  }

  /** Queues a batch; never waits. */
  enqueue(payload: ForwardPayload): void {
    if (this.closed) return;
    if (this.queue.length >= this.maxQueue) {
      // The head may be in flight; drop the oldest one that is only waiting.
      const idx = this.sending ? 1 : 0;
      const [dropped] = this.queue.splice(idx, 1);
      this.drop(dropped.payload);
      this.unreportedDrops++;
      if (this.unreportedDrops === 1) this.problem(`forwarding queue full (${this.maxQueue} batches): dropping the oldest batches while ${this.url.origin} is slow or down`);
    }
    this.queue.push({ payload, attempts: 0 });
    void this.pump();
  }

  stats(): ForwarderStats {
    return {
      url: this.url.toString(),
      forwardedBatches: this.forwardedBatches,
      forwardedSpans: this.forwardedSpans,
      failedAttempts: this.failedAttempts,
      droppedBatches: this.droppedBatches,
      droppedSpans: this.droppedSpans,
      queued: this.queue.length,
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  /** Resolves when the queue is empty (tests; stop() flushes with a deadline). */
  idle(): Promise<void> {
    if (!this.queue.length && !this.sending) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Tries to send what is queued for up to `graceMs`, then drops the rest (counted). */
  async close(graceMs = 2000): Promise<void> {
    if (this.closed) return;
    // Retries waiting for their backoff get one last immediate try.
    this.wake?.();
    await Promise.race([this.idle(), new Promise((r) => setTimeout(r, graceMs).unref?.())]);
    this.closed = true;
    this.wake?.();
    for (const q of this.queue.splice(0)) this.drop(q.payload);
    this.agent.destroy();
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private drop(p: ForwardPayload): void {
    this.droppedBatches++;
    this.droppedSpans += p.spans;
  }

  private problem(message: string): void {
    try {
      this.options.onProblem?.(`Forwarding to ${this.url.toString()}: ${message}`);
    } catch {
      // A reporting bug must not stop forwarding.
    }
  }

  private async pump(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.queue.length && !this.closed) {
        const head = this.queue[0];
        head.attempts++;
        const r = await this.send(head.payload);
        if (this.closed) break;
        if (r.ok) {
          this.queue.shift();
          this.forwardedBatches++;
          this.forwardedSpans += head.payload.spans;
          if (this.lastError) this.problem('recovered, sending again');
          this.lastError = undefined;
          this.unreportedDrops = 0;
          continue;
        }
        this.failedAttempts++;
        this.lastError = r.message;
        if (!r.retry || head.attempts >= this.maxAttempts) {
          // The queue may have dropped `head` meanwhile (it never drops index 0 while sending).
          this.queue.shift();
          this.drop(head.payload);
          this.problem(`${r.message}; dropped a batch of ${head.payload.spans} span(s) ${r.retry ? `after ${head.attempts} tries` : '(not retryable)'}`);
          continue;
        }
        const delay = backoffMs(head.attempts + 1, this.baseDelayMs, this.maxDelayMs);
        this.problem(`${r.message}; retry ${head.attempts}/${this.maxAttempts - 1} in ${delay} ms`);
        await this.sleep(delay);
      }
    } finally {
      this.sending = false;
      if (!this.queue.length || this.closed) for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        if (this.timer) clearTimeout(this.timer);
        this.timer = undefined;
        this.wake = undefined;
        resolve();
      };
      this.wake = done;
      this.timer = setTimeout(done, ms);
      this.timer.unref?.();
    });
  }

  private send(p: ForwardPayload): Promise<SendResult> {
    const mod = this.url.protocol === 'https:' ? https : http;
    return new Promise<SendResult>((resolve) => {
      let settled = false;
      const finish = (r: SendResult) => {
        if (settled) return;
        settled = true;
        resolve(r);
      };
      const req = mod.request(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          timeout: this.timeoutMs,
          headers: { 'Content-Type': p.contentType, 'Content-Length': p.body.length, 'User-Agent': 'spanlens-collector' },
        },
        (res) => {
          const status = res.statusCode ?? 0;
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            if (size < 1024) chunks.push(c);
            size += c.length;
          });
          res.on('error', (e) => finish({ ok: false, retry: true, message: `response failed: ${e.message}` }));
          res.on('end', () => {
            if (status >= 200 && status < 300) return finish({ ok: true });
            const text = Buffer.concat(chunks).toString('utf8').replace(/[^\x20-\x7e]+/g, ' ').trim().slice(0, 200);
            finish({ ok: false, retry: isRetryableStatus(status), message: `HTTP ${status}${text ? ` (${text})` : ''}` });
          });
        },
      );
      req.on('timeout', () => {
        req.destroy(new Error(`no answer within ${this.timeoutMs} ms`));
      });
      req.on('error', (e: NodeJS.ErrnoException) => finish({ ok: false, retry: true, message: e.code ? `${e.code}: ${e.message}` : e.message }));
      req.end(Buffer.from(p.body.buffer, p.body.byteOffset, p.body.length));
    });
  }
}
