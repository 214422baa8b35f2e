/**
 * The load generator, in a worker thread: the apps and the simulator keep the main thread
 * (and its event loop) to themselves, as they would on a server; the simulated browsers
 * run here. A bounded loop: exactly `logins` logins by `concurrency` browsers, then it reports.
 *
 * Browser k only uses users k, k + concurrency, k + 2·concurrency … so no two logins of the
 * same user are ever in flight at once (the SMS code read from the simulator is theirs).
 */
import { parentPort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';
import { threadCpuMs, threadRuntimeMs } from './cpu.js';
import { type FlowContext, type FlowId, flowSteps, runLogin } from './flows.js';
import { benchUser } from './users.js';

export interface RunRequest {
  type: 'run';
  id: number;
  flow: FlowId;
  base: string;
  logins: number;
  concurrency: number;
  users: number;
  tenantId: string;
  /** The Cognito app client (Cognito flows). */
  clientId: string;
}

export interface RunResult {
  id: number;
  flow: FlowId;
  completed: number;
  errors: number;
  errorSamples: string[];
  /** First request sent → last response read. */
  durationMs: number;
  /** Per step, every sample in ms. */
  steps: Record<string, Float64Array>;
  /** Whole login (sum of its steps), ms. */
  logins: Float64Array;
  /** Event-loop utilisation of this worker during the run (0–1): near 1 means the client was the bottleneck. */
  clientUtilization: number;
  /** CPU time of this worker thread during the run, ms (undefined without /proc). */
  clientCpuMs: number | undefined;
  /** The same from /proc/thread-self/schedstat, to the nanosecond rather than 10 ms ticks (undefined without it). */
  clientRuntimeMs: number | undefined;
}

type Incoming = RunRequest | { type: 'code'; id: number; code: string } | { type: 'close' };

const port = parentPort;
if (!port) throw new Error('load-worker.ts must run in a worker thread');

const agent = new Agent({ connections: 256, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000 });
const waiting = new Map<number, (code: string) => void>();
let nextCodeId = 0;

function askCode(username: string): Promise<string> {
  const id = nextCodeId++;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    port!.postMessage({ type: 'code', id, username });
  });
}

async function run(req: RunRequest): Promise<RunResult> {
  const samples: Record<string, number[]> = Object.fromEntries(flowSteps[req.flow].map((s) => [s, []]));
  const loginTimes: number[] = [];
  const errorSamples: string[] = [];
  let next = 0;
  let completed = 0;
  let errors = 0;
  let consecutiveErrors = 0;
  const perBrowser = Math.max(1, Math.floor(req.users / req.concurrency));
  const elu = performance.eventLoopUtilization();
  const cpuBefore = threadCpuMs();
  const runtimeBefore = threadRuntimeMs();
  const started = performance.now();

  await Promise.all(Array.from({ length: req.concurrency }, async (_, browser) => {
    for (let j = 0; ; j++) {
      if (next >= req.logins || consecutiveErrors >= 50) return;
      next++;
      const user = benchUser(browser + req.concurrency * (j % perBrowser));
      let total = 0;
      const ctx: FlowContext = {
        base: req.base,
        dispatcher: agent,
        code: askCode,
        record(step, ms) {
          samples[step]?.push(ms);
          total += ms;
        },
      };
      try {
        await runLogin(req.flow, ctx, user, req);
        completed++;
        consecutiveErrors = 0;
        loginTimes.push(total);
      } catch (error) {
        errors++;
        consecutiveErrors++;
        if (errorSamples.length < 5) errorSamples.push(String((error as Error)?.message ?? error));
      }
    }
  }));

  const durationMs = performance.now() - started;
  const cpuAfter = threadCpuMs();
  const runtimeAfter = threadRuntimeMs();
  const steps = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, Float64Array.from(v)]));
  return {
    id: req.id, flow: req.flow, completed, errors, errorSamples, durationMs, steps,
    logins: Float64Array.from(loginTimes),
    clientUtilization: performance.eventLoopUtilization(elu).utilization,
    clientCpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
    clientRuntimeMs: runtimeBefore === undefined || runtimeAfter === undefined ? undefined : runtimeAfter - runtimeBefore,
  };
}

port.on('message', (msg: Incoming) => {
  if (msg.type === 'code') {
    waiting.get(msg.id)?.(msg.code);
    waiting.delete(msg.id);
  } else if (msg.type === 'run') {
    run(msg).then(
      (result) => port.postMessage({ type: 'done', result }),
      (error: unknown) => port.postMessage({ type: 'failed', id: msg.id, message: String((error as Error)?.stack ?? error) }),
    );
  } else if (msg.type === 'close') {
    void agent.close().finally(() => port.close());
  }
});
