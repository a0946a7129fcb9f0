import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure, type Info } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import type { ActivityDeps } from '../../activities/index.js';
import { DEFAULT_POSTING, type PostingOptions } from '../../src/config/tenants.js';
import type { RateLimit } from '../../src/fortnox/rate-limiter.js';
import { tenantCaches } from '../../src/fortnox/tenant-cache.js';
import { SANDBOX_CLIENT, type FortnoxSandbox } from '../../src/sandbox/fortnox/index.js';
import type { SummaWriteBack } from '../../src/summa/write-back.js';
import type { FortnoxControl } from '../../src/testkit/fortnox-control.js';
import { failureTypes } from '../../src/transfer/index.js';
import { fortnoxClients } from '../../src/worker/fortnox-clients.js';
import { failureOf } from './failure-of.js';

/** The Summa tenant the activity tests use, served by sandbox tenant '1' (as `anInvoice()` expects). */
export const TENANT = 'demo';

/** Activities log their failures at WARN; the tests provoke failures on purpose. */
const silentLogger = new DefaultLogger('ERROR');

let tokenDir: string | undefined;

/**
 * What a worker hands the activities, wired as src/worker/index.ts wires them but against a Fortnox sandbox: the
 * production client factory (with its local-activity guard and the activity's cancellation signal), a fresh tenant
 * cache, the tenant's posting options. `summa` defaults to an object that records what it is told.
 */
export function sandboxActivityDeps(
  sandbox: FortnoxSandbox,
  options: { posting?: Partial<PostingOptions>; rateLimit?: RateLimit; summa?: ActivityDeps['summa'] } = {},
): ActivityDeps & { reports: SummaWriteBack[] } {
  tokenDir ??= mkdtempSync(path.join(os.tmpdir(), 'activity-tokens-'));
  const posting: PostingOptions = { ...DEFAULT_POSTING, ...options.posting };
  const tenants = { [TENANT]: { fortnox: { auth: 'clientCredentials' as const, tenantId: '1' }, posting } };
  const clients = fortnoxClients(
    () => tenants,
    { apiBaseUrl: sandbox.url, authBaseUrl: `${sandbox.url}/oauth-v1`, ...SANDBOX_CLIENT },
    options.rateLimit ?? { requests: 10_000, windowMs: 1_000 },
    tokenDir,
  );
  const reports: SummaWriteBack[] = [];
  return {
    reports,
    fortnoxFor: (tenant) => clients.clientFor(tenant),
    cacheFor: tenantCaches(),
    postingFor: () => posting,
    summa: options.summa ?? {
      reportTransfer(report) {
        reports.push(report);
        return Promise.resolve();
      },
    },
  };
}

/** A fresh activity Context (Temporal's own mock: heartbeats, cancellation, `info`), quiet about failures. */
export function activityEnvironment(info: Partial<Info> = {}): MockActivityEnvironment {
  return new MockActivityEnvironment(info, { logger: silentLogger });
}

/** Runs one activity in a fresh Context, as a worker would (a regular activity, attempt 1, unless `info` says otherwise). */
export function runActivity<I, O>(activity: (input: I) => Promise<O>, input: I, info: Partial<Info> = {}): Promise<O> {
  return activityEnvironment(info).run(activity, input);
}

/** The API calls the sandbox received since its last reset, in order, as "METHOD /3/route". */
export async function apiCalls(control: FortnoxControl): Promise<string[]> {
  return (await control.requests()).filter((request) => request.route.startsWith('/3/')).map((request) => `${request.method} ${request.route}`);
}

/** The calls of `apiCalls` that change something in Fortnox (Fortnox's send calls are GETs that send). */
export async function apiWrites(control: FortnoxControl): Promise<string[]> {
  return (await apiCalls(control)).filter((call) => !call.startsWith('GET ') || /\/(email|einvoice|eprint)$/.test(call));
}

/** The failure an activity rejects with, checked to be of Temporal failure `type` (NeedsAttention: never retried). */
export async function activityFailure(promise: Promise<unknown>, type: string = failureTypes.needsAttention): Promise<ApplicationFailure> {
  const error = await failureOf(promise);
  if (!(error instanceof ApplicationFailure)) throw new Error(`expected an ApplicationFailure, got ${String(error)}`, { cause: error });
  if (error.type !== type) throw new Error(`expected a ${type} failure, got ${String(error.type)}: ${error.message}`, { cause: error });
  if (error.nonRetryable !== (type === failureTypes.needsAttention)) throw new Error(`${type} failure with nonRetryable ${String(error.nonRetryable)}`, { cause: error });
  return error;
}
