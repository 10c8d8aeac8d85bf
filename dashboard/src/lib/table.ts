// The plain table behind every chart: what the accessible table view shows and what CSV export
// writes. Cells carry the formatted text and the raw value; suppressed cells carry neither number.
// Pure and client-safe.

export type CellValue = string | number | null;

export interface TableCell {
  /** What the table shows, formatted for the locale. */
  text: string;
  /** What CSV export writes (a raw number where there is one); null for an empty or suppressed cell. */
  value: CellValue;
  /** A group too small to show (fewer than k people): the text says so and no number is exported. */
  suppressed?: boolean;
}

export interface TableData {
  columns: { label: string; numeric?: boolean }[];
  rows: TableCell[][];
}

export function textCell(text: string): TableCell {
  return { text, value: text };
}

export function numberCell(value: number | null, format: (v: number | null) => string): TableCell {
  return { text: format(value), value };
}

export function suppressedCell(text: string): TableCell {
  return { text, value: null, suppressed: true };
}

// A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;

function csvField(cell: TableCell): string {
  let text: string;
  if (cell.suppressed) text = cell.text;
  else if (typeof cell.value === 'number') return Number.isFinite(cell.value) ? String(cell.value) : '';
  else text = cell.value ?? '';
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV: a header row, then one line per row; raw numbers, suppressed cells as their text. */
export function tableToCsv(table: TableData): string {
  const header = table.columns.map((c) => csvField({ text: c.label, value: c.label }));
  const lines = [header.join(','), ...table.rows.map((row) => row.map(csvField).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

/** A file name from a title and the range, e.g. "reply-latency-2025-03-01-2025-03-28". */
export function exportFileName(title: string, from: string, to: string): string {
  const slug = title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9\u3400-\u9fff]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${slug || 'chart'}-${from}-${to}`;
}
