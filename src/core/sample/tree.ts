/**
 * Which processes belong to the workload — pure, tested on made-up process tables.
 *
 * A process is identified by pid + start time (field 22 of its stat), so a reused pid is never
 * mistaken for a worker. The workload is:
 *  - the root and its descendants by ppid (children start no earlier than their parent);
 *  - members of the root's process group or session (the launcher makes the root lead both),
 *    started no earlier than the root — also after the root exited, so orphans left in the
 *    group are still found;
 *  - every process seen in the workload before that is still alive with the same start time —
 *    a worker that called `setsid()` and whose parent then died is reparented to init and would
 *    otherwise be lost (this is what cancellation relies on to leave nothing behind).
 */

export interface ProcEntry {
  pid: number;
  ppid: number;
  pgrp: number;
  session: number;
  startTime: number;
}

export function procKey(entry: { pid: number; startTime: number }): string {
  return `${entry.pid}:${entry.startTime}`;
}

export function selectWorkload(
  table: Iterable<ProcEntry>,
  root: { pid: number; startTime: number },
  known: ReadonlySet<string> = new Set(),
): ProcEntry[] {
  const byParent = new Map<number, ProcEntry[]>();
  const byPid = new Map<number, ProcEntry>();
  for (const entry of table) {
    byPid.set(entry.pid, entry);
    const siblings = byParent.get(entry.ppid);
    if (siblings) siblings.push(entry);
    else byParent.set(entry.ppid, [entry]);
  }
  const selected = new Map<number, ProcEntry>();
  const queue: ProcEntry[] = [];
  const add = (entry: ProcEntry) => {
    if (selected.has(entry.pid)) return;
    selected.set(entry.pid, entry);
    queue.push(entry);
  };
  const rootEntry = byPid.get(root.pid);
  const rootAlive = rootEntry !== undefined && rootEntry.startTime === root.startTime;
  if (rootAlive) add(rootEntry);
  for (const entry of byPid.values()) {
    if (known.has(procKey(entry))) add(entry);
    else if (root.startTime >= 0 && entry.startTime >= root.startTime && (entry.pgrp === root.pid || entry.session === root.pid)) add(entry);
  }
  while (queue.length > 0) {
    const parent = queue.pop() as ProcEntry;
    for (const child of byParent.get(parent.pid) ?? []) {
      if (child.startTime >= parent.startTime) add(child);
    }
  }
  return [...selected.values()];
}
