// The chaos run's figures as the operator reads them.
import { auditPassed } from './audit.js';
import type { ChaosReport } from './run.js';

const list = (items: readonly string[], limit = 10) => (items.length === 0 ? '' : `\n      ${items.slice(0, limit).join('\n      ')}${items.length > limit ? `\n      … and ${items.length - limit} more` : ''}`);

export function formatChaosReport(report: ChaosReport): string {
  const { audit, outbox, faultsInjected } = report;
  const count = (kind: string) => report.disruptions.filter((disruption) => disruption.kind === kind).length;
  const lines = [
    `Chaos run (seed ${report.seed}): ${report.invoices} invoices, ${report.tenants} tenants, ${report.singles} sent one by one + ${report.exports} exports — ${report.wallSeconds} s`,
    `  Fortnox calls:       ${report.fortnoxCalls} (/3)`,
    `  Faults injected:     ${faultsInjected['5xx']} × 5xx, ${faultsInjected['429']} × 429, ${faultsInjected.applyThenDrop} × applied-then-dropped, ${faultsInjected.latency} × latency spike`,
    `  Worker SIGKILLs:     ${count('workerKill')} (+ ${report.unexpectedWorkerExits} exits nobody asked for)`,
    `  Temporal restarts:   ${count('temporalRestart')}`,
    `  Hook restarts:       ${count('hookRestart')}`,
    ...report.disruptions.map((disruption) => `      ${disruption.atSeconds} s  ${disruption.kind.padEnd(16)} away ${disruption.downSeconds} s  (${disruption.progress})`),
    `  Summa deliveries:    ${outbox.deliveries} (${outbox.attempts} attempts: ${outbox.connectionFailures} refused/broken connections, ${outbox.unavailable} × 503; slowest answer ${(outbox.slowestAnswerMs / 1000).toFixed(1)} s)${list(outbox.refused.map((refusal) => `refused ${refusal.status}: ${refusal.delivery} ${refusal.body}`))}`,
    `  Transferred:         ${audit.transferred} of ${audit.sent} (in Fortnox once, same number in Summa)`,
    `  Needs attention:     ${audit.needsAttention.length}${list(audit.needsAttention.map((entry) => `${entry.invoice}: ${entry.message}`))}`,
    `  Duplicates found:    ${audit.duplicates.length}${list(audit.duplicates.map((entry) => `${entry.invoice}: Fortnox ${entry.fortnoxNumbers.join(', ')}`))}`,
    `  Lost found:          ${audit.lost.length}${list(audit.lost)}`,
    `  Write-back wrong:    ${audit.writeBackWrong.length}${list(audit.writeBackWrong.map((entry) => `${entry.invoice}: Fortnox ${entry.fortnox}, Summa ${entry.summa ?? '(nothing)'}`))}`,
    `  Stray in Fortnox:    ${audit.strayFortnoxInvoices.length}${list(audit.strayFortnoxInvoices)}`,
    `  Duplicate registers: ${audit.duplicateCustomers.length} customers, ${audit.duplicateCostCentres.length} cost centres, ${audit.duplicateProjects.length} projects${list([...audit.duplicateCustomers, ...audit.duplicateCostCentres, ...audit.duplicateProjects])}`,
    `  Missing registers:   ${audit.missingRegisterEntries.length}${list(audit.missingRegisterEntries)}`,
    `  Workflows unsettled: ${audit.unfinishedWorkflows.length}${list(audit.unfinishedWorkflows.map((entry) => `${entry.workflowId} ${entry.status}${entry.message === undefined ? '' : `: ${entry.message}`}`))}`,
    `  Audit:               ${auditPassed(audit) ? 'PASSED' : 'FAILED'}`,
  ];
  return lines.join('\n');
}
