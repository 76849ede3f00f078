/**
 * The run's terminal: the program's output as it comes, and a line the user can type into
 * (sent to the program's stdin on Enter). Ctrl+C stops the run; Ctrl+D closes stdin.
 * Closing the terminal stops the run too. Output that is not valid UTF-8 is shown with
 * replacement characters, never dropped.
 */
import * as vscode from 'vscode';
import { TextDecoder } from 'node:util';

export interface TerminalInput {
  write(text: string): void;
  endInput(): void;
  interrupt(): void;
}

const CSI = '\x1b[';
const dim = (text: string) => `${CSI}2m${text}${CSI}0m`;

export class RunTerminal implements vscode.Disposable {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  private readonly terminal: vscode.Terminal;
  private opened = false;
  private pending: string[] = [];
  private line = '';
  private input: TerminalInput | undefined;
  private finished = false;
  private readonly decoders = { stdout: new TextDecoder('utf-8'), stderr: new TextDecoder('utf-8') };

  constructor(name: string, private readonly onClosedByUser: () => void) {
    const pty: vscode.Pseudoterminal = {
      onDidWrite: this.writeEmitter.event,
      onDidClose: this.closeEmitter.event,
      open: () => {
        this.opened = true;
        for (const chunk of this.pending.splice(0)) this.writeEmitter.fire(chunk);
      },
      close: () => {
        if (!this.finished) this.onClosedByUser();
      },
      handleInput: (data) => this.handleInput(data),
    };
    this.terminal = vscode.window.createTerminal({ name, pty, iconPath: new vscode.ThemeIcon('pulse') });
  }

  show(): void {
    this.terminal.show(true);
  }

  attach(input: TerminalInput): void {
    this.input = input;
  }

  /** A line of Parascope's own (dimmed, so it stands apart from the program's output). */
  note(text: string): void {
    this.emit(`${dim(text)}\r\n`);
  }

  output(data: Buffer, stream: 'stdout' | 'stderr'): void {
    const text = this.decoders[stream].decode(data, { stream: true });
    const shown = text.replace(/\r?\n/g, '\r\n');
    this.emit(stream === 'stderr' ? `${CSI}31m${shown}${CSI}0m` : shown);
  }

  /** The program ended: no more input; the terminal stays open to be read. */
  finish(summary: string): void {
    this.finished = true;
    this.input = undefined;
    if (this.line) this.emit('\r\n');
    this.note(summary);
  }

  private emit(text: string): void {
    if (this.opened) this.writeEmitter.fire(text);
    else this.pending.push(text);
  }

  private handleInput(data: string): void {
    if (!this.input) return;
    for (const char of data) {
      if (char === '\x03') {
        this.emit('^C\r\n');
        this.input.interrupt();
      } else if (char === '\x04') {
        if (this.line) this.input.write(this.line);
        this.line = '';
        this.input.endInput();
      } else if (char === '\r') {
        this.emit('\r\n');
        this.input.write(`${this.line}\n`);
        this.line = '';
      } else if (char === '\x7f' || char === '\b') {
        if (this.line.length > 0) {
          this.line = [...this.line].slice(0, -1).join('');
          this.emit('\b \b');
        }
      } else if (char >= ' ' || char === '\t') {
        this.line += char;
        this.emit(char);
      }
    }
  }

  dispose(): void {
    this.terminal.dispose();
    this.writeEmitter.dispose();
    this.closeEmitter.dispose();
  }
}
