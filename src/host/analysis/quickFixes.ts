/**
 * Quick fixes for Parascope diagnostics: the analyzer computes them (only where the change is
 * mechanical and safe); this turns them into code actions.
 */
import * as vscode from 'vscode';
import type { AnalysisService } from './service';
import { DIAGNOSTIC_SOURCE } from './service';

export class QuickFixProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly service: AnalysisService) {}

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (ours.length === 0 && context.only && !context.only.contains(vscode.CodeActionKind.QuickFix)) return [];
    const current = this.service.current(document);
    if (!current) return [];
    const actions: vscode.CodeAction[] = [];
    for (const finding of current.result.findings) {
      if (!finding.fix) continue;
      const findingRange = new vscode.Range(document.positionAt(finding.start), document.positionAt(finding.end));
      if (!findingRange.intersection(range) && !findingRange.contains(range)) continue;
      const action = new vscode.CodeAction(finding.fix.title, vscode.CodeActionKind.QuickFix);
      const edit = new vscode.WorkspaceEdit();
      for (const e of finding.fix.edits) {
        edit.replace(document.uri, new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.text);
      }
      action.edit = edit;
      action.isPreferred = true;
      action.diagnostics = ours.filter((d) => (typeof d.code === 'object' ? d.code.value : d.code) === finding.rule && d.range.isEqual(findingRange));
      actions.push(action);
    }
    return actions;
  }
}
