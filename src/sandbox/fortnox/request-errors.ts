// A request-body problem (openapi.ts) as the Fortnox error the sandbox answers with. Fortnox reports one error
// per request, so only the first problem is answered. Documented codes where Fortnox has one (2001392, 2001399,
// 2000108, 2000134, reference/fortnox-api.md §3.3); the sandbox's own 2999xxx codes otherwise (errors.ts).
import { FortnoxCode, invalid, SandboxCode, type FortnoxApiError } from './errors.js';
import type { BodyProblem } from './openapi.js';

/** A value as Fortnox's "({Value})" placeholders show it. */
function shown(value: unknown): string {
  if (typeof value === 'string') return value;
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

export function errorForProblem(problem: BodyProblem): FortnoxApiError {
  const { field, value, limit } = problem;
  switch (problem.kind) {
    case 'unknownField':
      return invalid(FortnoxCode.invalidFieldName, `Felaktigt fältnamn (${field})`);
    case 'type':
      switch (problem.expected) {
        case 'boolean':
          return invalid(FortnoxCode.notBoolean, `Värdet måste vara en boolean (${shown(value)})`);
        case 'string':
          return invalid(SandboxCode.notAString, `Värdet måste vara en textsträng (${field}: ${shown(value)})`);
        case 'object':
        case 'array':
          return invalid(FortnoxCode.noOrWrongData, `Ingen eller felaktig typ av data (${field})`);
        default:
          return invalid(FortnoxCode.notNumeric, `Värdet måste vara numeriskt (${shown(value)})`);
      }
    case 'required':
      return invalid(SandboxCode.requiredField, `Fältet ${field} måste anges`);
    case 'maxLength':
      return invalid(SandboxCode.tooLong, `Värdet i fältet ${field} är för långt (högst ${String(limit)} tecken)`);
    case 'minLength':
      return invalid(SandboxCode.tooShort, `Värdet i fältet ${field} är för kort (minst ${String(limit)} tecken)`);
    case 'enum':
      return invalid(SandboxCode.notInEnum, `Ogiltigt värde i fältet ${field} (${shown(value)})`);
    case 'minimum':
      return invalid(SandboxCode.outOfRange, `Värdet i fältet ${field} måste vara minst ${String(limit)} (${shown(value)})`);
    case 'maximum':
      return invalid(SandboxCode.outOfRange, `Värdet i fältet ${field} får vara högst ${String(limit)} (${shown(value)})`);
    case 'format':
      return invalid(SandboxCode.invalidDate, `Ogiltigt datum i fältet ${field} (${shown(value)})`);
    default:
      return invalid(FortnoxCode.noOrWrongData, 'Ingen eller felaktig typ av data');
  }
}
