/**
 * A run's lifecycle, enforced here and nowhere else:
 *
 *   starting ──(spawned)──▶ running ──(cancel())──▶ stopping ──(tree gone)──▶ exited
 *       │                      │                                              ▲
 *       │                      └──(the script's process exited; leftovers killed)──┘
 *       └──(spawn failed: startRun rejects with a UserFacingError; the events folder is removed)
 *
 *  - starting: interpreter validated, events folder created, process not yet confirmed running.
 *  - running:  output streams, stdin is writable, the sampler and the event tailer tick.
 *  - stopping: cancel() was called: SIGINT to the process group, then SIGTERM, then the tree is
 *              frozen (SIGSTOP) and SIGKILLed — the group plus every descendant the procfs scan
 *              found (also those that left the group with setsid) — within 1 s in total.
 *  - exited:   the tree is gone, listeners removed, the report built, the events folder removed.
 *              Nothing of the run may still be running once this state is reached.
 */
export type RunState = 'starting' | 'running' | 'stopping' | 'exited';

const ALLOWED: Record<RunState, readonly RunState[]> = {
  starting: ['running', 'exited'],
  running: ['stopping', 'exited'],
  stopping: ['exited'],
  exited: [],
};

export class Lifecycle {
  private current: RunState = 'starting';

  get state(): RunState {
    return this.current;
  }

  /** Moves to `next`; an illegal move is a bug and throws. Moving to the same state is a no-op. */
  to(next: RunState): void {
    if (next === this.current) return;
    if (!ALLOWED[this.current].includes(next)) {
      throw new Error(`run lifecycle: ${this.current} → ${next} is not allowed`);
    }
    this.current = next;
  }

  is(...states: RunState[]): boolean {
    return states.includes(this.current);
  }
}
