// A local HTTP server on 127.0.0.1 (ephemeral port) that answers like a Jaeger, Tempo or Zipkin query
// service with recorded responses. Each route names the exact path and the exact set of query
// parameters it accepts: anything else is recorded as a mismatch (and answered 400), so a client
// that sends the wrong parameters fails its test.
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';

export interface RecordedRoute {
  readonly path: string | RegExp;
  /** Expected query parameters: exact value, a RegExp, or true for "present, any value". Others are refused. */
  readonly query?: Readonly<Record<string, string | RegExp | true>>;
  readonly status?: number;
  readonly contentType?: string;
  /** Response body: text, bytes, or a file to read at request time. */
  readonly body?: string | Uint8Array | { readonly file: string };
  /** Never answer (for timeout tests). */
  readonly hang?: boolean;
}

export interface ReceivedRequest {
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: http.IncomingHttpHeaders;
}

export interface RecordedServer {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** Requests no route accepted, with the reason: a test asserts this stays empty. */
  readonly mismatches: string[];
  close(): Promise<void>;
}

export function startRecordedServer(routes: readonly RecordedRoute[]): Promise<RecordedServer> {
  const requests: ReceivedRequest[] = [];
  const mismatches: string[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const query: Record<string, string> = {};
    for (const [k, v] of u.searchParams) query[k] = v;
    requests.push({ path: u.pathname, query, headers: req.headers });
    const route = routes.find((r) => (typeof r.path === 'string' ? r.path === u.pathname : r.path.test(u.pathname)));
    if (!route) {
      // What Go's http.ServeMux (Jaeger, Tempo) says for an unknown path.
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
      return;
    }
    const problem = checkQuery(route.query ?? {}, query);
    if (problem) {
      mismatches.push(`${u.pathname}: ${problem}`);
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end(`test server: ${problem}`);
      return;
    }
    if (route.hang) {
      hanging.add(res);
      return;
    }
    const body = route.body === undefined ? '' : typeof route.body === 'string' || route.body instanceof Uint8Array ? route.body : fs.readFileSync(route.body.file);
    res.writeHead(route.status ?? 200, { 'Content-Type': route.contentType ?? 'application/json' }).end(body);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        mismatches,
        close: () =>
          new Promise<void>((done) => {
            for (const r of hanging) r.destroy();
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

function checkQuery(expected: Readonly<Record<string, string | RegExp | true>>, got: Record<string, string>): string | undefined {
  for (const k of Object.keys(got)) if (!(k in expected)) return `unexpected query parameter ${k}=${got[k]}`;
  for (const [k, want] of Object.entries(expected)) {
    if (!(k in got)) return `missing query parameter ${k}`;
    if (want === true) continue;
    if (typeof want === 'string' ? got[k] !== want : !want.test(got[k])) return `query parameter ${k}=${got[k]} does not match ${String(want)}`;
  }
  return undefined;
}
