// Summa's side of the hook as the chaos run plays it: every invoice and export is delivered, signed, until the
// hook accepts it — through refused connections (hook restarting), 503s (Temporal down) and timeouts — the way
// Summa's outbox retries a delivery it has not seen acknowledged.
import { setTimeout as sleep } from 'node:timers/promises';
import type { SummaInvoice } from '../../src/summa/invoice-contract.js';
import { signSummaRequest } from '../../src/summa/signature.js';

export type Delivery = { kind: 'invoice'; invoice: SummaInvoice } | { kind: 'export'; tenant: string; exportId: string; invoices: SummaInvoice[] };

export interface OutboxFigures {
  deliveries: number;
  /** HTTP requests made, first tries and retries together. */
  attempts: number;
  /** Retries after a refused or broken connection (the hook was down). */
  connectionFailures: number;
  /** Retries after a 5xx (Temporal was down). */
  unavailable: number;
  /** The longest an accepted delivery waited for its answer, in ms (the hook holds a request while Temporal restarts). */
  slowestAnswerMs: number;
  /** Answers other than 2xx/5xx: the hook refused a delivery Summa thought valid. Must stay 0. */
  refused: { delivery: string; status: number; body: string }[];
}

const nameOf = (delivery: Delivery) => (delivery.kind === 'invoice' ? `invoice ${delivery.invoice.tenant}/${delivery.invoice.invoiceId}` : `export ${delivery.tenant}/${delivery.exportId}`);

/** Delivers each of `deliveries`, `concurrency` at a time, retrying each until it is accepted or refused. */
export async function deliverAll(options: {
  hookUrl: string;
  secret: string;
  deliveries: readonly Delivery[];
  concurrency: number;
  /** Spread the first tries evenly over this many ms, as users finishing orders through the day do; default 0. */
  spreadOverMs?: number;
  /** Told after each accepted delivery, with how many have been accepted so far. */
  onAccepted?: (accepted: number) => void;
}): Promise<OutboxFigures> {
  const figures: OutboxFigures = { deliveries: options.deliveries.length, attempts: 0, connectionFailures: 0, unavailable: 0, slowestAnswerMs: 0, refused: [] };
  let next = 0;
  let accepted = 0;
  const started = performance.now();
  const spacing = (options.spreadOverMs ?? 0) / Math.max(1, options.deliveries.length);

  async function deliver(delivery: Delivery): Promise<void> {
    const [path, payload] =
      delivery.kind === 'invoice'
        ? ['/hooks/summa/invoices', delivery.invoice]
        : ['/hooks/summa/exports', { tenant: delivery.tenant, exportId: delivery.exportId, invoices: delivery.invoices }];
    const body = JSON.stringify(payload);
    for (let attempt = 0; ; attempt += 1) {
      figures.attempts += 1;
      const sent = performance.now();
      try {
        // Signed anew on every attempt: Summa's timestamp is the sending time.
        const response = await fetch(`${options.hookUrl}${path}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...signSummaRequest(options.secret, { method: 'POST', path, body }, { tenant: delivery.kind === 'invoice' ? delivery.invoice.tenant : delivery.tenant }) },
          body,
          signal: AbortSignal.timeout(30_000),
        });
        const text = await response.text();
        if (response.ok) {
          figures.slowestAnswerMs = Math.max(figures.slowestAnswerMs, Math.round(performance.now() - sent));
          return;
        }
        if (response.status < 500) {
          figures.refused.push({ delivery: nameOf(delivery), status: response.status, body: text.slice(0, 500) });
          return;
        }
        figures.unavailable += 1;
      } catch {
        figures.connectionFailures += 1;
      }
      await sleep(Math.min(5_000, 250 * 2 ** Math.min(attempt, 5)));
    }
  }

  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      for (let index = next++; index < options.deliveries.length; index = next++) {
        const delivery = options.deliveries[index];
        if (delivery === undefined) continue;
        const due = started + index * spacing - performance.now();
        if (due > 0) await sleep(due);
        await deliver(delivery);
        accepted += 1;
        options.onAccepted?.(accepted);
      }
    }),
  );
  return figures;
}
