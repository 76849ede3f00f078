/**
 * The pool configuration: the override asked for, every pool the script created with what it
 * asked for and what ran instead ("your code asked for ThreadPoolExecutor(4) at a.py:12; this run
 * used processes × 2 (spawn)"), the interpreter and the sampler.
 */
import type { PoolInstance, PythonInfo } from '../../core/report/model';
import type { WireReport } from '../../protocol';
import { h } from '../dom';
import { plural, poolShape, site } from '../format';
import type { RunData } from '../runData';
import { locationButton } from './findings';

function poolCall(instance: PoolInstance): string {
  const api = String(instance.api ?? 'pool').split('.').pop() || 'pool';
  return `${api}(${instance.requested?.workers ?? ''})`;
}

function instanceSentence(instance: PoolInstance): string {
  const where = instance.site ? ` at ${site(instance.site)}` : '';
  const e = instance.effective;
  const ran = poolShape(e.kind, e.workers, e.startMethod);
  const chunks = e.chunksize && e.chunksize !== instance.requested?.chunksize ? `, chunksize ${e.chunksize}` : '';
  return instance.replaced
    ? `your code asked for ${poolCall(instance)}${where}; this run used ${ran}${chunks}`
    : `${poolCall(instance)}${where} ran as written: ${ran}${chunks}`;
}

export function pythonWords(python: PythonInfo | null | undefined): string {
  if (!python) return 'interpreter not known yet';
  const gil = python.freeThreaded ? (python.gilEnabled ? 'free-threaded build, GIL enabled' : 'free-threaded, no GIL') : 'GIL enabled';
  return `${python.implementation ?? 'Python'} ${python.version} · ${gil} · ${python.executable}`;
}

function samplerWords(report: WireReport | null, data: RunData): string {
  const every = `every ${data.sampleIntervalMs} ms`;
  if (!report?.sampler) return `per-core samples ${every}`;
  const kind = report.sampler.kind === 'procfs' ? 'exact per-core counters (procfs)' : 'coarse per-core counters (os.cpus — approximate)';
  return `${kind} ${every}, ${plural(report.sampler.samples ?? 0, 'sample')}`;
}

export function renderPool(data: RunData): HTMLElement {
  const pool = data.pool;
  const instances = Array.isArray(pool?.instances) ? pool.instances : [];
  const override = !pool || pool.kind === 'asis'
    ? 'none — the pools ran as the code creates them'
    : poolShape(pool.kind, pool.workers, pool.startMethod) + (pool.chunksize ? `, chunksize ${pool.chunksize}` : '');
  return h('section', { class: 'pool', 'aria-labelledby': 'pool-title' },
    h('h2', { id: 'pool-title' }, 'Pool configuration'),
    h('dl', {},
      h('dt', {}, 'Override'), h('dd', { 'data-override': pool?.kind ?? 'asis' }, override),
      h('dt', {}, 'Pools'),
      h('dd', {}, instances.length === 0
        ? (data.live ? 'The pools appear here as the script creates them.' : 'The script created no pool (raw processes or threads show as lanes).')
        : h('ul', { class: 'instances' }, ...instances.map((instance) => h('li', { 'data-replaced': instance.replaced ? 'true' : 'false' },
            instanceSentence(instance), instance.site ? ' ' : null,
            instance.site ? locationButton(instance.site, 'open') : null)))),
      h('dt', {}, 'Python'), h('dd', {}, pythonWords(data.python)),
      h('dt', {}, 'Sampling'), h('dd', {}, samplerWords(data.report, data))));
}
