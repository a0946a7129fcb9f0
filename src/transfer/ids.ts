/** The workflow ids: one transfer per Summa invoice and one export per Summa export, so a repeat joins the first. */
export const invoiceWorkflowId = (tenant: string, invoiceId: string) => `invoice/${tenant}/${invoiceId}`;
export const exportWorkflowId = (tenant: string, exportId: string) => `export/${tenant}/${exportId}`;
