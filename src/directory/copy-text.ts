/** PostgreSQL's COPY text format: tab-separated, \N for NULL, backslash escapes. */

export type CopyValue = string | boolean | null;

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export function copyField(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c] ?? c) : value;
}

/** One row, newline included. */
export function copyLine(values: CopyValue[]): string {
  return `${values.map(copyField).join('\t')}\n`;
}
