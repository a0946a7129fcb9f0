import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';

const eslint = new ESLint({ cwd: projectRoot });

/** Lints `code` as if it were the existing file `file`, returning the rule ids that fired. */
async function ruleIds(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(projectRoot, file) });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

describe('lint rules', () => {
  it('keeps Node built-ins, HTTP clients and activity implementations out of workflow code', async () => {
    const ids = await ruleIds(
      'workflows/invoice-transfer.ts',
      "import { readFileSync } from 'node:fs';\nimport ky from 'ky';\nimport { createActivities } from '../activities/index.js';\nexport const x = [readFileSync, ky, createActivities];\n",
    );
    expect(ids.filter((id) => id.endsWith('no-restricted-imports'))).toHaveLength(3);
  });

  it('allows activities imported as types in workflow code', async () => {
    const ids = await ruleIds('workflows/invoice-transfer.ts', "import type { Activities } from '../activities/index.js';\nexport type A = Activities;\n");
    expect(ids).toEqual([]);
  });

  it('treats an unawaited promise as an error', async () => {
    const ids = await ruleIds('src/paths.ts', 'async function work(): Promise<void> {}\nexport function run(): void {\n  work();\n}\n');
    expect(ids).toContain('@typescript-eslint/no-floating-promises');
  });
});
