import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/http/free-port.js';
import { listen } from '../../src/http/listen.js';
import { startMetricsServer } from '../../src/metrics/server.js';

describe('the metrics port', () => {
  it("serves the runtime's Prometheus text at /metrics and the probe's answer at /healthz", async () => {
    const runtime = createServer((_, response) => {
      response.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      response.end('summa_fortnox_transfers_total{tenant="a",outcome="transferred"} 3\n');
    });
    const runtimeUrl = await listen(runtime, 0, '127.0.0.1');
    let healthy = true;
    const server = await startMetricsServer({ host: '127.0.0.1', port: 0, runtimeAddress: runtimeUrl.replace('http://', ''), healthy: () => healthy });
    try {
      const metrics = await fetch(`${server.url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toContain('text/plain');
      expect(await metrics.text()).toContain('summa_fortnox_transfers_total{tenant="a",outcome="transferred"} 3');
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      healthy = false;
      const down = await fetch(`${server.url}/healthz`);
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({ status: 'unavailable' });
      expect((await fetch(`${server.url}/other`)).status).toBe(404);
      expect((await fetch(`${server.url}/metrics`, { method: 'POST' })).status).toBe(405);
    } finally {
      await server.close();
      runtime.close();
    }
  });

  it('answers 503 when the runtime exports nothing, and when the probe itself fails', async () => {
    const server = await startMetricsServer({
      host: '127.0.0.1',
      port: 0,
      runtimeAddress: `127.0.0.1:${await freePort()}`,
      healthy: () => Promise.reject(new Error('no answer')),
    });
    try {
      expect((await fetch(`${server.url}/metrics`)).status).toBe(503);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(503);
    } finally {
      await server.close();
    }
  });
});
