// Raw HTTP/1.1 and HTTP/2 (gRPC) requests for the collector's bad-input tests: exact control over
// headers and bodies, including ones no exporter would send.
import * as http from 'http';
import * as http2 from 'http2';
import * as zlib from 'zlib';
import { Reader } from 'protobufjs';

export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface RawRequest {
  readonly method?: string;
  readonly path?: string;
  readonly headers?: http.OutgoingHttpHeaders;
  /** A body, or a function that writes it (for streaming / truncation). */
  readonly body?: Buffer | string | ((req: http.ClientRequest) => void);
  readonly agent?: http.Agent | false;
}

export function request(port: number, r: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: r.method ?? 'POST', path: r.path ?? '/v1/traces', headers: r.headers, agent: r.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (typeof r.body === 'function') r.body(req);
    else req.end(r.body);
  });
}

/** Decodes a google.rpc.Status (code = 1, message = 2) from protobuf bytes. */
export function decodeStatus(buf: Buffer): { code: number; message: string } {
  const rd = Reader.create(buf);
  let code = 0;
  let message = '';
  while (rd.pos < rd.len) {
    const tag = rd.uint32();
    if (tag >>> 3 === 1) code = rd.int32();
    else if (tag >>> 3 === 2) message = rd.string();
    else rd.skipType(tag & 7);
  }
  return { code, message };
}

/** gzip of `bytes` zeros, generated streaming (1 GiB -> ~1 MB with Z_RLE). */
export function gzipZeros(bytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const gz = zlib.createGzip({ level: 9, strategy: zlib.constants.Z_RLE });
    const out: Buffer[] = [];
    gz.on('data', (c: Buffer) => out.push(c));
    gz.on('end', () => resolve(Buffer.concat(out)));
    gz.on('error', reject);
    const chunk = Buffer.alloc(1 << 20);
    let left = bytes;
    const pump = () => {
      while (left > 0) {
        const n = Math.min(left, chunk.length);
        left -= n;
        if (!gz.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
          gz.once('drain', pump);
          return;
        }
      }
      gz.end();
    };
    pump();
  });
}

export interface GrpcRawResult {
  readonly grpcStatus: number;
  readonly grpcMessage: string;
  readonly body: Buffer;
}

/**
 * One unary gRPC call over a raw HTTP/2 stream: `message` is framed as is (compressed flag set when
 * `compressedGzip`), so a test can send bytes grpc-js' client would never produce.
 */
export function grpcRaw(port: number, path: string, message: Buffer, compressedGzip = false): Promise<GrpcRawResult> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.on('error', reject);
    const headers: http2.OutgoingHttpHeaders = { ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers' };
    if (compressedGzip) headers['grpc-encoding'] = 'gzip';
    const stream = session.request(headers);
    const chunks: Buffer[] = [];
    let status = -1;
    let msg = '';
    const take = (h: http2.IncomingHttpHeaders) => {
      if (h['grpc-status'] !== undefined) status = Number(h['grpc-status']);
      if (h['grpc-message'] !== undefined) msg = decodeURIComponent(String(h['grpc-message']));
    };
    stream.on('response', take);
    stream.on('trailers', take);
    stream.on('data', (c: Buffer) => chunks.push(c));
    // A server that refuses a message mid-upload may reset the stream after sending its status.
    stream.on('error', (e) => (status >= 0 ? undefined : reject(e)));
    stream.on('close', () => {
      session.close();
      resolve({ grpcStatus: status, grpcMessage: msg, body: Buffer.concat(chunks) });
    });
    const frame = Buffer.alloc(5);
    frame.writeUInt8(compressedGzip ? 1 : 0, 0);
    frame.writeUInt32BE(message.length, 1);
    stream.end(Buffer.concat([frame, message]));
  });
}
