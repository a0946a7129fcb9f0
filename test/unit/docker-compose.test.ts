import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { configSchema, loadConfig } from '../../src/config/env.js';
import { projectRoot } from '../../src/paths.js';
import { searchAttributes } from '../../src/transfer/index.js';

// There is no Docker engine here, so the file is checked for what `docker compose up` relies on.
const service = z.object({
  image: z.string(),
  build: z.string().optional(),
  profiles: z.array(z.string()).optional(),
  environment: z.record(z.string(), z.string()).optional(),
  ports: z.array(z.string()).optional(),
  healthcheck: z.object({ test: z.array(z.string()) }).optional(),
  stop_grace_period: z.string().optional(),
  depends_on: z.record(z.string(), z.object({ condition: z.string() })).optional(),
  volumes: z.array(z.string()).optional(),
  command: z.array(z.string()).optional(),
});
const compose = z.object({ services: z.record(z.string(), service), volumes: z.record(z.string(), z.unknown()) }).parse(
  parse(readFileSync(path.join(projectRoot, 'docker-compose.temporal.yml'), 'utf8')),
);
const services = compose.services;
const get = (name: string) => {
  const found = services[name];
  if (found === undefined) throw new Error(`service ${name} is missing`);
  return found;
};

describe('docker-compose.temporal.yml', () => {
  it('runs PostgreSQL, the schema set-up, the Temporal server, the Web UI and the admin tools', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['postgresql', 'temporal', 'temporal-admin-tools', 'temporal-schema', 'temporal-setup', 'temporal-ui', 'summa-fortnox-worker', 'summa-fortnox-hook'].sort(),
    );
  });

  it("runs the integration's worker and hook only under the integration profile, from the Dockerfile's image", () => {
    const [worker, hook] = [get('summa-fortnox-worker'), get('summa-fortnox-hook')];
    for (const [name, found] of Object.entries(services)) {
      expect(found.profiles, name).toEqual(name.startsWith('summa-fortnox-') ? ['integration'] : undefined);
    }
    expect(worker.build).toBe('.');
    expect(hook.image).toBe(worker.image);
    expect(worker.command).toEqual(['node', 'dist/src/cli/worker.js']);
    expect(hook.command).toEqual(['node', 'dist/src/cli/hook.js']);
    // The commands run compiled sources that exist.
    for (const command of [worker.command, hook.command]) {
      const source = command?.[1]?.replace(/^dist\//, '').replace(/\.js$/, '.ts') ?? '';
      expect(existsSync(path.join(projectRoot, source)), source).toBe(true);
    }
    expect(worker.depends_on).toEqual({ 'temporal-setup': { condition: 'service_completed_successfully' } });
    expect(hook.ports).toEqual(['8787:8787']);
  });

  it('configures the integration with settings it has, pointed at this Temporal, its health probe on METRICS_PORT', () => {
    for (const name of ['summa-fortnox-worker', 'summa-fortnox-hook']) {
      const { environment: raw = {}, healthcheck, volumes = [] } = get(name);
      // As compose interpolates it in a shell with none of them set: `${NAME:-default}` is the default.
      const environment = Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, value.replace(/\$\{\w+:-([^}]*)\}/g, '$1')]));
      for (const setting of Object.keys(environment)) expect(Object.keys(configSchema.shape), `${name}: ${setting}`).toContain(setting);
      expect(environment.TEMPORAL_ADDRESS).toBe('temporal:7233');
      expect(loadConfig(environment).METRICS_PORT, name).toBe(9464);
      expect(healthcheck?.test.join(' ')).toContain(`127.0.0.1:${environment.METRICS_PORT}/healthz`);
      expect(volumes).toContain(`./tenants.json:${environment.TENANTS_FILE}:ro`);
    }
  });

  it('pins every image to an explicit version', () => {
    for (const [name, { image }] of Object.entries(services)) {
      expect(image, name).toMatch(/^[\w./-]+:\d+\.\d+[\w.-]*$/);
    }
  });

  it('publishes the frontend on 7233 and the Web UI on 8080', () => {
    expect(get('temporal').ports).toContain('7233:7233');
    expect(get('temporal-ui').ports).toContain('8080:8080');
  });

  it('health-checks the long-running services and starts each only after what it needs is healthy', () => {
    for (const name of ['postgresql', 'temporal', 'temporal-ui']) expect(get(name).healthcheck?.test.length, name).toBeGreaterThan(0);
    for (const name of ['summa-fortnox-worker', 'summa-fortnox-hook']) expect(get(name).healthcheck?.test.length, name).toBeGreaterThan(0);
    expect(get('temporal-schema').depends_on).toEqual({ postgresql: { condition: 'service_healthy' } });
    expect(get('temporal').depends_on).toEqual({ 'temporal-schema': { condition: 'service_completed_successfully' } });
    for (const name of ['temporal-setup', 'temporal-ui', 'temporal-admin-tools']) {
      expect(get(name).depends_on, name).toEqual({ temporal: { condition: 'service_healthy' } });
    }
  });

  it('keeps the database on a named volume', () => {
    const [volume] = get('postgresql').volumes ?? [];
    expect(volume).toBe('temporal-postgres:/var/lib/postgresql/data');
    expect(compose.volumes).toHaveProperty('temporal-postgres');
    expect(get('summa-fortnox-worker').volumes).toContain('summa-fortnox-data:/data');
    expect(compose.volumes).toHaveProperty('summa-fortnox-data');
  });

  it("registers exactly the project's search attributes", () => {
    const script = (get('temporal-setup').command ?? []).join('\n');
    const names = /for name in ([\w ]+); do/.exec(script)?.[1]?.split(' ');
    expect(names?.sort()).toEqual(searchAttributes.map((key) => key.name).sort());
  });
});
