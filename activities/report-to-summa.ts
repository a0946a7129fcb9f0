import { ApplicationFailure } from '@temporalio/activity';
import { classifySummaCallbackError } from '../src/summa/callback-client.js';
import { failureTypes } from '../src/transfer/index.js';
import type { SummaWriteBack } from '../src/summa/write-back.js';
import type { ActivityDeps } from './deps.js';
import { needsAttention } from './failures.js';

/** Tells Summa where the transfer stands (the Fortnox number, what needs fixing, or that it was cancelled). */
export function reportToSumma(deps: ActivityDeps) {
  return async (report: SummaWriteBack): Promise<void> => {
    try {
      await deps.summa.reportTransfer(report);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      if (classifySummaCallbackError(error) === 'permanent') {
        // Summa refused the write-back (a wrong secret, say): retrying cannot help until someone fixes it.
        throw needsAttention(`Summa tog inte emot besked om faktura ${report.invoiceId} (${detail}) — kontrollera integrationens inställningar för Summa och tryck Försök igen.`);
      }
      throw ApplicationFailure.create({ type: failureTypes.summaUnavailable, message: `Summa svarar inte just nu: ${detail}`, nonRetryable: false });
    }
  };
}
