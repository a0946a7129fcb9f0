// Injected faults on /3 and /oauth-v1 (never on /sandbox), so that clients can be tested against what goes
// wrong in production: 5xx answers, 429s, slow answers, dropped connections, and the worst one, a request that
// was carried out but whose answer was lost (applyThenDrop: the invoice exists, the client saw a network error).
import { randomInt } from 'node:crypto';
import { z } from 'zod';

export const faultInputSchema = z
  .strictObject({
    route: z.string().min(1).optional().describe('A route template such as /3/invoices/{DocumentNumber}, or a path prefix such as /3/invoices'),
    method: z.string().min(1).optional(),
    tenant: z.string().min(1).optional(),
    kind: z.enum(['status', 'latency', 'reset', 'applyThenDrop']),
    status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(429)]).optional(),
    latencyMs: z.number().int().min(0).max(600_000).optional(),
    count: z.number().int().min(1).optional().describe('Only the next N matching calls'),
    rate: z.number().min(0).max(1).optional().describe('The share of matching calls hit, drawn from a seeded PRNG'),
    seed: z.number().int().optional(),
  })
  .refine((fault) => fault.kind !== 'status' || fault.status !== undefined, { message: 'kind "status" needs status (500, 502, 503 or 429)', path: ['status'] })
  .refine((fault) => fault.kind !== 'latency' || fault.latencyMs !== undefined, { message: 'kind "latency" needs latencyMs', path: ['latencyMs'] });

export type FaultInput = z.infer<typeof faultInputSchema>;

export interface Fault extends FaultInput {
  id: string;
  hits: number;
  /** How many more calls it hits; null when unlimited. */
  remaining: number | null;
}

interface ActiveFault {
  fault: Fault;
  random: () => number;
}

export interface FaultTarget {
  route: string;
  path: string;
  method: string;
  tenant: string | null;
}

/** mulberry32: a small seeded PRNG, so a `rate` fault hits the same calls on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Whether `prefix` is `value` or a path prefix of it at a segment boundary. */
function coversPath(prefix: string, value: string): boolean {
  const base = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  return value === base || value.startsWith(`${base}/`);
}

export class Faults {
  private active: ActiveFault[] = [];
  private nextId = 1;

  add(input: FaultInput): Fault {
    const fault: Fault = { ...input, id: `fault-${this.nextId}`, hits: 0, remaining: input.count ?? null };
    this.nextId += 1;
    this.active.push({ fault, random: seededRandom(input.seed ?? randomInt(2 ** 31)) });
    return fault;
  }

  list(): Fault[] {
    return this.active.map(({ fault }) => ({ ...fault }));
  }

  clear(): void {
    this.active = [];
  }

  /** The first fault that matches the call and fires for it (spending one of its count), if any. */
  take(target: FaultTarget): Fault | undefined {
    for (const { fault, random } of this.active) {
      if (fault.remaining === 0) continue;
      if (fault.method !== undefined && fault.method.toUpperCase() !== target.method) continue;
      if (fault.tenant !== undefined && fault.tenant !== target.tenant) continue;
      if (fault.route !== undefined && !coversPath(fault.route, target.route) && !coversPath(fault.route, target.path)) continue;
      if (fault.rate !== undefined && random() >= fault.rate) continue;
      fault.hits += 1;
      if (fault.remaining !== null) fault.remaining -= 1;
      return { ...fault };
    }
    return undefined;
  }
}
