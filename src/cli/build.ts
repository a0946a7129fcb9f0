// `npm run build`: what production runs, made once. TypeScript compiled to dist/ (so processes start with `node`,
// without tsx) and the workflow bundle, webpacked from the same sources once (so workers do not run webpack at start, as Temporal recommends).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DefaultLogger } from '@temporalio/worker';
import { BUILT_WORKFLOW_BUNDLE, projectRoot } from '../paths.js';
import { bundleWorkflows } from '../temporal/workflow-bundle.js';

/** Files the compiled code reads at run time, which tsc does not copy. */
const ASSETS = ['src/sandbox/fortnox/openapi-subset.json'];

const dist = path.join(projectRoot, 'dist');
rmSync(dist, { recursive: true, force: true });
console.log('Compiling TypeScript to dist/ …');
execFileSync(process.execPath, [path.join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(projectRoot, 'tsconfig.build.json')], { stdio: 'inherit' });
for (const asset of ASSETS) {
  mkdirSync(path.dirname(path.join(dist, asset)), { recursive: true });
  copyFileSync(path.join(projectRoot, asset), path.join(dist, asset));
}
console.log('Bundling the workflows …');
writeFileSync(BUILT_WORKFLOW_BUNDLE, await bundleWorkflows(new DefaultLogger('WARN')));
console.log(`Built: ${path.relative(projectRoot, dist)}/ and ${path.relative(projectRoot, BUILT_WORKFLOW_BUNDLE)}. Run e.g. \`node dist/src/cli/worker.js\` and \`node dist/src/cli/hook.js\`.`);
