/**
 * Incremental tailing of the harness's per-process event files (`events-<pid>.jsonl`).
 *
 * Each poll reads only the bytes appended since the last one. A line is handled once its `\n`
 * has arrived; the unfinished tail stays (as bytes, so a UTF-8 character split across two
 * writes is never mangled) until it completes. `finish()` does a last poll and then judges
 * each leftover tail: complete JSON is accepted, anything else (a line cut short by a crash) is
 * counted as corrupt. Corrupt lines are counted and skipped — nothing here throws.
 */
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseEventLine, type HarnessEvent } from './events';

const FILE_PATTERN = /^events-.*\.jsonl$/;
/** A "line" longer than this without a newline is garbage: dropped and counted. */
const MAX_LINE_BYTES = 16 * 1024 * 1024;
const CHUNK = 256 * 1024;

interface FileState {
  offset: number;
  pending: Buffer[];
  pendingBytes: number;
  /** Inside an over-long line: skip up to its newline. */
  discarding: boolean;
}

export interface TailStats {
  files: number;
  events: number;
  corruptLines: number;
  /** Events the harness reported it had to drop (`dropped` events). */
  droppedEvents: number;
  /** Valid events the consumer threw on (a bug; counted, never fatal). */
  rejected: number;
}

export class EventTailer {
  private readonly files = new Map<string, FileState>();
  private running: Promise<void> | null = null;
  private finished = false;
  readonly stats: TailStats = { files: 0, events: 0, corruptLines: 0, droppedEvents: 0, rejected: 0 };

  constructor(
    private readonly dir: string,
    private readonly onEvent: (event: HarnessEvent) => void,
  ) {}

  /** Reads whatever was appended since the last poll. Polls never overlap. */
  poll(): Promise<void> {
    if (this.finished) return Promise.resolve();
    this.running ??= this.readAll().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Last poll, then every unfinished line is judged. Later polls do nothing. */
  async finish(): Promise<void> {
    if (this.finished) return;
    while (this.running) await this.running;
    await this.readAll();
    this.finished = true;
    for (const state of this.files.values()) {
      if (state.pendingBytes > 0 && !state.discarding) this.line(Buffer.concat(state.pending).toString('utf8'));
      state.pending = [];
      state.pendingBytes = 0;
    }
  }

  private async readAll(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return; // not created yet, or already removed
    }
    for (const name of names.sort()) {
      if (!FILE_PATTERN.test(name)) continue;
      let state = this.files.get(name);
      if (!state) {
        state = { offset: 0, pending: [], pendingBytes: 0, discarding: false };
        this.files.set(name, state);
        this.stats.files += 1;
      }
      await this.readFile(join(this.dir, name), state);
    }
  }

  private async readFile(path: string, state: FileState): Promise<void> {
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch {
      return;
    }
    if (size < state.offset) {
      // Truncated under us: whatever was pending is lost; start over from the new content.
      if (state.pendingBytes > 0) this.stats.corruptLines += 1;
      state.offset = 0;
      state.pending = [];
      state.pendingBytes = 0;
      state.discarding = false;
    }
    if (size === state.offset) return;
    let handle;
    try {
      handle = await open(path, 'r');
    } catch {
      return;
    }
    try {
      const buffer = Buffer.allocUnsafe(Math.min(CHUNK, size - state.offset));
      while (state.offset < size) {
        const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, size - state.offset), state.offset);
        if (bytesRead === 0) break;
        state.offset += bytesRead;
        this.consume(state, buffer.subarray(0, bytesRead));
      }
    } catch {
      // The file vanished mid-read: keep what was read.
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  private consume(state: FileState, chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      if (newline === -1) break;
      const piece = chunk.subarray(start, newline);
      if (state.discarding) {
        state.discarding = false;
      } else if (state.pendingBytes > 0) {
        state.pending.push(piece);
        const whole = Buffer.concat(state.pending);
        state.pending = [];
        state.pendingBytes = 0;
        this.line(whole.toString('utf8'));
      } else {
        this.line(piece.toString('utf8'));
      }
      start = newline + 1;
    }
    if (start < chunk.length && !state.discarding) {
      const rest = Buffer.from(chunk.subarray(start)); // copy: the read buffer is reused
      state.pending.push(rest);
      state.pendingBytes += rest.length;
      if (state.pendingBytes > MAX_LINE_BYTES) {
        this.stats.corruptLines += 1;
        state.pending = [];
        state.pendingBytes = 0;
        state.discarding = true;
      }
    }
  }

  private line(text: string): void {
    const result = parseEventLine(text);
    if ('corrupt' in result) {
      this.stats.corruptLines += 1;
      return;
    }
    if ('ignored' in result) return;
    this.stats.events += 1;
    if (result.event.ev === 'dropped') this.stats.droppedEvents += result.event.count;
    try {
      this.onEvent(result.event);
    } catch {
      this.stats.rejected += 1; // a consumer bug: the event is lost, the run goes on
    }
  }
}
