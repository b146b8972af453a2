import * as assert from 'assert';
import { startCollector } from '../../src/core/collector';
import { request } from '../support/httpRaw';
const MiB = 1024 * 1024;
describe('tmp big', function () {
  this.timeout(60000);
  it('x', async () => {
    const c = await startCollector({ httpPort: 0, grpcPort: null, zipkinPort: null, workerScript: require('../support/collectorBuild').buildCollectorBundles().workerScript });
    const big = Buffer.alloc(64 * MiB + 1, 0x0a);
    let fails = { declared: 0, chunked: 0 };
    for (let i = 0; i < 15; i++) {
      try { await request(c.ports.otlpHttp!, { headers: { 'content-type': 'application/x-protobuf' }, body: big }); } catch (e) { fails.declared++; console.log('declared', String(e)); }
      try {
        await request(c.ports.otlpHttp!, { headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, body: (req) => { for (let i = 0; i < 65; i++) req.write(big.subarray(0, MiB)); req.end(); } });
      } catch (e) { fails.chunked++; console.log('chunked', String(e)); }
    }
    console.log(fails);
    await c.stop();
    assert.ok(true);
  });
});
