/**
 * Explanations of the rules as read-only virtual documents (`parascope-rule:/PAR001.md`): each
 * diagnostic's code links here, so clicking `PAR001` in the Problems view or a hover opens why
 * it fails and how to fix it.
 */
import * as vscode from 'vscode';
import { ruleMarkdown } from '../../core/analyze';

export class RuleDocumentProvider implements vscode.TextDocumentContentProvider {
  static readonly scheme = 'parascope-rule';

  provideTextDocumentContent(uri: vscode.Uri): string {
    return ruleMarkdown(uri.path.replace(/^\//, '').replace(/\.md$/, ''));
  }
}

/** Where a rule's explanation lives. */
export function ruleUri(rule: string): vscode.Uri {
  return vscode.Uri.from({ scheme: RuleDocumentProvider.scheme, path: `/${rule}.md` });
}
