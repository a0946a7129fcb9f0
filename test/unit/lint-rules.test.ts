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

  it('lets workflow code take values only from src/transfer/, and other modules of src/ by type', async () => {
    const value = await ruleIds('workflows/invoice-transfer.ts', "import { toFortnoxInvoice } from '../src/mapping/invoice.js';\nexport const x = toFortnoxInvoice;\n");
    expect(value).toContain('@typescript-eslint/no-restricted-imports');
    const allowed = await ruleIds(
      'workflows/invoice-transfer.ts',
      "import { failureTypes } from '../src/transfer/index.js';\nimport type { SummaInvoice } from '../src/summa/invoice-contract.js';\nexport const x = failureTypes;\nexport type I = SummaInvoice;\n",
    );
    expect(allowed).toEqual([]);
  });

  it('holds the shared vocabulary in src/transfer/ to the rules of workflow code', async () => {
    const ids = await ruleIds('src/transfer/ids.ts', "import { readFileSync } from 'node:fs';\nimport { loadConfig } from '../config/env.js';\nexport const x = [readFileSync, loadConfig, process.env];\n");
    expect(ids.filter((id) => id.endsWith('no-restricted-imports'))).toHaveLength(2);
    expect(ids).toContain('no-restricted-globals');
  });

  it('keeps the tests and the benchmark apart, and the testkit out of the product', async () => {
    expect(await ruleIds('test/e2e/chaos.test.ts', "import { runChaos } from '../../bench/chaos/run.js';\nexport const x = runChaos;\n")).toContain('@typescript-eslint/no-restricted-imports');
    expect(await ruleIds('bench/stack.ts', "import { startPipeline } from '../test/helpers/pipeline.js';\nexport const x = startPipeline;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('src/hook/app.ts', "import { fortnoxControl } from '../testkit/fortnox-control.js';\nexport const x = fortnoxControl;\n")).toContain('no-restricted-imports');
  });

  it('treats an unawaited promise as an error', async () => {
    const ids = await ruleIds('src/paths.ts', 'async function work(): Promise<void> {}\nexport function run(): void {\n  work();\n}\n');
    expect(ids).toContain('@typescript-eslint/no-floating-promises');
  });
});
