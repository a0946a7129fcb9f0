import { ApplicationFailure } from '@temporalio/activity';
import {
  classifyFortnoxError,
  FortnoxApiError,
  FortnoxCallRefusedError,
  FortnoxError,
  FortnoxReauthorisationRequiredError,
  FortnoxRequestInvalidError,
  authorizeCommand,
} from '../src/fortnox/errors.js';
import { failureTypes } from '../src/transfer/index.js';

/** A failure a person must act on, with the message that tells them what to do. */
export function needsAttention(message: string, details: Record<string, unknown> = {}): ApplicationFailure {
  return ApplicationFailure.create({ type: failureTypes.needsAttention, message, nonRetryable: true, details: [details] });
}

/**
 * Converts any error from a Fortnox call into the failure Temporal acts on (a call refused unsent passes through): retryable ones keep their backoff
 * (429 with Fortnox's window as the next delay), the rest become NeedsAttention with a Swedish message naming
 * what to fix. `what` names the thing being written, e.g. "kunden 1042".
 */
export function fortnoxFailure(error: unknown, what: string): ApplicationFailure | FortnoxCallRefusedError {
  // Not a failure: a step run from cache met a call it may not make; activities/index.ts hands it to the queue.
  if (error instanceof ApplicationFailure || error instanceof FortnoxCallRefusedError) return error;
  const verdict = classifyFortnoxError(error);
  if (verdict.kind === 'retryable') {
    return ApplicationFailure.create({
      type: failureTypes.fortnoxUnavailable,
      message: `Fortnox svarar inte just nu (${error instanceof Error ? error.message : String(error)})`,
      nonRetryable: false,
      ...(verdict.retryAfterMs === undefined ? {} : { nextRetryDelay: verdict.retryAfterMs }),
    });
  }
  if (error instanceof FortnoxReauthorisationRequiredError) {
    return needsAttention(
      `Fortnox behöver godkänna integrationen på nytt för ${error.tenant}: en administratör i Fortnox-företaget ` +
        `godkänner summa-fortnox igen${error.serviceAccount ? ' som tjänstekonto' : ''} (driften kör \`${authorizeCommand(error.tenant, error.serviceAccount)}\`), ` +
        `tryck sedan Försök igen. (${error.reason})`,
      { reauthorise: true },
    );
  }
  if (error instanceof FortnoxRequestInvalidError) {
    const fields = error.problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ');
    return needsAttention(`Fortnox tar inte emot ${what}: ${fields} — rätta uppgiften i Summa och tryck Försök igen.`);
  }
  if (error instanceof FortnoxApiError) {
    return needsAttention(`${explainFortnoxCode(error, what)} (Fortnox felkod ${error.code ?? error.status}: ${error.fortnoxMessage})`, {
      fortnoxCode: error.code,
      httpStatus: error.status,
    });
  }
  const message = error instanceof FortnoxError || error instanceof Error ? error.message : String(error);
  return needsAttention(`Oväntat fel när ${what} skulle skrivas till Fortnox: ${message}`);
}

/** What a Fortnox error code means for the person who must fix it. */
function explainFortnoxCode(error: FortnoxApiError, what: string): string {
  switch (error.code) {
    case 2001304:
      return `Ett konto på fakturan finns inte i Fortnox — lägg upp kontot i Fortnox eller byt konto i Summa och tryck Försök igen`;
    case 2000946:
      return `Ett konto på fakturan kräver kostnadsställe — ange kostnadsställe på raden i Summa och tryck Försök igen`;
    case 2000947:
      return `Ett kostnadsställe på fakturan är inaktivt i Fortnox — aktivera det i Fortnox eller byt kostnadsställe i Summa och tryck Försök igen`;
    case 2000637:
      return `Kundnumret på ${what} är redan använt i Fortnox (kanske av en raderad kund) — ändra kundnumret i Summa och tryck Försök igen`;
    case 2001161:
      return `Projektet på fakturan finns inte i Fortnox — lägg upp projektet eller ta bort projektnumret i Summa och tryck Försök igen`;
    default:
      return `Fortnox avvisade ${what} — rätta uppgiften i Summa eller Fortnox och tryck Försök igen`;
  }
}
