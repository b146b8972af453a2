// Worker entry of the trace catalog (bundled to dist/spanlens.worker.js by esbuild.js): importers,
// the catalog, the statistics and the dev collector run here, off the extension host's thread.
import { parentPort } from 'worker_threads';
import { serveCatalog } from '../catalog/serve';

if (!parentPort) throw new Error('spanlens.worker must be started as a worker thread');
serveCatalog(parentPort);
