/** Runs the demo exactly as `npm start` does, in a child process, and reads its URLs from stdout. */
import { spawn, type ChildProcess } from 'node:child_process';

export interface DemoProcess {
  /** The demo app, without a trailing slash. */
  url: string;
  /** The CyberArk simulator (its control API is under `${simUrl}/_sim/api/`). */
  simUrl: string;
  /** The IDCS simulator (its control API is under `${idcsSimUrl}/_sim/api/`). */
  idcsSimUrl: string;
  /**
   * The OAA simulator's origin (its control API is under `${oaaSimUrl}/_sim/api/`, the runtime
   * API under `/oaa/runtime`). Unset when the demo runs against a real OAA deployment (`OAA_URL`).
   */
  oaaSimUrl?: string;
  /** Everything the demo printed so far (start-up lines, warnings). */
  output(): string;
  stop(): Promise<void>;
}

export async function startDemo(env: Record<string, string> = {}): Promise<DemoProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx/esm', 'examples/server-rendered/server.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SIM_PORT: '0', IDCS_SIM_PORT: '0', OAA_SIM_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const urls = await new Promise<{ url: string; simUrl: string; idcsSimUrl: string; oaaSimUrl?: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /demo: (http:\/\/\S+?)\/?\s/.exec(output)?.[1];
      const simUrl = /CyberArk simulator:\s+(http:\/\/\S+)/.exec(output)?.[1];
      const idcsSimUrl = /IDCS simulator:\s+(http:\/\/\S+)/.exec(output)?.[1];
      // "OAA simulator: http://…/oaa/runtime" (the OAAService base), or "OAA deployment: …" with OAA_URL.
      const oaa = /OAA (simulator|deployment):\s+(https?:\/\/\S+)/.exec(output);
      if (url && simUrl && idcsSimUrl && oaa) {
        clearTimeout(timer);
        resolve({ url, simUrl, idcsSimUrl, ...(oaa[1] === 'simulator' ? { oaaSimUrl: new URL(oaa[2]!).origin } : {}) });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`demo exited (${code}):\n${output}`)); });
  });
  // (onData stays attached: later lines keep arriving in `output`.)
  return {
    ...urls,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
