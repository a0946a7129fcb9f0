// Writing request fields onto stored records with Fortnox's semantics (reference/fortnox-api.md §4.0):
// `""` means "not provided" and leaves the value as it is ([VCR-23] save_old_with_empty_comments.yml), the
// magic string "API_BLANK" clears it, nested objects (DefaultDeliveryTypes, EmailInformation) merge field by
// field, arrays replace. Only keys that passed the spec check reach here, so no prototype keys do.
import type { Json, WireObject } from './state.js';

/** The value the magic string "API_BLANK" leaves behind: "" where the field defaults to "", else null. */
function blankOf(defaultValue: Json | undefined): Json {
  return defaultValue === '' ? '' : null;
}

function isObject(value: unknown): value is WireObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Writes `input` onto `target` (in place). `defaults` is the record's template, used to know what a cleared
 * field becomes. `skip` names fields the caller handles itself.
 */
export function applyFields(target: WireObject, input: Record<string, unknown>, defaults: WireObject, skip: ReadonlySet<string> = new Set()): void {
  for (const [key, value] of Object.entries(input)) {
    if (skip.has(key) || value === '' || value === undefined) continue;
    if (value === 'API_BLANK') {
      target[key] = blankOf(defaults[key]);
    } else if (isObject(value)) {
      const current = target[key];
      const nested: WireObject = isObject(current) ? current : {};
      const currentDefaults = defaults[key];
      const nestedDefaults: WireObject = isObject(currentDefaults) ? currentDefaults : {};
      applyFields(nested, value, nestedDefaults);
      target[key] = nested;
    } else {
      target[key] = value as Json;
    }
  }
}

/** A deep copy of a JSON value (records are copied out of the seed and into /sandbox/state). */
export function copyJson<T extends Json>(value: T): T {
  return structuredClone(value);
}

/** The string a request gave for `key`, or undefined when it gave none ("" counts as none). */
export function givenString(input: Record<string, unknown>, key: string): string | undefined {
  const value = input[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
