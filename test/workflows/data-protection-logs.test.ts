import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../../src/http/listen.js';
import { SANDBOX_CLIENT } from '../../src/sandbox/fortnox/index.js';
import { anInvoice } from '../helpers/invoices.js';
import { startPipeline, TEST_SECRET, type Pipeline } from '../helpers/pipeline.js';
import { startTestWorkerProcess } from '../helpers/worker-process.js';

const clientSecret = 'cs-only-in-this-test-4f9e2a7b61';

describe('the worker log when Fortnox refuses the credentials and echoes them back', () => {
  let pipeline: Pipeline;
  let tokenServer: Server;
  let tokenUrl: string;
  beforeAll(async () => {
    pipeline = await startPipeline({ worker: false });
    // An OAuth server at its least careful: its refusal quotes the Authorization header and the secret it decoded.
    tokenServer = createServer((request, response) => {
      const authorization = request.headers.authorization ?? '';
      const decoded = Buffer.from(authorization.replace(/^Basic /, ''), 'base64').toString();
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'invalid_client', error_description: `rejected Authorization: ${authorization} (client_secret=${decoded.split(':')[1] ?? ''})` }));
    });
    tokenUrl = await listen(tokenServer, 0, '127.0.0.1');
  });
  afterAll(async () => {
    tokenServer.close();
    await pipeline.stop();
  });

  it('logs the refusal from `npm run worker` with the secret and the Authorization header masked', { timeout: 90_000 }, async () => {
    const worker = await startTestWorkerProcess(pipeline, { env: { FORTNOX_AUTH_URL: tokenUrl, FORTNOX_CLIENT_SECRET: clientSecret } });
    const invoice = anInvoice();
    let message = '';
    try {
      await pipeline.service.transfer(invoice);
      const deadline = Date.now() + 60_000;
      while (!worker.output().includes('transfer needs attention')) {
        if (Date.now() > deadline || worker.child.exitCode !== null) throw new Error(`the worker never logged the refusal:\n${worker.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      message = (await pipeline.service.status('demo', invoice.invoiceId))?.message ?? '';
    } finally {
      await worker.stop();
    }
    const output = worker.output();
    expect(output).toContain('rejected Authorization: Basic [redacted]');
    expect(output).toContain('client_secret=[redacted]');
    expect(output).not.toContain(clientSecret);
    expect(output).not.toContain(Buffer.from(`${SANDBOX_CLIENT.clientId}:${clientSecret}`).toString('base64'));
    expect(output).not.toContain(TEST_SECRET);
    // The needs-attention message (Summa, the Web UI, the CLI) quotes Fortnox's refusal, masked the same way.
    expect(message).toContain('tjänstekonto');
    expect(message).not.toContain(clientSecret);
    expect(message).not.toContain(Buffer.from(`${SANDBOX_CLIENT.clientId}:${clientSecret}`).toString('base64'));
  });
});
