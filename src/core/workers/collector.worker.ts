// Worker entry of the dev collector (bundled to dist/collector.worker.js by esbuild.js): the
// receivers, decoding and the live store run here, off the extension host's main thread.
import { parentPort } from 'worker_threads';
import { serveCollector } from '../collector/serve';

if (!parentPort) throw new Error('collector.worker must be started as a worker thread');
serveCollector(parentPort);
