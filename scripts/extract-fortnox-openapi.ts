// Extracts the part of Fortnox's official OpenAPI file that this project uses (paths, their parameters and every
// schema they reference) into src/sandbox/fortnox/openapi-subset.json. The sandbox validates requests against it
// and the tests check the client's request bodies with it; the full 1 MB file is not needed at run time.
//
//   npx tsx scripts/extract-fortnox-openapi.ts path/to/fortnox-openapi.json
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../src/paths.js';

const usedPaths = [
  '/3/customers',
  '/3/customers/{CustomerNumber}',
  '/3/invoices',
  '/3/invoices/{DocumentNumber}',
  '/3/invoices/{DocumentNumber}/bookkeep',
  '/3/invoices/{DocumentNumber}/cancel',
  '/3/invoices/{DocumentNumber}/credit',
  '/3/invoices/{DocumentNumber}/email',
  '/3/invoices/{DocumentNumber}/einvoice',
  '/3/invoices/{DocumentNumber}/eprint',
  '/3/costcenters',
  '/3/costcenters/{Code}',
  '/3/projects',
  '/3/projects/{ProjectNumber}',
  '/3/accounts',
  '/3/accounts/{Number}',
  '/3/financialyears',
  '/3/financialyears/{Id}',
  '/3/companyinformation',
  '/3/currencies',
  '/3/currencies/{Code}',
  '/3/termsofpayments',
  '/3/termsofpayments/{Code}',
  '/3/units',
  '/3/units/{Code}',
  '/3/invoicepayments',
  '/3/invoicepayments/{Number}',
  '/3/invoicepayments/{Number}/bookkeep',
];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const source = process.argv[2];
if (source === undefined) {
  console.error('usage: tsx scripts/extract-fortnox-openapi.ts <fortnox-openapi.json>');
  process.exit(2);
}
const spec = JSON.parse(readFileSync(source, 'utf8')) as {
  openapi: string;
  info: Json;
  paths: Record<string, Json>;
  components: { schemas: Record<string, Json> };
};

const schemas: Record<string, Json> = {};
function collectRefs(node: Json): void {
  if (Array.isArray(node)) return node.forEach(collectRefs);
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') {
      const name = value.replace('#/components/schemas/', '');
      if (schemas[name] !== undefined) continue;
      const schema = spec.components.schemas[name];
      if (schema === undefined) throw new Error(`unresolved $ref ${value}`);
      schemas[name] = schema;
      collectRefs(schema);
    } else {
      collectRefs(value);
    }
  }
}

const paths: Record<string, Json> = {};
for (const p of usedPaths) {
  const item = spec.paths[p];
  if (item === undefined) throw new Error(`path ${p} is not in the specification`);
  paths[p] = item;
  collectRefs(item);
}

const subset = {
  openapi: spec.openapi,
  info: spec.info,
  'x-source': 'Subset of the official Fortnox OpenAPI file, made by scripts/extract-fortnox-openapi.ts',
  paths,
  components: { schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))) },
};
const target = path.join(projectRoot, 'src', 'sandbox', 'fortnox', 'openapi-subset.json');
writeFileSync(target, `${JSON.stringify(subset, null, 2)}\n`);
console.log(`${Object.keys(paths).length} paths and ${Object.keys(schemas).length} schemas written to ${path.relative(projectRoot, target)}`);
