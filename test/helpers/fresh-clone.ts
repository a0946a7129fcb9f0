import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/paths.js';

/**
 * What a fresh clone holds: every file git tracks or would track (the working tree's version, so uncommitted edits
 * are tested too), and nothing it ignores: no `.data/`, no key file, no tokens. What `npm install` adds is linked
 * from this checkout (node_modules, and .temporal when the postinstall step put the CLI there): the test must not
 * download.
 */
export function freshClone(): string {
  const clone = mkdtempSync(path.join(os.tmpdir(), 'summa-fortnox-clone-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: projectRoot, encoding: 'utf8' }).split('\0');
  for (const file of files) {
    if (file === '' || !existsSync(path.join(projectRoot, file))) continue;
    mkdirSync(path.dirname(path.join(clone, file)), { recursive: true });
    copyFileSync(path.join(projectRoot, file), path.join(clone, file));
  }
  for (const installed of ['node_modules', '.temporal']) {
    if (existsSync(path.join(projectRoot, installed))) symlinkSync(path.join(projectRoot, installed), path.join(clone, installed));
  }
  return clone;
}

