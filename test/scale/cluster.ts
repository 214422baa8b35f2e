/**
 * The scale-out rig: one redis-server, the three simulators in this process, and N app
 * instances (test/support/cluster-app.ts) as child processes sharing that Redis.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import {
  CyberArkSimulator, IdcsSimulator, OaaSimulator,
  type CyberArkSimulatorOptions, type IdcsSimulatorOptions, type OaaSimulatorOptions,
} from '../../lib/testing/index.js';
import { startRedisServer, type RedisServer, type RedisServerOptions } from '../support/redis-server.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export const sessionCookieName = 'pm.sid';
export const sessionPrefix = 'pm-test:sess:';

const newRedisClient = (url: string) => createClient({ url });
/** A node-redis client (RESP3, the default). */
export type TestRedisClient = ReturnType<typeof newRedisClient>;

export interface AppInstance {
  name: string;
  url: string;
  /** Everything the child wrote to stdout and stderr. */
  output(): string;
  stop(): Promise<void>;
  /** SIGKILL: the instance dies mid-request, nothing runs on the way out. */
  kill(): Promise<void>;
  /** Whether the process has exited, and how (a crash, e.g. on an unhandled rejection, is `code` 1). */
  exited(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
}

/**
 * Starts one cluster-app child (or another app script, e.g. examples/redis/server.ts) and waits
 * for its `listening http://…` line.
 */
export async function startAppInstance(name: string, env: Record<string, string>, script = 'test/support/cluster-app.ts'): Promise<AppInstance> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx/esm', script], {
    cwd: repoRoot,
    env: { ...process.env, DEBUG: '', NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', INSTANCE: name, EXIT_WITH_STDIN: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'], // stdin: the child exits when this process goes away
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let output = '';
  let exited = false;
  let how: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exit = new Promise<void>((resolve) => child.once('exit', (code, signal) => {
    exited = true;
    how = { code, signal };
    process.off('exit', killOnExit);
    resolve();
  }));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app ${name} did not start within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (?:on )?(http:\/\/[^\s/]+)/.exec(output);
      if (match) { clearTimeout(timer); resolve(match[1]!); }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`app ${name} exited (${code}):\n${output}`)); });
  });
  return {
    name,
    url,
    output: () => output,
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exit;
      clearTimeout(timer);
    },
    async kill() {
      if (exited) return;
      child.kill('SIGKILL');
      await exit;
    },
    exited: () => how,
  };
}

export interface ClusterOptions {
  instances?: number;
  cyberark?: CyberArkSimulatorOptions;
  idcs?: IdcsSimulatorOptions;
  oaa?: OaaSimulatorOptions;
  /** More env for every app instance (e.g. SESSION_TTL_SECONDS). */
  env?: Record<string, string>;
  /** The redis-server's options (persistence). */
  redis?: RedisServerOptions;
}

export interface Cluster {
  /** The redis-server now (replaced by `startRedis` after `killRedis`). */
  redis: RedisServer;
  /** Kills redis-server (SIGKILL): an outage. */
  killRedis(): Promise<void>;
  /** Starts redis-server again on the same port and with the same options (its data back when persistent). */
  startRedis(): Promise<void>;
  /** A client of the shared Redis, for the tests' own checks. */
  redisClient: TestRedisClient;
  cyberark: CyberArkSimulator;
  idcs: IdcsSimulator;
  oaa: OaaSimulator;
  apps: AppInstance[];
  /** Base URLs of the app instances. */
  urls: string[];
  /** Errors that reached each instance's final error handler. */
  serverErrors(): Promise<string[]>;
  /** Session keys in Redis. */
  sessionKeys(): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const stoppers: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const s of stoppers.splice(0).reverse()) await s().catch(() => undefined);
  };
  try {
    let redis = await startRedisServer(options.redis);
    stoppers.push(() => redis.stop());
    const redisClient = newRedisClient(redis.url);
    redisClient.on('error', () => undefined);
    await redisClient.connect();
    stoppers.push(async () => redisClient.destroy()); // never waits for a Redis an outage test left down
    const cyberark = await CyberArkSimulator.start(options.cyberark ?? {});
    stoppers.push(() => cyberark.close());
    const idcs = await IdcsSimulator.start(options.idcs ?? {});
    stoppers.push(() => idcs.close());
    const oaa = await OaaSimulator.start(options.oaa ?? {});
    stoppers.push(() => oaa.close());
    const env: Record<string, string> = {
      REDIS_URL: redis.url,
      SESSION_SECRET: 'scale-test-session-secret-shared-by-all-instances',
      SESSION_COOKIE: sessionCookieName,
      SESSION_PREFIX: sessionPrefix,
      CYBERARK_URL: cyberark.url,
      IDCS_URL: idcs.url,
      IDCS_CLIENT_ID: idcs.clientId,
      IDCS_CLIENT_SECRET: idcs.clientSecret,
      IDCS_APP_NAME: idcs.appName,
      OAA_URL: oaa.url,
      OAA_API_USERNAME: oaa.apiUsername,
      OAA_API_KEY: oaa.apiKey,
      OAA_CLIENT_ID: oaa.clientId,
      OAA_CLIENT_SECRET: oaa.clientSecret,
      OAA_ASSURANCE_LEVEL: oaa.assuranceLevels[0] ?? 'PassportAL1',
      ...options.env,
    };
    const names = Array.from({ length: options.instances ?? 2 }, (_, i) => String.fromCharCode(65 + i)); // A, B, …
    const apps = await Promise.all(names.map((name) => startAppInstance(name, env)));
    for (const app of apps) stoppers.push(() => app.stop());
    return {
      get redis() { return redis; },
      async killRedis() { await redis.kill(); },
      async startRedis() { redis = await startRedisServer({ ...options.redis, port: redis.port }); },
      redisClient, cyberark, idcs, oaa, apps,
      urls: apps.map((a) => a.url),
      async serverErrors() {
        const all: string[] = [];
        for (const app of apps) {
          const res = await fetch(`${app.url}/_stats`);
          const stats = (await res.json()) as { serverErrors: string[] };
          all.push(...stats.serverErrors.map((e) => `${app.name}: ${e}`));
        }
        return all;
      },
      async sessionKeys() {
        const keys: string[] = [];
        for await (const batch of redisClient.scanIterator({ MATCH: `${sessionPrefix}*`, COUNT: 1000 })) keys.push(...batch);
        return keys;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
