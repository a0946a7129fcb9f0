import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/*
 * The custom search attributes operators filter by in the Web UI and `temporal workflow list --query`. Every
 * server the integration runs on must have them registered: the dev server gets them at start, a production
 * cluster through `temporal operator search-attribute create` (see docker-compose.temporal.yml).
 */
export const Tenant = defineSearchAttributeKey('Tenant', SearchAttributeType.KEYWORD);
export const SummaInvoiceId = defineSearchAttributeKey('SummaInvoiceId', SearchAttributeType.KEYWORD);
export const TransferStatus = defineSearchAttributeKey('TransferStatus', SearchAttributeType.KEYWORD);
export const FortnoxInvoiceNumber = defineSearchAttributeKey('FortnoxInvoiceNumber', SearchAttributeType.KEYWORD);
export const FortnoxCustomerNumber = defineSearchAttributeKey('FortnoxCustomerNumber', SearchAttributeType.KEYWORD);

export const searchAttributes = [Tenant, SummaInvoiceId, TransferStatus, FortnoxInvoiceNumber, FortnoxCustomerNumber];
