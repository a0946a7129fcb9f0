import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The project's root folder, wherever the process was started from. */
export const projectRoot = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
