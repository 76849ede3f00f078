import * as assert from 'node:assert/strict';
import { isToWebviewMessage, parseFromWebview } from '../../src/protocol';
import { encodeMessage } from '../../src/protocolCodec';

describe('protocol', () => {
  it('accepts each webview message in its exact shape', () => {
    assert.deepEqual(parseFromWebview({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseFromWebview({ type: 'openLocation', file: '/w/a b/ü.py', line: 12 }), { type: 'openLocation', file: '/w/a b/ü.py', line: 12 });
    assert.deepEqual(parseFromWebview({ type: 'exportReport', format: 'trace' }), { type: 'exportReport', format: 'trace' });
    assert.deepEqual(parseFromWebview({ type: 'stopRun', extra: 'ignored' }), { type: 'stopRun' });
    assert.deepEqual(parseFromWebview({ type: 'exportReport', format: 'html', target: 'sweep' }), { type: 'exportReport', format: 'html', target: 'sweep' });
  });

  it('rejects malformed or hostile messages', () => {
    for (const bad of [
      null, 'ready', [], { type: 'nope' }, { type: 'openLocation', file: 'a.py', line: 0 },
      { type: 'openLocation', file: 'a.py', line: 1.5 }, { type: 'openLocation', file: 'a\0.py', line: 3 },
      { type: 'openLocation', file: 42, line: 3 }, { type: 'exportReport', format: 'exe' }, { type: 'exportReport' },
      { type: 'exportReport', format: 'json', target: 'disk' }, { type: 'exportReport', format: 'json', target: 1 },
    ]) {
      assert.equal(parseFromWebview(bad), undefined, JSON.stringify(bad));
    }
  });

  it('recognises host messages structurally, sample columns plain or encoded', () => {
    assert.ok(isToWebviewMessage({ type: 'runSamples', runId: 'r', batch: { t: [] } }));
    assert.ok(isToWebviewMessage(encodeMessage({ type: 'runSamples', runId: 'r', batch: { t: [0.1], coresUsed: [1], busy: [[1]], workload: [[1]], steal: [[0]] } })));
    assert.ok(!isToWebviewMessage({ type: 'runSamples', runId: 1, batch: {} }));
    assert.ok(!isToWebviewMessage({ type: 'ready' }));
  });
});
