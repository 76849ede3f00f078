/** A hover on `Value`/`Array` type codes (`Value("d", 0.0)`): the C type and Python type, and the whole table. */
import * as vscode from 'vscode';
import { typeCodeMarkdown } from '../../core/analyze';
import type { AnalysisService } from './service';

export class TypeCodeHoverProvider implements vscode.HoverProvider {
  constructor(private readonly service: AnalysisService) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | null {
    const current = this.service.current(document);
    if (!current) return null;
    const span = current.doc.typeCodeAt(document.offsetAt(position));
    if (!span) return null;
    const markdown = new vscode.MarkdownString(`**Parascope** — \`multiprocessing\` type code\n\n${typeCodeMarkdown(span.code)}`);
    return new vscode.Hover(markdown, new vscode.Range(document.positionAt(span.start), document.positionAt(span.end)));
  }
}
