import { setTimeout as sleep } from 'node:timers/promises';
import { isGrpcServiceError, type Connection } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import { msToTs } from '@temporalio/common/lib/time.js';
import proto from '@temporalio/proto';

// The package is CommonJS: its namespaces come through the default export only.
const { IndexedValueType } = proto.temporal.api.enums.v1;

/** gRPC status codes we act on (grpc/status.h). */
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;

const indexedValueTypes: Record<SearchAttributeType, proto.temporal.api.enums.v1.IndexedValueType> = {
  TEXT: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  INT: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  DOUBLE: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  BOOL: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  DATETIME: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  KEYWORD_LIST: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

const hasCode = (error: unknown, code: number) => isGrpcServiceError(error) && (error.code as number) === code;

export interface NamespaceSetup {
  namespace: string;
  /** How long closed workflows are kept, in days. */
  retentionDays: number;
  /** Custom search attributes, as made by `defineSearchAttributeKey`. */
  searchAttributes: readonly { name: string; type: SearchAttributeType }[];
}

/**
 * Makes sure a server that someone else runs has the namespace and the custom search attributes: registers what is
 * missing and leaves what exists, so it is safe to call at every start. With SQL visibility search attributes belong
 * to a namespace, so each namespace gets its own. Returns what it had to create.
 */
export async function ensureNamespace(connection: Connection, setup: NamespaceSetup): Promise<{ namespaceCreated: boolean; searchAttributesAdded: string[] }> {
  let namespaceCreated = false;
  try {
    await connection.workflowService.registerNamespace({
      namespace: setup.namespace,
      workflowExecutionRetentionPeriod: msToTs(`${setup.retentionDays} days`),
    });
    namespaceCreated = true;
  } catch (error) {
    if (!hasCode(error, ALREADY_EXISTS)) throw error;
  }

  // A namespace registered a moment ago can be unknown to the operator service until its namespace cache refreshes.
  for (let attempt = 0; ; attempt += 1) {
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: setup.namespace });
      const missing = setup.searchAttributes.filter((key) => !Object.hasOwn(customAttributes, key.name));
      if (missing.length > 0) {
        await connection.operatorService.addSearchAttributes({
          namespace: setup.namespace,
          searchAttributes: Object.fromEntries(missing.map((key) => [key.name, indexedValueTypes[key.type]])),
        });
      }
      return { namespaceCreated, searchAttributesAdded: missing.map((key) => key.name) };
    } catch (error) {
      if (!hasCode(error, NOT_FOUND) || attempt >= 40) throw error;
      await sleep(250);
    }
  }
}
