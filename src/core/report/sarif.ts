/**
 * SARIF 2.1.0 for `parascope check --format sarif` (code-scanning uploads, IDE viewers).
 * One run; every rule of the catalogue in `tool.driver.rules`; results point at files relative
 * to `%SRCROOT%` (the folder the check ran in) when they are inside it. Columns are UTF-16 code
 * units, 1-based, `endColumn` exclusive — the same numbers as the text and JSON output.
 */
import { pathToFileURL } from 'node:url';
import { isAbsolute, relative, sep } from 'node:path';
import type { Finding, Severity } from './model';
import { RULES, ruleMarkdown } from '../analyze/ruleDocs';

export interface SarifNotification {
  level: 'note' | 'warning' | 'error';
  message: string;
  file?: string;
  line?: number;
}

export interface SarifOptions {
  toolVersion: string;
  /** Absolute folder the paths are relative to (`%SRCROOT%`). */
  root: string;
  /** Things about the run itself: unreadable files, Python 2 files. */
  notifications?: SarifNotification[];
}

type SarifLevel = 'error' | 'warning' | 'note';

export function sarifLevel(severity: Severity): SarifLevel {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

export function toSarif(findings: readonly Finding[], options: SarifOptions): object {
  const ruleIndex = new Map(RULES.map((rule, i) => [rule.id, i]));
  const rootUri = pathToFileURL(options.root.endsWith(sep) ? options.root : `${options.root}${sep}`).href;
  const location = (file: string) => {
    const absolute = isAbsolute(file) ? file : `${options.root}${sep}${file}`;
    const rel = relative(options.root, absolute);
    if (rel && !rel.startsWith('..') && !isAbsolute(rel)) {
      return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: 'SRCROOT' };
    }
    return { uri: pathToFileURL(absolute).href };
  };
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Parascope',
            version: options.toolVersion,
            rules: RULES.map((rule) => ({
              id: rule.id,
              name: rule.name,
              shortDescription: { text: rule.title },
              fullDescription: { text: rule.explanation },
              help: { text: rule.fix, markdown: ruleMarkdown(rule.id) },
              defaultConfiguration: { level: sarifLevel(rule.severity) },
              properties: { tags: ['parallelism', 'multiprocessing'] },
            })),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: rootUri } },
        columnKind: 'utf16CodeUnits',
        results: findings.map((f) => ({
          ruleId: f.rule,
          ...(ruleIndex.has(f.rule) ? { ruleIndex: ruleIndex.get(f.rule) } : {}),
          level: sarifLevel(f.severity),
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: location(f.file),
                region: {
                  startLine: f.line,
                  ...(f.column !== undefined ? { startColumn: f.column } : {}),
                  ...(f.endLine !== undefined ? { endLine: f.endLine } : {}),
                  ...(f.endColumn !== undefined ? { endColumn: f.endColumn } : {}),
                },
              },
            },
          ],
        })),
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: (options.notifications ?? []).map((n) => ({
              level: n.level,
              message: { text: n.message },
              ...(n.file
                ? { locations: [{ physicalLocation: { artifactLocation: location(n.file), ...(n.line ? { region: { startLine: n.line } } : {}) } }] }
                : {}),
            })),
          },
        ],
      },
    ],
  };
}
