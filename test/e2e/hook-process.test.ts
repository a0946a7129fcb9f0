import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../src/http/free-port.js';
import { projectRoot } from '../../src/paths.js';
import { signSummaRequest } from '../../src/summa/signature.js';
import { invoiceWorkflowId } from '../../src/transfer/index.js';
import { anInvoice } from '../helpers/invoices.js';
import { processesInGroup } from '../helpers/processes.js';

const SECRET = 'hook-process-secret-0123456789';

describe('npm run hook: the hook server as a process of its own', () => {
  let dir: string;
  let child: ChildProcess;
  let output = '';
  let url: string;
  const taskQueue = `hook-process-${process.pid}`;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hook-process-'));
    const tenantsFile = path.join(dir, 'tenants.json');
    writeFileSync(tenantsFile, JSON.stringify({ tryckeriet: { fortnox: { auth: 'clientCredentials', tenantId: '7' } } }));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    child = spawn('npm', ['run', '--silent', 'hook'], {
      cwd: projectRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? os.tmpdir(),
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TEMPORAL_NAMESPACE: inject('temporalNamespace'),
        TASK_QUEUE: taskQueue,
        HOOK_PORT: String(port),
        SUMMA_SECRET: SECRET,
        TENANTS_FILE: tenantsFile,
        DATA_DIR: dir,
      },
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 60_000;
    while (!output.includes('Hook server')) {
      if (child.exitCode !== null) throw new Error(`npm run hook exited:\n${output}`);
      if (Date.now() > deadline) throw new Error(`npm run hook did not come up:\n${output}`);
      await sleep(100);
    }
  });
  afterAll(() => {
    if (child.pid !== undefined && processesInGroup(child.pid).length > 0) process.kill(-child.pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers its health probe, starts a signed invoice in Temporal, and stops cleanly on SIGTERM', { timeout: 90_000 }, async () => {
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const invoice = anInvoice({ tenant: 'tryckeriet' });
    const body = JSON.stringify(invoice);
    const response = await fetch(`${url}/hooks/summa/invoices`, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json', ...signSummaRequest(SECRET, { method: 'POST', path: '/hooks/summa/invoices', body }, { tenant: 'tryckeriet' }) },
    });
    expect(response.status, await response.clone().text()).toBe(202);
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    try {
      const description = await new Client({ connection, namespace: inject('temporalNamespace') }).workflow.getHandle(invoiceWorkflowId('tryckeriet', invoice.invoiceId)).describe();
      expect(description.taskQueue).toBe(taskQueue);
      await new Client({ connection, namespace: inject('temporalNamespace') }).workflow.getHandle(description.workflowId).terminate('test over');
    } finally {
      await connection.close();
    }

    // SIGTERM to the process group, as a container runtime sends it: the hook finishes and exits, nothing is left.
    process.kill(-child.pid!, 'SIGTERM');
    const deadline = Date.now() + 15_000;
    while (processesInGroup(child.pid!).length > 0 && Date.now() < deadline) await sleep(100);
    expect(processesInGroup(child.pid!)).toEqual([]);
    expect(output).toMatch(/SIGTERM: stopping …\n(.*\n)*Stopped\./);
  });
});
