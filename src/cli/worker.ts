// `npm run worker`: the integration's worker on its own, for production and for running several processes.
import { runWorkerProcess } from '../worker/process.js';

await runWorkerProcess();
