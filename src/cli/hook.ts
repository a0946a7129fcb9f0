// `npm run hook`: Summa's hook server on its own, for production (several behind a proxy, beside `npm run worker`).
import { runHookProcess } from '../hook/process.js';

await runHookProcess();
