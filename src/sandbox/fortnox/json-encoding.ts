// Fortnox's responses are PHP json_encode output: every non-ASCII character is escaped as \uXXXX and every
// slash as \/ ("Leveransv\u00e4gen", "https:\/\/api.fortnox.se\/3\/invoices\/97", [VCR-23], [VCR-26] in
// reference/fortnox-api.md §4.0). A client that parses JSON properly does not notice; one that searches the
// raw text does, so the sandbox writes the same bytes.

/** JSON text of `value`, escaped the way Fortnox escapes it. */
export function fortnoxJson(value: unknown): string {
  // Non-ASCII characters and slashes only ever occur inside JSON strings, so escaping the whole text is safe.
  // Each UTF-16 code unit is escaped on its own, which writes astral characters as surrogate pairs, as PHP does.
  return JSON.stringify(value)
    .replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');
}
