/**
 * The deadline of one upstream call, headers and body together. undici accepts an
 * EventEmitter as its abort signal; one emitter and one timer cost far less per call than
 * `AbortSignal.timeout` (an EventTarget, plus weak references kept for the GC).
 */
import { EventEmitter } from 'node:events';

export class Deadline {
  /** Pass as undici's `signal`: emits 'abort' when the time is up. */
  readonly signal: EventEmitter = new EventEmitter();
  private passed = false;
  private stopped = false;
  private readonly timer: NodeJS.Timeout;

  constructor(ms: number) {
    this.timer = setTimeout(() => {
      this.passed = true;
      this.signal.emit('abort');
    }, ms);
  }

  /** Whether the call was aborted because the time was up. */
  get expired(): boolean {
    return this.passed;
  }

  /** Whether the call was aborted by {@link cancel} (the browser went away). */
  get cancelled(): boolean {
    return this.stopped;
  }

  /** Aborts the call now, before its time is up. */
  cancel(): void {
    if (this.passed || this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    this.signal.emit('abort');
  }

  /** Stops the timer (the call is over, one way or the other). */
  clear(): void {
    clearTimeout(this.timer);
  }
}
