// The /3 API: matches a route, then does what Fortnox's gateway and API do before a resource sees the request —
// bearer token (401 {"message":"unauthorized"}), scope, rate limit (429), Accept, query parameters, content
// type, JSON, the spec check — and turns the resource's result or FortnoxApiError into a response.
import { type ApiContext, type ApiRoute } from './api.js';
import { errorInformation, FortnoxApiError, FortnoxCode, invalid, SandboxCode } from './errors.js';
import { emptyResponse, fortnoxJsonResponse, mediaType, type SandboxRequest, type SandboxResponse } from './http.js';
import { checkRequestBody, findOperation, type Operation } from './openapi.js';
import type { SlidingWindowLimiter } from './rate-limit.js';
import { errorForProblem } from './request-errors.js';
import { accountRoutes } from './resources/accounts.js';
import { companyInformationRoutes } from './resources/company-information.js';
import { costCentreRoutes } from './resources/cost-centres.js';
import { currencyRoutes } from './resources/currencies.js';
import { customerRoutes } from './resources/customers.js';
import { financialYearRoutes } from './resources/financial-years.js';
import { invoicePaymentRoutes } from './resources/invoice-payments.js';
import { invoiceRoutes } from './resources/invoices.js';
import { projectRoutes } from './resources/projects.js';
import { termsOfPaymentRoutes } from './resources/terms-of-payments.js';
import { unitRoutes } from './resources/units.js';
import type { Tenants } from './tenants.js';
import type { Grant, TokenStore } from './tokens.js';

export interface ApiDeps {
  tenants: Tenants;
  tokens: TokenStore;
  limiter: SlidingWindowLimiter;
  baseUrl: () => string;
  today: () => string;
}

/** Query parameters every resource accepts (reference/fortnox-api.md §4.0, "Global parameters"). */
const GLOBAL_QUERY = new Set(['page', 'limit', 'offset', 'sortby', 'sortorder', 'financialyear', 'financialyeardate', 'lastmodified']);

interface CompiledRoute {
  route: ApiRoute;
  segments: string[];
  operation: Operation;
  allowedQuery: Set<string>;
}

export type RouteMatch =
  | { kind: 'found'; compiled: CompiledRoute; params: Record<string, string> }
  | { kind: 'wrongMethod'; template: string }
  | { kind: 'notFound' };

function compileRoutes(routes: readonly ApiRoute[]): CompiledRoute[] {
  return routes.map((route) => {
    const operation = findOperation(route.method, route.template);
    if (operation === undefined) throw new Error(`sandbox route ${route.method} ${route.template} is not in openapi-subset.json`);
    const allowedQuery = new Set([...GLOBAL_QUERY, ...operation.queryParameters.keys(), ...(route.extraQuery ?? [])]);
    return { route, segments: route.template.split('/').filter((segment) => segment !== ''), operation, allowedQuery };
  });
}

const compiledRoutes = compileRoutes([
  ...customerRoutes,
  ...invoiceRoutes,
  ...invoicePaymentRoutes,
  ...costCentreRoutes,
  ...projectRoutes,
  ...accountRoutes,
  ...financialYearRoutes,
  ...companyInformationRoutes,
  ...currencyRoutes,
  ...termsOfPaymentRoutes,
  ...unitRoutes,
]);

/** Finds the route for a method and decoded path segments. */
export function matchApiRoute(method: string, segments: readonly string[]): RouteMatch {
  let template: string | undefined;
  for (const compiled of compiledRoutes) {
    if (compiled.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = compiled.segments.every((part, index) => {
      const actual = segments[index] ?? '';
      if (part.startsWith('{') && part.endsWith('}')) {
        params[part.slice(1, -1)] = actual;
        return true;
      }
      return part === actual;
    });
    if (!matches) continue;
    if (compiled.route.method === method) return { kind: 'found', compiled, params };
    template = compiled.route.template;
  }
  return template === undefined ? { kind: 'notFound' } : { kind: 'wrongMethod', template };
}

function errorResponse(error: FortnoxApiError): SandboxResponse {
  return fortnoxJsonResponse(error.status, errorInformation(error));
}

/** The bearer token of a request, if it sends one. */
export function bearerToken(request: SandboxRequest): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
}

function acceptsJson(header: string | undefined): boolean {
  if (header === undefined || header.trim() === '') return true;
  return header.split(',').some((part) => ['application/json', 'application/*', '*/*'].includes(mediaType(part) ?? ''));
}

/** Answers a request for a matched /3 route. Unexpected exceptions propagate (the server answers 500). */
export function handleApi(request: SandboxRequest, body: Buffer, match: Extract<RouteMatch, { kind: 'found' }>, deps: ApiDeps): SandboxResponse {
  const token = bearerToken(request);
  const grant: Grant | undefined = token === undefined ? undefined : deps.tokens.verifyAccessToken(token);
  const tenant = grant === undefined ? undefined : deps.tenants.get(grant.tenantId);
  // Fortnox's gateway answers every authentication failure the same way ([VCR-23] expired_token.yml).
  if (grant === undefined || tenant === undefined || !deps.tenants.hasConsent(grant.tenantId)) {
    return fortnoxJsonResponse(401, { message: 'unauthorized' });
  }
  const { compiled, params } = match;
  try {
    if (!grant.scope.split(' ').includes(compiled.route.scope)) {
      // Status undocumented; the code and message are Invantive's report of 2000663.
      throw new FortnoxApiError(403, FortnoxCode.scopeNotAuthorised, `Har inte behörighet för scope (${compiled.route.scope})`, 'lowercase');
    }
    if (!deps.limiter.tryAcquire(`${grant.clientId}\u0000${grant.tenantId}`, Date.now())) {
      // No Retry-After: Fortnox documents none (§2).
      return fortnoxJsonResponse(429, { message: 'Too Many Requests' });
    }
    if (!acceptsJson(request.headers.accept)) throw invalid(FortnoxCode.invalidResponseType, 'Invalid response type');
    for (const name of request.query.keys()) {
      if (!compiled.allowedQuery.has(name)) throw invalid(FortnoxCode.invalidParameter, `Ogiltig parameter i anropet (${name})`);
    }
    const content = parseBody(request, body, compiled);
    const context: ApiContext = { tenant, params, query: request.query, body: content, baseUrl: deps.baseUrl(), today: deps.today(), now: Date.now() };
    const result = compiled.route.handle(context);
    return result.body === undefined ? emptyResponse(result.status, result.headers) : fortnoxJsonResponse(result.status, result.body, result.headers);
  } catch (error) {
    if (error instanceof FortnoxApiError) return errorResponse(error);
    throw error;
  }
}

/** The validated wrapped object of a request that takes a body; {} for operations without one. */
function parseBody(request: SandboxRequest, body: Buffer, compiled: CompiledRoute): Record<string, unknown> {
  if (compiled.operation.body === undefined) return {}; // action PUTs (bookkeep, cancel, credit) ignore a body
  if (body.length === 0 && compiled.route.bodyOptional === true) return {};
  if (body.length === 0) throw invalid(FortnoxCode.noOrWrongData, 'Ingen eller felaktig typ av data');
  if (mediaType(request.headers['content-type']) !== 'application/json') throw invalid(FortnoxCode.invalidContentType, 'Invalid content type');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw invalid(FortnoxCode.invalidJson, 'Error deserializing JSON: JSON_ERROR_SYNTAX');
  }
  const check = checkRequestBody(compiled.route.method, compiled.route.template, parsed, { readOnly: 'ignore' });
  const [problem] = check.problems;
  if (problem !== undefined) throw errorForProblem(problem);
  return check.content;
}

/** 404 for a path under /3 that is no Fortnox resource, 405 for a known path with the wrong method. */
export function unmatchedApiResponse(request: SandboxRequest, match: Exclude<RouteMatch, { kind: 'found' }>): SandboxResponse {
  if (match.kind === 'wrongMethod') {
    return errorResponse(new FortnoxApiError(405, SandboxCode.methodNotAllowed, `Metoden ${request.method} stöds inte för ${match.template}`, 'capitalised'));
  }
  return errorResponse(new FortnoxApiError(404, SandboxCode.unknownEndpoint, `Okänd resurs (${request.path})`, 'capitalised'));
}
