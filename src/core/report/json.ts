/**
 * The report as JSON (`--json`, the panel's export): indented objects, number arrays kept on
 * one line (a long run has many thousands of samples per core), and a check for reading one back.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Report } from './model';

export const REPORT_SCHEMA = 'parascope.report/1';

export function reportToJson(report: Report): string {
  const text = JSON.stringify(report, null, 2);
  // Collapse arrays that hold only numbers / null: `[\n  1,\n  2\n]` → `[1,2]`.
  return `${text.replace(/\[\s*((?:-?[\d.eE+-]+|null)(?:,\s*(?:-?[\d.eE+-]+|null))*)\s*\]/g, (_, inner: string) => `[${inner.replace(/\s+/g, '')}]`)}\n`;
}

/** Parses a report written by `reportToJson`; throws a readable error on anything else. */
export function parseReportJson(text: string): Report {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || (value as { schema?: unknown }).schema !== REPORT_SCHEMA) {
    throw new Error(`not a Parascope report (expected "schema": "${REPORT_SCHEMA}")`);
  }
  return value as Report;
}

export async function writeText(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text, 'utf8');
}

export function writeReportJson(path: string, report: Report): Promise<void> {
  return writeText(path, reportToJson(report));
}
