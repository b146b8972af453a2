// Appends lines to a file in arrival order with group commit: lines queued while a write is in
// flight go out together in the next write, and each append resolves once its bytes were handed
// to the OS. The receivers answer a request only after that, so anything a client was told is
// accepted is already in the file (a crash after the answer cannot lose it).
import { promises as fsp } from 'fs';

export class LineAppender {
  private handle?: fsp.FileHandle;
  private queue: string[] = [];
  private waiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private writing = false;
  private idle: (() => void)[] = [];
  lines = 0;
  bytes = 0;
  error?: string;

  private constructor(readonly path: string) {}

  /** Opens (creating) the file for appending; rejects with a message naming the path. */
  static async open(path: string): Promise<LineAppender> {
    const a = new LineAppender(path);
    try {
      a.handle = await fsp.open(path, 'a');
    } catch (e) {
      throw new Error(`cannot open output file ${path}: ${(e as Error).message}`);
    }
    return a;
  }

  /** Queues one line (without its newline); resolves when it is written. */
  append(line: string): Promise<void> {
    if (!this.handle) return Promise.reject(new Error(`output file ${this.path} is closed`));
    return new Promise<void>((resolve, reject) => {
      this.queue.push(line);
      this.waiters.push({ resolve, reject });
      if (!this.writing) void this.pump();
    });
  }

  private async pump(): Promise<void> {
    this.writing = true;
    while (this.queue.length) {
      const lines = this.queue;
      const waiters = this.waiters;
      this.queue = [];
      this.waiters = [];
      const data = Buffer.from(lines.join('\n') + '\n', 'utf8');
      try {
        let off = 0;
        while (off < data.length) off += (await this.handle!.write(data, off, data.length - off)).bytesWritten;
        this.lines += lines.length;
        this.bytes += data.length;
        for (const w of waiters) w.resolve();
      } catch (e) {
        this.error = `cannot write output file ${this.path}: ${(e as Error).message}`;
        for (const w of waiters) w.reject(new Error(this.error));
      }
    }
    this.writing = false;
    for (const f of this.idle.splice(0)) f();
  }

  /** Resolves when every queued line is written. */
  flush(): Promise<void> {
    if (!this.writing && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  async close(): Promise<void> {
    await this.flush();
    const h = this.handle;
    this.handle = undefined;
    if (h) {
      await h.sync().catch(() => undefined);
      await h.close();
    }
  }
}
