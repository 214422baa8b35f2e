/**
 * A throwaway redis-server for the scale-out tests: a child process (not daemonized; it
 * stops when the test process ends, even if killed) on a free loopback port, without
 * persistence unless asked for (an append-only file in a given directory). The outage tests
 * kill it and start it again on the same port.
 *
 * `redis-server` is looked up on PATH (or REDIS_SERVER names the binary). When it is absent
 * the tests skip with a message, unless REQUIRE_REDIS is set: then they fail, so CI (which
 * installs it, see docs/scale-out.md) can never skip them silently.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RedisServer {
  /** `redis://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** The redis-server process id. */
  pid: number;
  /** Stops it (SIGTERM: with persistence on, Redis writes its data first). */
  stop(): Promise<void>;
  /** Kills it with SIGKILL, as a crash or a lost host would: nothing is written on the way out. */
  kill(): Promise<void>;
}

export interface RedisServerOptions {
  /** The port (to start it again where the apps expect it); default a free one. */
  port?: number;
  /**
   * Persistence: this directory gets an append-only file written on every command
   * (`appendonly yes`, `appendfsync always`), read back when a server starts on it again.
   * Default: no persistence at all.
   */
  dir?: string;
}

/** The redis-server binary to run. */
export function redisServerBinary(): string {
  return process.env.REDIS_SERVER?.trim() || 'redis-server';
}

let available: boolean | undefined;

/** True when redis-server can be run here. */
export function redisAvailable(): boolean {
  if (available === undefined) {
    const probe = spawnSync(redisServerBinary(), ['--version'], { stdio: 'ignore', timeout: 10_000 });
    available = probe.status === 0;
  }
  return available;
}

/**
 * For a mocha `before` hook: skips the suite with a clear message when redis-server is
 * missing, or throws when REQUIRE_REDIS is set.
 */
export function requireRedisOrSkip(ctx: Mocha.Context, what: string): void {
  if (redisAvailable()) return;
  const message = `redis-server not found (looked for "${redisServerBinary()}"), needed by ${what}. `
    + 'Install it (apt-get install redis-server) or set REDIS_SERVER to its path.';
  if (process.env.REQUIRE_REDIS) throw new Error(`${message} REQUIRE_REDIS is set, so this is a failure, not a skip.`);
  console.log(`      SKIPPED: ${message}`);
  ctx.skip();
}

/** A port nobody listens on right now (there is a small window before redis takes it; start retries). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Sends one inline command on a fresh connection; its first reply line(s), or undefined when nothing answered. */
function inlineCommand(port: number, command: string, complete: (reply: string) => boolean): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    const done = (result: string | undefined) => { socket.destroy(); resolve(result); };
    socket.setTimeout(500, () => done(undefined));
    socket.once('error', () => done(undefined));
    socket.once('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (complete(reply)) done(reply);
    });
  });
}

/** Sends PING on a fresh connection; true on +PONG (not while Redis is still loading its data: -LOADING). */
async function ping(port: number): Promise<boolean> {
  return (await inlineCommand(port, 'PING', (reply) => reply.includes('\r\n')))?.startsWith('+PONG') ?? false;
}

/** The server's process id, from INFO server. */
async function processId(port: number): Promise<number> {
  const reply = await inlineCommand(port, 'INFO server', (text) => /process_id:\d+\r\n/.test(text));
  const pid = Number(/process_id:(\d+)/.exec(reply ?? '')?.[1]);
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`redis-server on port ${port} did not tell its process id`);
  return pid;
}

/**
 * Runs redis-server under a tiny sh wrapper that holds our stdin pipe: when this process
 * ends, however it ends (even SIGKILL), the pipe closes and the wrapper stops redis-server.
 * The wrapper exits when redis-server does.
 */
const wrapper = 'exec 3<&0; "$@" & pid=$!; (cat <&3 >/dev/null; kill $pid 2>/dev/null) & wait $pid';

async function startOnce(port: number, options: RedisServerOptions): Promise<RedisServer> {
  const persistence = options.dir
    ? ['--dir', options.dir, '--appendonly', 'yes', '--appendfsync', 'always']
    : ['--appendonly', 'no'];
  const child: ChildProcess = spawn('/bin/sh', ['-c', wrapper, 'redis-wrapper', redisServerBinary(),
    '--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence,
    '--daemonize', 'no', '--protected-mode', 'yes', '--loglevel', 'warning',
  ], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => { output += c.toString(); });
  child.stderr!.on('data', (c: Buffer) => { output += c.toString(); });
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
  child.once('error', (error) => { output += String(error); });
  const stop = async () => {
    if (exited) return;
    child.stdin!.end(); // the wrapper stops redis-server, then exits
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exit;
    clearTimeout(timer);
  };

  const deadline = Date.now() + 10_000;
  while (!(await ping(port))) {
    if (exited) throw new Error(`redis-server exited on port ${port}:\n${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server did not answer PING on port ${port} within 10 s:\n${output}`);
    }
    await sleep(20);
  }
  const pid = await processId(port);
  const kill = async () => {
    if (exited) return;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await exit; // the wrapper exits with it
  };
  return { url: `redis://127.0.0.1:${port}`, port, pid, stop, kill };
}

/**
 * Starts redis-server and waits until it answers PING: on a free loopback port, or on
 * `options.port` (to bring a stopped one back, with the same `dir` to get its data back).
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  if (options.port !== undefined) {
    // The port was just freed by the server being replaced: retry briefly if it is not yet.
    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        return await startOnce(options.port, options);
      } catch (error) {
        lastError = error;
        await sleep(100);
      }
    }
    throw lastError;
  }
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(await freePort(), options);
    } catch (error) {
      lastError = error; // most likely the port was taken in between: try another one
    }
  }
  throw lastError;
}
