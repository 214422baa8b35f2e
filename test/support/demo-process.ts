/** Runs the demo exactly as `npm start` does, in a child process, and reads its URLs from stdout. */
import { spawn, type ChildProcess } from 'node:child_process';

export interface DemoProcess {
  /** The demo app, without a trailing slash. */
  url: string;
  /** The CyberArk simulator (its control API is under `${simUrl}/_sim/api/`). */
  simUrl: string;
  /** The IDCS simulator (its control API is under `${idcsSimUrl}/_sim/api/`). */
  idcsSimUrl: string;
  stop(): Promise<void>;
}

export async function startDemo(env: Record<string, string> = {}): Promise<DemoProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx/esm', 'examples/server-rendered/server.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SIM_PORT: '0', IDCS_SIM_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const urls = await new Promise<{ url: string; simUrl: string; idcsSimUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /demo: (http:\/\/\S+?)\/?\s/.exec(output)?.[1];
      const simUrl = /CyberArk simulator:\s+(http:\/\/\S+)/.exec(output)?.[1];
      const idcsSimUrl = /IDCS simulator:\s+(http:\/\/\S+)/.exec(output)?.[1];
      if (url && simUrl && idcsSimUrl) { clearTimeout(timer); resolve({ url, simUrl, idcsSimUrl }); }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`demo exited (${code}):\n${output}`)); });
  });
  return {
    ...urls,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
