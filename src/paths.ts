import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = fileURLToPath(import.meta.url);

/** Whether this is the compiled code `npm run build` wrote to dist/ (production), rather than the sources under tsx. */
export const compiled = path.extname(here) === '.js';

/** The root of the code that runs: the project root under tsx, `dist/` when compiled. */
export const codeRoot = path.resolve(path.dirname(here), '..');

/** The project's root folder (package.json, node_modules, .temporal), wherever the process was started from. */
export const projectRoot = compiled ? path.dirname(codeRoot) : codeRoot;

/** A module of the project as it runs here, by its path without extension: `moduleFile('workflows/index')`. */
export const moduleFile = (name: string): string => path.join(codeRoot, `${name}${compiled ? '.js' : '.ts'}`);

/** The workflow bundle `npm run build` writes, which compiled workers load instead of bundling at start. */
export const BUILT_WORKFLOW_BUNDLE = path.join(projectRoot, 'dist', 'workflow-bundle.js');
