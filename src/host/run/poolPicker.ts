/**
 * The pool quick picks: kind, then workers, then (for processes) the start method. Pre-filled
 * from the settings the first time, then from the last choice (kept per workspace).
 */
import * as vscode from 'vscode';
import * as os from 'node:os';
import type { PoolOverrideKind, StartMethod } from '../../core/report/model';
import { setting } from '../settings';

export interface PoolChoice {
  kind: PoolOverrideKind;
  workers: number | null;
  startMethod: StartMethod | null;
  chunksize: number | null;
}

const LAST_CHOICE_KEY = 'parascope.lastPoolChoice';

const KINDS: { pool: PoolOverrideKind; label: string; detail: string }[] = [
  { pool: 'asis', label: 'As written', detail: 'Run the pools exactly as the code creates them.' },
  { pool: 'process', label: 'Processes', detail: 'Every pool becomes a process pool: CPU work runs in parallel; payloads must pickle.' },
  { pool: 'thread', label: 'Threads', detail: 'Every pool becomes a thread pool: good for waiting (I/O); CPU work is held by the GIL.' },
  { pool: 'serial', label: 'Serial', detail: 'Tasks run one after another in the calling thread: the baseline.' },
  { pool: 'interpreter', label: 'Interpreters', detail: 'InterpreterPoolExecutor (Python 3.14+): one GIL per worker, no pickling of the function.' },
];

export function defaultChoice(resource?: vscode.Uri): PoolChoice {
  const workers = setting('pool.workers', resource);
  const startMethod = setting('pool.startMethod', resource);
  const chunksize = setting('pool.chunksize', resource);
  return {
    kind: setting('pool.kind', resource),
    workers: workers > 0 ? workers : null,
    startMethod: startMethod === 'default' ? null : startMethod,
    chunksize: chunksize > 0 ? chunksize : null,
  };
}

export function lastChoice(state: vscode.Memento, resource?: vscode.Uri): PoolChoice {
  return state.get<PoolChoice>(LAST_CHOICE_KEY) ?? defaultChoice(resource);
}

/** Asks for kind, workers and start method. Undefined when the user dismissed a pick. */
export async function pickPool(state: vscode.Memento, resource?: vscode.Uri): Promise<PoolChoice | undefined> {
  const previous = lastChoice(state, resource);
  const kindItems = KINDS.map((k) => ({ ...k, description: k.pool === previous.kind ? '(last used)' : undefined }));
  const kind = await quickPick(kindItems, 'Parascope: Run under which pool?', previous.kind, (i) => i.pool);
  if (!kind) return undefined;
  if (kind.pool === 'asis') {
    const choice: PoolChoice = { kind: 'asis', workers: null, startMethod: null, chunksize: previous.chunksize };
    await state.update(LAST_CHOICE_KEY, choice);
    return choice;
  }

  const cpus = os.availableParallelism();
  const counts = [...new Set([1, 2, 4, 8, 16, 32, cpus, cpus * 2])].filter((n) => n <= Math.max(64, cpus * 2)).sort((a, b) => a - b);
  const workerItems: (vscode.QuickPickItem & { workers: number | null })[] = [
    { label: 'As the code asks', detail: 'Keep the worker count each pool is created with.', workers: null },
    ...counts.map((n) => ({ label: `${n} worker${n === 1 ? '' : 's'}`, description: n === cpus ? `(${cpus} CPUs here)` : undefined, workers: n })),
  ];
  const workers = await quickPick(workerItems, `Parascope: How many ${kind.label.toLowerCase()}?`, previous.workers, (i) => i.workers);
  if (!workers) return undefined;

  let startMethod: StartMethod | null = null;
  if (kind.pool === 'process') {
    const methods: (vscode.QuickPickItem & { method: StartMethod | null })[] = [
      { label: 'Default', detail: "The interpreter's and the code's own choice.", method: null },
      { label: 'fork', detail: 'Children copy the parent: fast, nothing pickled at start; unsafe with threads.', method: 'fork' },
      { label: 'spawn', detail: 'Fresh interpreters re-import the main module: what macOS and Windows do.', method: 'spawn' },
      { label: 'forkserver', detail: "A clean server process forks the workers: Linux's default from Python 3.14.", method: 'forkserver' },
    ];
    const method = await quickPick(methods, 'Parascope: Which start method?', previous.startMethod, (i) => i.method);
    if (!method) return undefined;
    startMethod = method.method;
  }
  const choice: PoolChoice = { kind: kind.pool, workers: workers.workers, startMethod, chunksize: previous.chunksize };
  await state.update(LAST_CHOICE_KEY, choice);
  return choice;
}

/** A quick pick whose active item is the one matching `current`. */
function quickPick<T extends vscode.QuickPickItem, V>(items: T[], title: string, current: V, value: (item: T) => V): Promise<T | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<T>();
    pick.title = title;
    pick.items = items;
    pick.matchOnDetail = true;
    const active = items.find((i) => value(i) === current);
    if (active) pick.activeItems = [active];
    let chosen: T | undefined;
    pick.onDidAccept(() => {
      chosen = pick.selectedItems[0] ?? pick.activeItems[0];
      pick.hide();
    });
    pick.onDidHide(() => {
      pick.dispose();
      resolve(chosen);
    });
    pick.show();
  });
}

/** "processes × 2 (spawn)" */
export function describeChoice(choice: PoolChoice): string {
  if (choice.kind === 'asis') return 'pools as written';
  const name = { serial: 'serial', thread: 'threads', process: 'processes', interpreter: 'interpreters' }[choice.kind];
  const workers = choice.workers === null ? '' : ` × ${choice.workers}`;
  return `${name}${workers}${choice.startMethod ? ` (${choice.startMethod})` : ''}`;
}
