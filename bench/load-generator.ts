/** The main thread's handle on the load-generator worker (load-worker.ts). */
import { Worker } from 'node:worker_threads';
import type { RunRequest, RunResult } from './load-worker.js';

type Outgoing = { type: 'code'; id: number; username: string } | { type: 'done'; result: RunResult } | { type: 'failed'; id: number; message: string };

export class LoadGenerator {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (r: RunResult) => void; reject: (e: Error) => void }>();
  private nextId = 0;

  /** @param codeOf answers the worker's "which SMS code did the simulator send to this user?" */
  constructor(codeOf: (username: string) => string) {
    // tsx's loader is not applied to a worker's entry file by --import alone: register it inside the worker first.
    const tsx = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./load-worker.ts', import.meta.url).href;
    this.worker = new Worker(
      `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`,
      { eval: true },
    );
    this.worker.on('message', (msg: Outgoing) => {
      if (msg.type === 'code') {
        this.worker.postMessage({ type: 'code', id: msg.id, code: codeOf(msg.username) });
      } else if (msg.type === 'done') {
        this.pending.get(msg.result.id)?.resolve(msg.result);
        this.pending.delete(msg.result.id);
      } else {
        this.pending.get(msg.id)?.reject(new Error(msg.message));
        this.pending.delete(msg.id);
      }
    });
    this.worker.on('error', (error) => {
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    });
  }

  run(request: Omit<RunRequest, 'type' | 'id'>): Promise<RunResult> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'run', id, ...request } satisfies RunRequest);
    });
  }

  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage({ type: 'close' });
    const timer = setTimeout(() => void this.worker.terminate(), 2_000);
    await exited;
    clearTimeout(timer);
  }
}
