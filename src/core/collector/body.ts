// Reads an HTTP request body with a hard size bound on the bytes that reach the decoder: the raw
// body and, for gzip, the inflated output are both counted, and inflation stops the moment the
// limit is crossed, so a small gzip bomb (1 GiB of zeros in ~1 MB) never allocates more than the
// limit. The caller answers 413 / 400 / 415 from the typed failure.
import type { IncomingMessage } from 'http';
import * as zlib from 'zlib';

export type BodyFailure =
  | { readonly kind: 'too-large'; readonly message: string }
  | { readonly kind: 'bad-encoding'; readonly message: string }
  | { readonly kind: 'unsupported-encoding'; readonly message: string }
  | { readonly kind: 'aborted'; readonly message: string };

export type BodyResult = { readonly ok: true; readonly body: Buffer } | ({ readonly ok: false } & BodyFailure);

/** Content-Encoding values accepted; anything else is a 415 (RFC 9110 §15.5.16). */
export function contentEncodingOf(req: IncomingMessage): 'identity' | 'gzip' | 'deflate' | { unsupported: string } {
  const raw = (req.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'identity') return 'identity';
  if (raw === 'gzip' || raw === 'x-gzip') return 'gzip';
  if (raw === 'deflate') return 'deflate';
  return { unsupported: raw };
}

function mib(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) ? 1 : 0)} MiB` : `${n} bytes`;
}

/**
 * Reads the whole body of `req`, decompressing gzip/deflate, never holding more than `maxBytes`
 * of decoded data. On failure the caller answers through `answerAfterDrain`.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const encoding = contentEncodingOf(req);
  if (typeof encoding === 'object') {
    return Promise.resolve({ ok: false, kind: 'unsupported-encoding', message: `unsupported Content-Encoding "${encoding.unsupported}" (use gzip or none)` });
  }
  const tooLarge = (what: string): BodyResult => ({
    ok: false,
    kind: 'too-large',
    message: `request body${what ? ' ' + what : ''} is over the ${mib(maxBytes)} limit (spanlens.collector.maxRequestBytes); send smaller batches`,
  });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve(tooLarge(`(Content-Length ${declared})`));

  return new Promise<BodyResult>((resolve) => {
    let settled = false;
    const chunks: Buffer[] = [];
    let size = 0;
    let rawSize = 0;
    let inflater: zlib.Gunzip | zlib.Inflate | undefined;
    const finish = (r: BodyResult) => {
      if (settled) return;
      settled = true;
      req.off('data', onRaw);
      req.off('end', onRawEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      req.off('close', onClose);
      if (inflater) {
        inflater.removeAllListeners('data');
        inflater.removeAllListeners('end');
        inflater.on('error', () => undefined);
        if (!r.ok) inflater.destroy();
      }
      resolve(r);
    };
    const onDecoded = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        finish(tooLarge(inflater ? 'after decompression' : ''));
        return;
      }
      chunks.push(chunk);
    };
    const onDone = () => finish({ ok: true, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size) });
    const onRaw = (chunk: Buffer) => {
      rawSize += chunk.length;
      // The raw (compressed) bytes are bounded too: they can only be fewer than the inflated ones.
      if (rawSize > maxBytes) {
        finish(tooLarge(''));
        return;
      }
      if (inflater) {
        // Backpressure: stop reading the socket while zlib catches up, so inflating is bounded by
        // what we accept, not by how fast the client sends.
        if (!inflater.write(chunk)) {
          req.pause();
          inflater.once('drain', () => {
            if (!settled) req.resume();
          });
        }
      } else onDecoded(chunk);
    };
    const onRawEnd = () => {
      if (inflater) inflater.end();
      else onDone();
    };
    const onError = (e: Error) => finish({ ok: false, kind: 'aborted', message: `request body could not be read: ${e.message}` });
    const onAborted = () => finish({ ok: false, kind: 'aborted', message: 'the client aborted the request' });
    // 'close' also follows a complete body (while gzip may still be inflating): only an
    // incomplete one means the connection went away mid-body.
    const onClose = () => {
      if (!req.complete) onAborted();
    };

    if (encoding !== 'identity') {
      inflater = encoding === 'gzip' ? zlib.createGunzip() : zlib.createInflate();
      inflater.on('data', onDecoded);
      inflater.on('end', onDone);
      inflater.on('error', (e: Error) =>
        finish({ ok: false, kind: 'bad-encoding', message: `Content-Encoding is ${encoding} but the body does not inflate: ${e.message}` }),
      );
    }
    req.on('data', onRaw);
    req.on('end', onRawEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
    // 'close' before 'end': the connection went away mid-body (covers clients that just hang up).
    req.on('close', onClose);
  });
}

/**
 * Answers a request refused before its body was read (413, 415...) once the rest of the body is
 * off the wire: a response sent while the client still uploads races with the connection closing
 * under it (Node closes after the response when the client asked for Connection: close), and the
 * client would see EPIPE instead of our status. The discarding is bounded: a declared body up to
 * 4x `maxBytes` is drained whole; past that, or `maxBytes` more of an undeclared (chunked) body,
 * the answer goes out at once and the connection is cut.
 */
export function answerAfterDrain(req: IncomingMessage, maxBytes: number, answer: () => void): void {
  if (req.complete) {
    answer();
    return;
  }
  const declared = Number(req.headers['content-length']);
  const maxDiscard = Number.isFinite(declared) && declared <= 4 * maxBytes ? declared : maxBytes;
  let discarded = 0;
  let done = false;
  const finish = (cut: boolean) => {
    if (done) return;
    done = true;
    answer();
    if (cut) req.socket.end(() => req.socket.destroy());
  };
  req.removeAllListeners('data');
  req.removeAllListeners('end');
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > maxDiscard) finish(true);
  });
  req.on('end', () => finish(false));
  req.on('error', () => {
    done = true;
  });
  req.resume();
}
