import { z } from 'zod';
import { FortnoxRequestInvalidError } from './errors.js';

/*
 * Lenient readers for what Fortnox sends back. Fortnox returns numbers as strings ("1", "false"), empty dates and
 * unset fields as "" or null, and "API_NORIGHT" in fields the company has no licence for (fortnox-api.md §4.0).
 * All of these read as "no value" (undefined) or as the intended type.
 */
const noValue = (value: unknown) => value === null || value === '' || value === 'API_NORIGHT';

export const looseString = z.preprocess(
  (value) => (noValue(value) ? undefined : typeof value === 'number' || typeof value === 'boolean' ? String(value) : value),
  z.string().optional(),
);

export const looseNumber = z.preprocess((value) => {
  if (noValue(value)) return undefined;
  if (typeof value === 'string') {
    const parsed = Number(value.replace(',', '.'));
    return Number.isFinite(parsed) ? parsed : value;
  }
  return value;
}, z.number().optional());

export const looseBoolean = z.preprocess((value) => {
  if (noValue(value)) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}, z.boolean().optional());

/** Fortnox's `MetaInformation` on every list answer. */
export const metaInformationSchema = z.looseObject({
  '@TotalResources': looseNumber,
  '@TotalPages': looseNumber,
  '@CurrentPage': looseNumber,
});

/** `YYYY-MM-DD`, the only date format Fortnox takes. */
export const isoDate = z.iso.date();

/** A Fortnox text field with the characters Fortnox accepts; `max` from the OpenAPI file. */
export const text = (max: number) => z.string().max(max);

/** Checks a request body against its strict schema before sending, naming every offending field. */
export function validRequest<S extends z.ZodType>(request: string, schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new FortnoxRequestInvalidError(
    request,
    result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  );
}
