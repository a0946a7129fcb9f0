export { invoiceTransfer } from './invoice-transfer.js';
export { invoiceExport } from './invoice-export.js';
export { fortnoxBudget } from './fortnox-budget.js';
