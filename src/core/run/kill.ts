/**
 * Ending a workload's whole process tree — nothing is left running, ever.
 *
 * Targets are the process group the launcher made the root lead, plus every live process the
 * procfs scan attributes to the workload (descendants by ppid, group/session members, and
 * processes seen before that left the group with `setsid()` and were reparented).
 *
 * Cancel: SIGINT (Python's Ctrl+C: `finally` blocks and pool shutdown run), then SIGTERM, then
 * the tree is frozen with SIGSTOP — rescanned until no new process appears, so nothing can fork
 * its way out — and SIGKILLed. The steps fit in 1 s. Cleanup after the script's own exit skips
 * SIGINT and gives leftovers a shorter grace.
 */

export interface TreeTarget {
  pid: number;
  startTime: number;
}

export interface KillContext {
  /** The process group (the root's pid), when the platform has groups. */
  pgid: number | undefined;
  /** Live workload processes, by a fresh scan (empty where there is no procfs). */
  scan: () => TreeTarget[];
  /** Has the root process exited (its 'exit' event)? */
  rootExited: () => boolean;
}

export interface KillTimings {
  interruptMs: number;
  terminateMs: number;
  killMs: number;
}

export const CANCEL_TIMINGS: KillTimings = { interruptMs: 350, terminateMs: 250, killMs: 300 };
export const CLEANUP_TIMINGS: KillTimings = { interruptMs: 0, terminateMs: 150, killMs: 300 };

const POLL_MS = 20;

function send(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone (ESRCH) or not ours (EPERM): nothing to do
  }
}

/** Does any process of the group still exist (zombies included)? */
function groupExists(pgid: number | undefined): boolean {
  if (pgid === undefined || process.platform === 'win32') return false;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalAll(ctx: KillContext, targets: TreeTarget[], signal: NodeJS.Signals): void {
  if (ctx.pgid !== undefined && process.platform !== 'win32') send(-ctx.pgid, signal);
  for (const target of targets) send(target.pid, signal);
  if (process.platform === 'win32' && ctx.pgid !== undefined && !ctx.rootExited()) send(ctx.pgid, signal);
}

/** Is anything of the tree still running? (Zombies do not count: they are dead.) */
export function treeAlive(ctx: KillContext): boolean {
  if (!ctx.rootExited()) return true;
  const live = ctx.scan();
  if (live.length > 0) return true;
  // Without procfs the group is the only handle on the tree.
  return process.platform !== 'linux' && groupExists(ctx.pgid);
}

async function waitGone(ctx: KillContext, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (!treeAlive(ctx)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Freezes the tree (rescanning until no new process shows up), then SIGKILLs all of it. */
export function freezeAndKill(ctx: KillContext): void {
  const seen = new Map<number, TreeTarget>();
  for (let round = 0; round < 8; round++) {
    const found = ctx.scan().filter((t) => !seen.has(t.pid));
    for (const target of found) seen.set(target.pid, target);
    signalAll(ctx, found, 'SIGSTOP');
    if (found.length === 0 && round > 0) break;
  }
  signalAll(ctx, [...seen.values()], 'SIGKILL');
}

/**
 * Ends the tree; resolves once nothing of it runs (true), or false if something survived even
 * SIGKILL for `killMs` (a process stuck in uninterruptible sleep) — then it keeps trying in the
 * background for a few seconds more.
 */
export async function terminateTree(ctx: KillContext, timings: KillTimings): Promise<boolean> {
  if (!treeAlive(ctx)) return true;
  if (timings.interruptMs > 0) {
    signalAll(ctx, ctx.scan(), 'SIGINT');
    if (await waitGone(ctx, timings.interruptMs)) return true;
  }
  if (timings.terminateMs > 0) {
    signalAll(ctx, ctx.scan(), 'SIGTERM');
    if (await waitGone(ctx, timings.terminateMs)) return true;
  }
  freezeAndKill(ctx);
  if (await waitGone(ctx, timings.killMs)) return true;
  for (let attempt = 0; attempt < 10; attempt++) {
    freezeAndKill(ctx);
    if (await waitGone(ctx, 300)) return true;
  }
  return false;
}

/** Synchronous last resort (the host process is exiting): SIGKILL everything known now. */
export function killTreeSync(ctx: KillContext): void {
  try {
    freezeAndKill(ctx);
  } catch {
    // exiting anyway
  }
}
