import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/*
 * The custom search attributes operators filter by in the Web UI and `temporal workflow list --query`. Every
 * server the integration runs on must have them registered: the dev server gets them at start, a production
 * cluster through `temporal operator search-attribute create` (see docker-compose.temporal.yml). Pure: imported by
 * workflow code.
 */
export const TenantKey = defineSearchAttributeKey('Tenant', SearchAttributeType.KEYWORD);
export const SummaInvoiceIdKey = defineSearchAttributeKey('SummaInvoiceId', SearchAttributeType.KEYWORD);
export const TransferStatusKey = defineSearchAttributeKey('TransferStatus', SearchAttributeType.KEYWORD);
export const FortnoxInvoiceNumberKey = defineSearchAttributeKey('FortnoxInvoiceNumber', SearchAttributeType.KEYWORD);
export const FortnoxCustomerNumberKey = defineSearchAttributeKey('FortnoxCustomerNumber', SearchAttributeType.KEYWORD);

/** Every custom search attribute, for registering them on a server. */
export const searchAttributes = [TenantKey, SummaInvoiceIdKey, TransferStatusKey, FortnoxInvoiceNumberKey, FortnoxCustomerNumberKey];
