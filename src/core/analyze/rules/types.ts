/** What a rule gets and gives: the module view, and a way to report a finding (with an optional fix). */
import type { Severity } from '../../report/model';
import type { ModuleView } from '../module';
import type { Span } from '../syntax/ir';

/** A text replacement, in document offsets (UTF-16). */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** A mechanical, safe change offered as a quick fix. */
export interface Fix {
  title: string;
  edits: TextEdit[];
}

export interface Draft {
  rule: string;
  /** Where the finding points. */
  at: Span;
  /** One sentence naming the object and why. */
  message: string;
  /** Defaults to the rule's severity (ruleDocs.ts). */
  severity?: Severity;
  fix?: Fix;
}

export interface RuleContext {
  view: ModuleView;
  report(draft: Draft): void;
  /** Records a `Value`/`Array` type code literal (for hovers). */
  typeCode(at: Span, code: string): void;
}

export type Rule = (ctx: RuleContext) => void;

/** Source text of a node, shortened for messages. */
export function describe(node: Span, max = 40): string {
  const text = node.top.text.slice(node.s, node.e).replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Absolute start offset of a node. */
export function abs(node: Span): number {
  return node.top.base + node.s;
}
