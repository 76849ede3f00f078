import * as assert from 'node:assert/strict';
import { splitStatements } from '../../../src/core/analyze/syntax/split';

/** The statements' texts. */
function parts(text: string): string[] {
  return splitStatements(text).map((s) => text.slice(s.start, s.end));
}

describe('static checks: splitting a module into top-level statements', () => {
  it('keeps compound statements, decorators and continuations together', () => {
    const text = [
      'import os',
      '@decorate',
      '@other(1)',
      'def f():',
      '    return 1',
      '# a comment at column 0 inside nothing',
      'if x:',
      '    pass',
      'elif y:',
      '    pass',
      'else:',
      '    pass',
      'try:',
      '    pass',
      'except E:',
      '    pass',
      'finally:',
      '    pass',
      'total = 1 + \\',
      '2',
      '',
    ].join('\n');
    assert.deepEqual(parts(text), [
      'import os',
      '@decorate\n@other(1)\ndef f():\n    return 1',
      'if x:\n    pass\nelif y:\n    pass\nelse:\n    pass',
      'try:\n    pass\nexcept E:\n    pass\nfinally:\n    pass',
      'total = 1 + \\\n2',
    ]);
  });

  it('does not split inside brackets or strings that reach column 0', () => {
    const text = 'x = [\n1,\n2]\ns = """\ndef not_a_def():\n"""\nt = f"{ {"a": 1}["a"] }"\nu = \'#\' # c\n';
    assert.deepEqual(parts(text), ['x = [\n1,\n2]', 's = """\ndef not_a_def():\n"""', 't = f"{ {"a": 1}["a"] }"', "u = '#'"]);
  });

  it('keeps a comment inside a body with its statement, and blank lines out', () => {
    const text = 'def f():\n    a = 1\n# comment at column 0\n    b = 2\n\n\nx = 1\n';
    assert.deepEqual(parts(text), ['def f():\n    a = 1\n# comment at column 0\n    b = 2', 'x = 1']);
  });

  it('recovers at the next definition after an unclosed bracket, and says so', () => {
    const text = 'def f():\n    g(1,\n\ndef h():\n    pass\n';
    const slices = splitStatements(text);
    assert.deepEqual(slices.map((s) => text.slice(s.start, s.end)), ['def f():\n    g(1,', 'def h():\n    pass']);
    assert.deepEqual(slices.map((s) => s.unclosed), [true, false]);
  });

  it('flags a string left open at the end of the file', () => {
    const slices = splitStatements('x = 1\ny = """never closed\n');
    assert.deepEqual(slices.map((s) => s.unclosed), [false, true]);
  });

  it('handles CRLF line endings and a file without a final newline', () => {
    assert.deepEqual(parts('a = 1\r\nb = 2'), ['a = 1', 'b = 2']);
  });
});
