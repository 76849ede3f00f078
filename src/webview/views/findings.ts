/** Findings: each one a button that opens the file at the line (posts `openLocation`). */
import type { Finding, Severity } from '../../core/report/model';
import { h } from '../dom';
import { site } from '../format';
import { post } from '../vscodeApi';

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/** A small button naming `file:line` that opens it in the editor. */
export function locationButton(location: { file: string; line: number }, label = site(location)): HTMLButtonElement {
  const button = h('button', {
    type: 'button', class: 'link', 'data-file': location.file, 'data-line': location.line,
    title: `${location.file}:${location.line}`, 'aria-label': `Open ${site(location)}`,
  }, label);
  button.addEventListener('click', () => post({ type: 'openLocation', file: location.file, line: location.line }));
  return button;
}

export function renderFindings(findings: readonly Finding[]): HTMLElement {
  const sorted = [...findings].sort((a, b) => (ORDER[a.severity] ?? 9) - (ORDER[b.severity] ?? 9) || a.line - b.line);
  return h('section', { class: 'findings', 'aria-labelledby': 'findings-title' },
    h('h2', { id: 'findings-title' }, `Findings (${findings.length})`),
    sorted.length === 0
      ? h('p', { class: 'muted' }, 'No findings: nothing in this run failed to pickle or broke a parallel-safety rule.')
      : h('ul', { class: 'finding-list' }, ...sorted.map((finding) => {
          const button = h('button', {
            type: 'button', class: 'finding', 'data-rule': finding.rule, 'data-severity': finding.severity,
            'data-file': finding.file, 'data-line': finding.line,
          },
          h('span', { class: `severity ${finding.severity}` }, finding.severity),
          h('span', { class: 'rule' }, finding.rule),
          h('span', { class: 'message' }, finding.message,
            finding.path ? ` — ${finding.path}${finding.type ? ` (${finding.type})` : ''}` : ''),
          h('span', { class: 'where' }, site(finding)));
          button.addEventListener('click', () => post({ type: 'openLocation', file: finding.file, line: finding.line }));
          return h('li', {}, button);
        })));
}
