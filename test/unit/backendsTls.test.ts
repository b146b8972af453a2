// TLS: a self-signed certificate is refused with a TLS message unless the backend opts in.
// The certificate is made at test time with openssl; without openssl the test says it is skipped.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { BackendError, createBackendClient } from '../../src/core/backends';

function makeCert(): { key: Buffer; cert: Buffer } | undefined {
  try {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spanlens-tls-'));
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    return { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
  } catch {
    return undefined;
  }
}

const pem = makeCert();

(pem ? describe : describe.skip)(`backends: self-signed TLS${pem ? '' : ' (openssl not available: skipped)'}`, () => {
  let server: https.Server;
  let url: string;
  before(async () => {
    server = https.createServer({ key: pem!.key, cert: pem!.cert }, (_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('["frontend"]'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('refuses the certificate by default with a TLS message that names the opt-in', async () => {
    try {
      await createBackendClient({ name: 'secure-zipkin', type: 'zipkin', url }).services();
      assert.fail('expected a TLS error');
    } catch (e) {
      assert.ok(e instanceof BackendError && e.kind === 'tls', String(e));
      assert.match(e.message, /secure-zipkin: TLS error talking to 127\.0\.0\.1:\d+: .*self[- ]signed.*set "allowSelfSigned": true for backend "secure-zipkin"/i);
    }
  });

  it('accepts it when the backend opts in', async () => {
    assert.deepStrictEqual(await createBackendClient({ name: 'secure-zipkin', type: 'zipkin', url, allowSelfSigned: true }).services(), ['frontend']);
  });
});
