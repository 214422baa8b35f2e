/**
 * `npm run bench`: full CyberArk password + SMS logins through
 *   (a) passport-multistep, (b) the same flow written by hand (Express + undici + express-session),
 *   (c) passport-local (the floor),
 * all in this process on loopback, against one CyberArkSimulator with no artificial latency.
 * Prints throughput, per-step latency, session bytes per pending login and upstream
 * connections, and checks them against the targets. Then the Cognito comparison: the same
 * password + SMS login against a loopback Cognito user pool (cognito-upstream.ts) through
 * (a-cognito) the library and (b-cognito) by hand, at concurrency 1, interleaved with (a) and (b)
 * again, and the per-step overhead of each provider set side by side. A report, not a test: exits
 * 0 whatever the figures (1 only when the harness itself breaks). See bench/README.md.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { CyberArkSimulator } from '../lib/testing/index.js';
import { type BenchApp, clearStore } from './apps/common.js';
import { startHandwrittenApp } from './apps/handwritten.js';
import { startHandwrittenCognitoApp } from './apps/handwritten-cognito.js';
import { startLibraryApp, startLibraryCognitoApp } from './apps/library.js';
import { startLocalApp } from './apps/local.js';
import { CognitoUpstream } from './cognito-upstream.js';
import { type BenchConfig, type VariantId, readConfig } from './config.js';
import { ConnectionCounter, type PhaseConnections } from './connections.js';
import { machineBusyMs, processCpuMs } from './cpu.js';
import { type FlowId, flowSteps } from './flows.js';
import { LoadGenerator } from './load-generator.js';
import type { RunResult } from './load-worker.js';
import { type SessionSizes, probeSessions } from './session-probe.js';
import { type Summary, fixed, median, signed, summarize, table } from './stats.js';
import { benchUser, cognitoUsers, simUsers } from './users.js';

/** `compare`: the concurrency-1 runs of the Cognito comparison (CyberArk and Cognito variants interleaved). */
type Kind = 'warmup' | 'load' | 'latency' | 'compare';

interface Phase {
  flow: FlowId;
  kind: Kind;
  result: RunResult;
  /**
   * CPU time of the server side during the phase (apps + simulator: this process less the load
   * generator's thread), ms; without /proc, the main thread's event-loop busy time instead.
   */
  serverCpuMs: number;
  /** Share of the machine (all CPUs) other processes used during the phase, 0–1; undefined without /proc. */
  othersShare: number | undefined;
  connections: PhaseConnections;
  /** API requests the simulator (or, for the Cognito flows, the Cognito pool) received. */
  upstreamRequests: number;
  /** Cognito flows: the pool's requests by operation (`InitiateAuth`, `RespondToAuthChallenge`, `jwks`, `other`). */
  poolRequests?: Record<string, number>;
}

type SessionFlow = 'a' | 'b' | 'a-cognito' | 'b-cognito';

const TARGET_RATIO = 1.15;
const TARGET_ADDED_MS = 1;
const TARGET_SESSION_BYTES = 4096;
/** Runs during which other processes used more of the machine than this are flagged as noisy. */
const NOISE_SHARE = 0.1;
/**
 * Cognito comparison: per step, Cognito's a−b may exceed CyberArk's by at most
 * max(COGNITO_ALLOW_MS, COGNITO_ALLOW_SHARE × CyberArk's), the noise of comparing two differences
 * of medians (bench/README.md, "Cognito comparison").
 */
const COGNITO_ALLOW_MS = 0.3;
const COGNITO_ALLOW_SHARE = 0.25;
const COGNITO_POOL = { userPoolId: 'us-east-1_BenchPool1', clientId: '5bench0cognito0client0id00' };
const isCognito = (flow: FlowId) => flow === 'a-cognito' || flow === 'b-cognito' || flow === 'cognito-upstream';

const names: Record<FlowId, string> = {
  a: '(a) passport-multistep',
  b: '(b) hand-written Express + undici',
  c: '(c) passport-local (floor)',
  sim: '    simulator alone',
  'a-cognito': '(a-cognito) passport-multistep',
  'b-cognito': '(b-cognito) by hand, undici + jose',
  'cognito-upstream': '    Cognito pool alone',
};

async function main(): Promise<void> {
  const config = readConfig();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const startedAt = performance.now();

  const sim = await CyberArkSimulator.start({ users: simUsers(config.users), switches: { latencyMs: 0 } });
  const connections = await ConnectionCounter.attach(sim, process.env.BENCH_COUNT_WITH_PROXY === '1');
  const apps: Partial<Record<VariantId, BenchApp>> = {};
  let localSource = '';
  if (config.variants.includes('a')) apps.a = await startLibraryApp(connections.upstreamUrl, sim.tenantId, config.pool);
  if (config.variants.includes('b')) apps.b = await startHandwrittenApp(connections.upstreamUrl, sim.tenantId, config.pool);
  if (config.variants.includes('c')) {
    const local = await startLocalApp(simUsers(config.users));
    apps.c = local;
    localSource = local.source;
  }
  // The Cognito pool and apps start after the CyberArk runs (below), so those run as they did without them.
  let pool: CognitoUpstream | undefined;
  // Phases run one at a time: the code comes from the upstream of the flow that runs.
  let codeFromPool = false;
  const codeOf = (username: string) => (codeFromPool ? pool!.lastCode(username) : sim.lastCode(username, 'SMS') ?? '');
  const load = new LoadGenerator(codeOf);
  const phases: Phase[] = [];
  const sessions: Partial<Record<SessionFlow, SessionSizes>> = {};
  let cognitoSeconds: number | undefined;

  try {
    // The simulator alone runs too (when a or b does), to tell its CPU cost apart from the apps'.
    const flows: FlowId[] = [...config.variants.filter((v) => !isCognito(v)), ...(apps.a || apps.b ? ['sim' as const] : [])];
    const runPhase = async (flow: FlowId, kind: Kind, logins: number, concurrency: number): Promise<Phase> => {
      const app = flow === 'sim' || flow === 'cognito-upstream' ? undefined : apps[flow];
      sim.reset(); // same simulator state (sessions, tokens, request log) at the start of every phase
      pool?.reset();
      codeFromPool = isCognito(flow);
      if (app) await clearStore(app.store);
      connections.beginPhase();
      pool?.beginPhase();
      const elu = performance.eventLoopUtilization();
      const cpu0 = processCpuMs();
      const machine0 = machineBusyMs();
      const result = await load.run({
        flow, base: app?.url ?? (flow === 'cognito-upstream' ? pool!.url.replace(/\/$/, '') : connections.upstreamUrl), logins, concurrency, users: config.users,
        tenantId: sim.tenantId, clientId: COGNITO_POOL.clientId,
      });
      const mainBusyMs = performance.eventLoopUtilization(elu).active;
      const processMs = processCpuMs() - cpu0;
      const machine1 = machineBusyMs();
      const simCounted = connections.endPhase();
      // The Cognito pool counts its own connections (no peak) and API requests (the JWKS apart).
      const counted: PhaseConnections = isCognito(flow)
        ? { opened: pool!.connectionsOpened, peakOpen: Number.NaN, requests: (pool!.requests.InitiateAuth ?? 0) + (pool!.requests.RespondToAuthChallenge ?? 0) }
        : simCounted;
      // The comparison's short concurrency-1 runs take the worker's CPU time to the nanosecond (schedstat), not in 10 ms ticks.
      const clientMs = kind === 'compare' ? result.clientRuntimeMs ?? result.clientCpuMs : result.clientCpuMs;
      const serverCpuMs = clientMs === undefined ? mainBusyMs : processMs - clientMs;
      const othersShare = machine0 === undefined || machine1 === undefined
        ? undefined
        : Math.max(0, (machine1 - machine0 - processMs) / (result.durationMs * os.cpus().length));
      // Without the server hook, the simulator's own request log (it keeps the last 10,000).
      const upstreamRequests = counted.requests ?? sim.requests.length;
      const phase: Phase = {
        flow, kind, result, serverCpuMs, othersShare, connections: counted, upstreamRequests, ...(isCognito(flow) ? { poolRequests: { ...pool!.requests } } : {}),
      };
      phases.push(phase);
      log(`  ${kind.padEnd(7)} ${names[flow].trim().padEnd(34)} ${String(result.completed).padStart(5)} logins in ${fixed(result.durationMs / 1000)} s` +
        ` (${fixed(result.completed / (result.durationMs / 1000), 0)}/s, ${fixed(serverCpuMs / Math.max(1, result.completed), 3)} CPU ms/login` +
        `${othersShare === undefined ? '' : `, other processes ${fixed(othersShare * 100, 0)}%`})${result.errors ? `, ${result.errors} ERRORS` : ''}`);
      return phase;
    };

    log(`warm-up: ${config.warmup} logins per variant, concurrency ${config.concurrency}`);
    if (config.warmup > 0) for (const flow of flows) await runPhase(flow, 'warmup', config.warmup, config.concurrency);
    for (let round = 0; round < config.rounds; round++) {
      log(`round ${round + 1}/${config.rounds}: ${config.logins} logins per variant, concurrency ${config.concurrency}`);
      const order = flows.map((_, i) => flows[(i + round) % flows.length]!);
      for (const flow of order) await runPhase(flow, 'load', config.logins, config.concurrency);
    }
    if (config.latencyLogins > 0) {
      log(`unloaded latency: ${config.latencyLogins} logins per variant, concurrency 1`);
      for (const flow of flows) await runPhase(flow, 'latency', config.latencyLogins, 1);
    }
    if (config.sessionSamples > 0) {
      log(`session size: ${config.sessionSamples} logins per variant stopped at the SMS step`);
      sim.reset();
      const probeUsers = Array.from({ length: config.sessionSamples }, (_, i) => benchUser(config.users - 1 - i));
      if (apps.a) sessions.a = await probeSessions(apps.a, 'a', probeUsers, codeOf);
      if (apps.b) sessions.b = await probeSessions(apps.b, 'b', probeUsers, codeOf);
    }

    // ------------------------------------------------ the Cognito comparison
    const cognitoFlows: FlowId[] = (['a-cognito', 'b-cognito'] as const).filter((f) => config.variants.includes(f));
    const cognitoStartedAt = performance.now();
    if (cognitoFlows.length > 0) {
      pool = await CognitoUpstream.start({ users: cognitoUsers(config.users), ...COGNITO_POOL });
      if (cognitoFlows.includes('a-cognito')) {
        apps['a-cognito'] = await startLibraryCognitoApp(pool.url, COGNITO_POOL.userPoolId, COGNITO_POOL.clientId, config.pool);
      }
      if (cognitoFlows.includes('b-cognito')) {
        apps['b-cognito'] = await startHandwrittenCognitoApp(pool.url, COGNITO_POOL.userPoolId, COGNITO_POOL.clientId, config.pool);
      }
      if (config.cognitoWarmup > 0) {
        log(`Cognito warm-up: ${config.cognitoWarmup} logins per Cognito variant, concurrency ${config.concurrency}`);
        for (const flow of [...cognitoFlows, 'cognito-upstream' as const]) await runPhase(flow, 'warmup', config.cognitoWarmup, config.concurrency);
      }
      if (config.cognitoLogins > 0) {
        // Four interleaved runs per variant, the order reversed every other time (a b ac bc sim pool | pool sim bc ac b a | …),
        // so that a drift of the machine during the comparison weighs on both providers alike.
        const compared: FlowId[] = [...(['a', 'b'] as const).filter((f) => apps[f]), ...cognitoFlows, ...(apps.a || apps.b ? ['sim' as const] : []), 'cognito-upstream'];
        const chunks = 4;
        log(`Cognito comparison: ${config.cognitoLogins} logins per variant at concurrency 1, in ${chunks} interleaved runs (${compared.join(', ')})`);
        for (let chunk = 0; chunk < chunks; chunk++) {
          const logins = Math.floor(config.cognitoLogins / chunks) + (chunk < config.cognitoLogins % chunks ? 1 : 0);
          if (logins === 0) continue;
          const order = chunk % 2 === 0 ? compared : [...compared].reverse();
          for (const flow of order) await runPhase(flow, 'compare', logins, 1);
        }
      }
      if (config.sessionSamples > 0) {
        const probeUsers = Array.from({ length: config.sessionSamples }, (_, i) => benchUser(config.users - 1 - i));
        pool!.reset();
        codeFromPool = true;
        for (const flow of cognitoFlows as SessionFlow[]) sessions[flow] = await probeSessions(apps[flow as VariantId]!, flow as 'a-cognito' | 'b-cognito', probeUsers, codeOf);
      }
      cognitoSeconds = (performance.now() - cognitoStartedAt) / 1000;
    }
  } finally {
    await load.close();
    for (const app of Object.values(apps)) await app.close();
    await connections.close();
    await sim.close();
    await pool?.close();
  }

  process.stdout.write(`${report(config, phases, sessions, {
    localSource, connectionMethod: connections.method, seconds: (performance.now() - startedAt) / 1000, cognitoSeconds,
  })}\n`);
}

// ---------------------------------------------------------------------------------- report

interface Meta {
  localSource: string;
  connectionMethod: string;
  seconds: number;
  /** Time taken by the Cognito comparison (warm-up, interleaved runs, session sizes), if it ran. */
  cognitoSeconds: number | undefined;
}

function report(config: BenchConfig, phases: Phase[], sessions: Partial<Record<SessionFlow, SessionSizes>>, meta: Meta): string {
  const out: string[] = [];
  const has = (flow: FlowId) => phases.some((p) => p.flow === flow);
  const of = (flow: FlowId, kind: Kind) => phases.filter((p) => p.flow === flow && p.kind === kind);
  const rate = (p: Phase) => p.result.completed / (p.result.durationMs / 1000);
  const throughput = (flow: FlowId) => median(of(flow, 'load').map(rate));
  const cpuPerLogin = (flow: FlowId) => median(of(flow, 'load').map((p) => p.serverCpuMs / Math.max(1, p.result.completed)));
  const stepSummary = (flow: FlowId, kind: Kind, step: string): Summary | undefined => {
    const list = of(flow, kind);
    if (list.length === 0) return undefined;
    const all = list.flatMap((p) => Array.from(step === 'login' && flow !== 'c' ? p.result.logins : (p.result.steps[step] ?? [])));
    return summarize(all);
  };
  const cpu = os.cpus();

  out.push('');
  out.push('passport-multistep benchmark: CyberArk password + SMS, loopback, simulator latency 0 ms' +
    (has('a-cognito') || has('b-cognito') ? '; then Cognito USER_PASSWORD_AUTH + SMS_MFA against a loopback pool' : ''));
  out.push(`node ${process.version}, ${cpu.length} CPU(s) ${cpu[0]?.model ?? ''}`.trimEnd());
  out.push(`${config.rounds} round(s) × ${config.logins} logins per variant at concurrency ${config.concurrency} (after ${config.warmup} warm-up logins), ` +
    `${config.latencyLogins} logins at concurrency 1, ${config.users} simulator users, upstream pool ${config.pool}; ${fixed(meta.seconds, 0)} s in all` +
    (meta.cognitoSeconds === undefined ? '' : ` (the Cognito comparison ${fixed(meta.cognitoSeconds, 0)} s of them)`));
  if (has('c')) out.push(`(c) uses ${meta.localSource}`);

  // ---------------------------------------------------------------- throughput
  const best = (flow: FlowId) => Math.max(...of(flow, 'load').map(rate));
  const others = (flow: FlowId) => {
    const shares = of(flow, 'load').map((p) => p.othersShare).filter((x): x is number => x !== undefined);
    return shares.length ? median(shares) : undefined;
  };
  out.push('', `THROUGHPUT (concurrency ${config.concurrency}; median of the ${config.rounds} rounds, [min–max])`);
  const tpRows: string[][] = [];
  for (const flow of ['a', 'b', 'c', 'sim'] as FlowId[]) {
    if (!has(flow)) continue;
    const rates = of(flow, 'load').map(rate);
    const errors = phases.filter((p) => p.flow === flow).reduce((n, p) => n + p.result.errors, 0);
    const share = others(flow);
    tpRows.push([
      names[flow],
      fixed(throughput(flow), 0),
      `[${fixed(Math.min(...rates), 0)}–${fixed(Math.max(...rates), 0)}]`,
      fixed(cpuPerLogin(flow), 3),
      flow === 'sim' || flow === 'c' || !has('sim') ? '' : fixed(cpuPerLogin(flow) - cpuPerLogin('sim'), 3),
      `${fixed(median(of(flow, 'load').map((p) => p.result.clientUtilization * 100)), 0)}%`,
      share === undefined ? '—' : `${fixed(share * 100, 0)}%`,
      String(errors),
    ]);
  }
  out.push(table(['variant', 'logins/s', 'range', 'server CPU ms/login', 'app CPU ms/login', 'client busy', 'other procs', 'errors'], tpRows));
  out.push('server CPU: CPU time of the apps + simulator (this process less the load generator) per login; app CPU: the same');
  out.push('less the simulator alone. other procs: share of the machine used by other processes during the runs (noise).');

  // ---------------------------------------------------------------- ratios
  const ratios: string[] = [];
  let throughputPass: boolean | undefined;
  if (has('a') && has('b')) {
    const ab = throughput('a') / throughput('b');
    throughputPass = 1 / ab <= TARGET_RATIO;
    ratios.push(`a/b throughput = ${fixed(ab, 3)}: the library does ${fixed((1 - ab) * 100, 1)}% fewer logins/s; b/a = ${fixed(1 / ab, 3)}× (target ≤ ${TARGET_RATIO}×)`);
    ratios.push(`  best rounds: a/b = ${fixed(best('a') / best('b'), 3)} (b/a = ${fixed(best('b') / best('a'), 3)}×)`);
    ratios.push(`  server CPU per login: a/b = ${fixed(cpuPerLogin('a') / cpuPerLogin('b'), 3)}× (${fixed(cpuPerLogin('a'), 3)} vs ${fixed(cpuPerLogin('b'), 3)} ms); ` +
      'the CPU-bound equivalent of b/a, much less sensitive to other processes');
    if (has('sim')) {
      const appA = cpuPerLogin('a') - cpuPerLogin('sim');
      const appB = cpuPerLogin('b') - cpuPerLogin('sim');
      ratios.push(`  app CPU per login (simulator left out): a/b = ${fixed(appA / appB, 3)}× (${fixed(appA, 3)} vs ${fixed(appB, 3)} ms: ${signed(appA - appB, 3)} ms per login)`);
    }
  }
  if (has('a') && has('c')) ratios.push(`a/c throughput = ${fixed(throughput('a') / throughput('c'), 3)} (c/a = ${fixed(throughput('c') / throughput('a'), 2)}×)`);
  if (has('b') && has('c')) ratios.push(`b/c throughput = ${fixed(throughput('b') / throughput('c'), 3)}`);
  if (ratios.length) out.push('', 'RATIOS', ...ratios.map((r) => `  ${r}`));

  // ---------------------------------------------------------------- latency
  const latencyRows: string[][] = [];
  const added: Array<{ step: string; loaded?: number; unloaded?: number }> = [];
  const cell = (s: Summary | undefined) => (s ? `${fixed(s.p50)} / ${fixed(s.p99)}` : '—');
  const steps = [...new Set([...(has('a') || has('b') ? flowSteps.a : []), 'login'])];
  for (const step of steps) {
    const la = stepSummary('a', 'load', step);
    const lb = stepSummary('b', 'load', step);
    const ua = stepSummary('a', 'latency', step);
    const ub = stepSummary('b', 'latency', step);
    const loaded = la && lb ? la.p50 - lb.p50 : undefined;
    const unloaded = ua && ub ? ua.p50 - ub.p50 : undefined;
    added.push({ step, ...(loaded === undefined ? {} : { loaded }), ...(unloaded === undefined ? {} : { unloaded }) });
    latencyRows.push([step === 'login' ? 'whole login' : step, cell(la), cell(lb), signed(loaded), cell(ua), cell(ub), signed(unloaded)]);
  }
  if (has('c')) {
    latencyRows.push(['(c) login POST', cell(stepSummary('c', 'load', 'login')), '', '', cell(stepSummary('c', 'latency', 'login')), '', '']);
  }
  if (has('sim')) {
    for (const step of flowSteps.sim) {
      latencyRows.push([`(upstream ${step})`, cell(stepSummary('sim', 'load', step)), '', '', cell(stepSummary('sim', 'latency', step)), '', '']);
    }
  }
  out.push('', 'LATENCY PER STEP, ms, p50 / p99 (client side: request sent → body read)');
  out.push(table([
    'step', `(a) c=${config.concurrency}`, `(b) c=${config.concurrency}`, 'a−b p50', '(a) c=1', '(b) c=1', 'a−b p50',
  ], latencyRows));
  out.push('csrf: GET /login/csrf (once per session); start: POST /login/start → StartAuthentication; password: POST /login/answer →');
  out.push('AdvanceAuthentication [Answer, StartOOB SMS]; code: POST /login/answer → AdvanceAuthentication, then req.login.');
  out.push('(upstream …): the same three calls sent straight to the simulator (its own service time).');
  out.push(`Under load (c=${config.concurrency}) latency is mostly queueing; the c=1 columns are the added latency per step.`);

  // ---------------------------------------------------------------- session
  out.push('', 'SESSION DATA WHILE THE SMS CODE IS PENDING (after the password step), JSON bytes, mean [max]');
  const sa = sessions.a;
  const sb = sessions.b;
  const sz = (s: Summary | undefined) => (s ? `${fixed(s.mean, 0)} [${fixed(s.max, 0)}]` : '—');
  if (sa || sb) {
    const rows: string[][] = [
      ['whole session (as the store keeps it)', sz(sa?.whole), sz(sb?.whole)],
      ['… of a visitor before the login (CSRF token only)', sz(sa?.beforeLogin), sz(sb?.beforeLogin)],
      ['… growth from the pending login', sa ? fixed(sa.whole.mean - sa.beforeLogin.mean, 0) : '—', sb ? fixed(sb.whole.mean - sb.beforeLogin.mean, 0) : '—'],
      ['login state (a: session["passport-multistep"]; b: login + csrf)', sz(sa?.area), sz(sb?.area)],
      ['one pending transaction (a: its entry; b: session.login)', sz(sa?.transaction), sz(sb?.transaction)],
    ];
    for (const [part, s] of Object.entries(sa?.parts ?? {})) rows.push([`  (a) of which ${part === 'cookies' ? 'upstream cookies' : part === 'state' ? 'provider state (SessionId, challenges…)' : part === 'step' ? 'step shown to the browser' : 'id, times, counters…'}`, sz(s), '']);
    out.push(table(['', '(a) library', '(b) by hand'], rows));
    out.push(`${sa?.samples ?? sb?.samples} sessions each, read back from the app's MemoryStore with store.get(sid).`);
  } else {
    out.push('(not measured: BENCH_SESSION_SAMPLES=0 or neither a nor b selected)');
  }

  // ---------------------------------------------------------------- connections
  out.push('', `UPSTREAM CONNECTIONS (TCP connections the simulator accepted; counted by ${meta.connectionMethod})`);
  const connRows: string[][] = [];
  const perThousand: Partial<Record<FlowId, number>> = {};
  const allowed: Partial<Record<FlowId, number>> = {};
  const totals: Partial<Record<FlowId, { opened: number; logins: number }>> = {};
  for (const flow of ['a', 'b'] as FlowId[]) {
    if (!has(flow)) continue;
    // The Cognito comparison's runs of a and b are left out: the figures are those of the CyberArk runs.
    const list = phases.filter((p) => p.flow === flow && p.kind !== 'compare');
    const opened = list.reduce((n, p) => n + p.connections.opened, 0);
    const logins = list.reduce((n, p) => n + p.result.completed, 0);
    const load = of(flow, 'load');
    const calls = list.reduce((n, p) => n + p.upstreamRequests, 0);
    perThousand[flow] = (opened / Math.max(1, logins)) * 1000;
    allowed[flow] = config.pool * Math.max(1, logins / 1000);
    totals[flow] = { opened, logins };
    connRows.push([
      names[flow], fixed(calls / Math.max(1, logins), 2), String(opened), String(logins), fixed(perThousand[flow], 2),
      String(Math.max(0, ...load.map((p) => p.connections.opened))), String(Math.max(0, ...list.map((p) => p.connections.peakOpen))), String(config.pool),
    ]);
  }
  if (connRows.length) {
    out.push(table(['variant', 'calls/login', 'opened', 'logins', 'per 1,000 logins', 'max in one run', 'peak open', 'pool'], connRows));
    out.push('Over all phases (warm-up, rounds, c=1; not the Cognito comparison) of each variant. calls/login: upstream API requests per login (3 for both: equal');
    out.push('upstream work). max in one run: opened during one phase; peak open: most of those open at once. Keep-alive connections');
    out.push('left idle while the other variants run are closed by the keep-alive timeout and reopened in the next round.');
  }

  // ---------------------------------------------------------------- Cognito comparison
  const cognito = cognitoComparison(phases, sessions, of, stepSummary, added);
  out.push(...cognito.lines);

  // ---------------------------------------------------------------- targets
  out.push('', 'TARGETS');
  const verdict = (ok: boolean | undefined) => (ok === undefined ? '[ -- ]' : ok ? '[PASS]' : '[FAIL]');
  const worstAdded = added.filter((a) => a.step !== 'login' && a.unloaded !== undefined).sort((x, y) => y.unloaded! - x.unloaded!)[0];
  out.push(`${verdict(throughputPass)} library overhead within ${TARGET_RATIO}× of the hand-written baseline: ` +
    (has('a') && has('b')
      ? `b/a = ${fixed(throughput('b') / throughput('a'), 3)}× in logins/s (server CPU per login: ${fixed(cpuPerLogin('a') / cpuPerLogin('b'), 3)}×)`
      : 'needs a and b'));
  out.push(`${verdict(worstAdded ? worstAdded.unloaded! < TARGET_ADDED_MS : undefined)} per-step added latency under ${TARGET_ADDED_MS} ms p50 (c=1): ` +
    (worstAdded ? added.filter((a) => a.step !== 'login').map((a) => `${a.step} ${signed(a.unloaded)}`).join(', ') + ' ms' : 'needs a and b with BENCH_LATENCY_LOGINS > 0'));
  out.push(`${verdict(sa ? sa.area.max < TARGET_SESSION_BYTES : undefined)} pending transaction under ${TARGET_SESSION_BYTES / 1024} KB in the session: ` +
    (sa ? `the library's whole area ${fixed(sa.area.max, 0)} B at most (the transaction itself ${fixed(sa.transaction.max, 0)} B)` : 'needs a'));
  // Runs of fewer than 1,000 logins are allowed one pool's worth of connections.
  out.push(`${verdict(totals.a === undefined ? undefined : totals.a.opened <= allowed.a!)} upstream connections per 1,000 logins no more than the pool size (${config.pool}): ` +
    (totals.a === undefined ? 'needs a' : `${fixed(perThousand.a, 2)} per 1,000 (${totals.a.opened} opened over ${totals.a.logins} logins; baseline ${fixed(perThousand.b, 2)})`));
  out.push(`${verdict(cognito.pass)} Cognito per-step added latency no more than CyberArk's + max(${COGNITO_ALLOW_MS} ms, ${COGNITO_ALLOW_SHARE * 100}%) (p50, c=1, interleaved): ` +
    (cognito.summary ?? 'needs a, b, a-cognito and b-cognito with BENCH_COGNITO_LOGINS > 0'));

  const problems = phases.filter((p) => p.result.errors > 0);
  const busyClient = phases.filter((p) => p.kind === 'load' && p.result.clientUtilization > 0.9);
  const noisy = phases.filter((p) => p.kind === 'load' && p.othersShare !== undefined && p.othersShare > NOISE_SHARE);
  if (problems.length || busyClient.length || noisy.length) {
    out.push('', 'WARNINGS');
    if (noisy.length) {
      out.push(`  other processes used more than ${NOISE_SHARE * 100}% of the machine during ${noisy.length} of ${phases.filter((p) => p.kind === 'load').length} measured runs ` +
        `(up to ${fixed(Math.max(...noisy.map((p) => p.othersShare!)) * 100, 0)}%): logins/s and latencies are disturbed;`);
      out.push('  the CPU-per-login ratios are the steadier figures. Run again on a quiet machine for the throughput verdict.');
    }
    for (const p of problems) out.push(`  ${names[p.flow].trim()} ${p.kind}: ${p.result.errors} failed logins, e.g. ${p.result.errorSamples[0] ?? ''}`);
    for (const p of busyClient) out.push(`  ${names[p.flow].trim()} ${p.kind}: the load generator was ${fixed(p.result.clientUtilization * 100, 0)}% busy; figures may be client-bound`);
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------- Cognito

/**
 * The Cognito comparison: per step, the p50 added latency a−b at concurrency 1 of CyberArk
 * (a, b) and of Cognito (a-cognito, b-cognito), all four measured in the same interleaved runs
 * (kind `compare`), and the check that Cognito's is no more than CyberArk's plus the allowance.
 */
function cognitoComparison(
  phases: Phase[],
  sessions: Partial<Record<SessionFlow, SessionSizes>>,
  of: (flow: FlowId, kind: Kind) => Phase[],
  stepSummary: (flow: FlowId, kind: Kind, step: string) => Summary | undefined,
  cyberarkAlone: Array<{ step: string; unloaded?: number }>,
): { lines: string[]; pass: boolean | undefined; summary: string | undefined } {
  const has = (flow: FlowId) => of(flow, 'compare').length > 0;
  if (!has('a-cognito') && !has('b-cognito')) {
    const skipped = phases.some((p) => isCognito(p.flow));
    return { lines: skipped ? ['', 'COGNITO COMPARISON', '(not measured: BENCH_COGNITO_LOGINS=0)'] : [], pass: undefined, summary: undefined };
  }
  const out: string[] = [];
  const p50 = (flow: FlowId, step: string) => stepSummary(flow, 'compare', step)?.p50;
  const diff = (x: number | undefined, y: number | undefined) => (x === undefined || y === undefined ? undefined : x - y);
  const cell = (flow: FlowId, step: string) => {
    const s = stepSummary(flow, 'compare', step);
    return s ? `${fixed(s.p50)} / ${fixed(s.p99)}` : '—';
  };
  const allowance = (cyberark: number) => Math.max(COGNITO_ALLOW_MS, COGNITO_ALLOW_SHARE * Math.max(0, cyberark));
  const logins = of('a-cognito', 'compare').reduce((n, p) => n + p.result.completed, 0) || of('b-cognito', 'compare').reduce((n, p) => n + p.result.completed, 0);

  out.push('', `COGNITO COMPARISON: per-step added latency, ms, p50 / p99 at concurrency 1 (${logins} logins per variant in ${of('a-cognito', 'compare').length || of('b-cognito', 'compare').length} interleaved runs)`);
  const rows: string[][] = [];
  const checks: Array<{ step: string; cyberark: number; cognito: number; limit: number; ok: boolean }> = [];
  for (const step of [...flowSteps['a-cognito'], 'login']) {
    const cyberark = diff(p50('a', step), p50('b', step));
    const cognito = diff(p50('a-cognito', step), p50('b-cognito', step));
    const limit = cyberark === undefined ? undefined : cyberark + allowance(cyberark);
    const ok = cognito === undefined || limit === undefined ? undefined : cognito <= limit;
    if (step !== 'login' && ok !== undefined) checks.push({ step, cyberark: cyberark!, cognito: cognito!, limit: limit!, ok });
    rows.push([
      step === 'login' ? 'whole login' : step, cell('a', step), cell('b', step), signed(cyberark),
      cell('a-cognito', step), cell('b-cognito', step), signed(cognito),
      step === 'login' || limit === undefined ? '' : `≤ ${signed(limit)}`, step === 'login' || ok === undefined ? '' : ok ? 'ok' : 'OVER',
    ]);
  }
  // The upstreams alone, on the rows of the steps that call them.
  const upstreamRow = (label: string, simStep: string | undefined, poolStep: string | undefined) =>
    rows.push([label, simStep ? cell('sim', simStep) : '—', '', '', poolStep ? cell('cognito-upstream', poolStep) : '—', '', '', '', '']);
  if (has('sim') || has('cognito-upstream')) {
    upstreamRow('(upstream start)', 'start', undefined);
    upstreamRow('(upstream password)', 'password', 'password');
    upstreamRow('(upstream code)', 'code', 'code');
  }
  out.push(table(['step', 'CyberArk (a)', '(b)', 'a−b p50', 'Cognito (a)', '(b)', 'a−b p50', 'Cognito limit', ''], rows));
  out.push('Cognito: start is POST /login/start (no upstream call: InitiateAuth needs the password); password: POST /login/answer →');
  out.push('InitiateAuth USER_PASSWORD_AUTH → SMS_MFA; code: POST /login/answer → RespondToAuthChallenge SMS_MFA, the ID token verified');
  out.push('(RS256, JWKS cached), then req.login. (upstream …): CyberArk, the simulator alone; Cognito, the loopback pool alone');
  out.push('(InitiateAuth; RespondToAuthChallenge, which signs the ID token). CyberArk (a)/(b) are measured again here, in turn with');
  out.push(`the Cognito variants; limit: CyberArk's a−b + max(${COGNITO_ALLOW_MS} ms, ${COGNITO_ALLOW_SHARE * 100}% of it).`);
  const shares = phases.filter((p) => p.kind === 'compare' && p.othersShare !== undefined).map((p) => p.othersShare!);
  if (shares.length) {
    out.push(`Other processes used ${fixed(median(shares) * 100, 0)}% of the machine (median; up to ${fixed(Math.max(...shares) * 100, 0)}%) during these runs` +
      (median(shares) > NOISE_SHARE ? ': every figure is slower, the runs taken in turn share the disturbance.' : '.'));
  }
  const alone = cyberarkAlone.filter((a) => a.step !== 'login' && a.unloaded !== undefined);
  if (alone.length) out.push(`CyberArk a−b in LATENCY PER STEP above (its own c=1 runs): ${alone.map((a) => `${a.step} ${signed(a.unloaded)}`).join(', ')} ms.`);

  // CPU per login at c=1, the upstream alone left out.
  const cpu = (flow: FlowId) => {
    const list = of(flow, 'compare');
    const done = list.reduce((n, p) => n + p.result.completed, 0);
    return done ? list.reduce((n, p) => n + p.serverCpuMs, 0) / done : undefined;
  };
  const app = (flow: FlowId, upstream: FlowId) => diff(cpu(flow), cpu(upstream));
  const cpuRows: string[][] = [];
  for (const [provider, a, b, upstream] of [['CyberArk', 'a', 'b', 'sim'], ['Cognito', 'a-cognito', 'b-cognito', 'cognito-upstream']] as const) {
    if (!has(a) && !has(b)) continue;
    cpuRows.push([provider, fixed(cpu(a), 3), fixed(cpu(b), 3), fixed(cpu(upstream), 3), fixed(app(a, upstream), 3), fixed(app(b, upstream), 3), signed(diff(app(a, upstream), app(b, upstream)), 3)]);
  }
  out.push('', table(['server CPU ms/login at c=1', '(a)', '(b)', 'upstream alone', 'app (a)', 'app (b)', 'a−b'], cpuRows));

  // Upstream work, JWKS fetches and connections of the Cognito variants.
  const work: string[] = [];
  for (const flow of ['a-cognito', 'b-cognito'] as const) {
    const list = phases.filter((p) => p.flow === flow);
    if (!list.length) continue;
    const done = list.reduce((n, p) => n + p.result.completed, 0);
    const calls = list.reduce((n, p) => n + p.upstreamRequests, 0);
    const jwks = list.reduce((n, p) => n + (p.poolRequests?.jwks ?? 0), 0);
    const opened = list.reduce((n, p) => n + p.connections.opened, 0);
    work.push(`${flow}: ${fixed(calls / Math.max(1, done), 2)} calls/login, ${jwks} JWKS fetch(es), ${opened} connection(s) over ${done} logins`);
  }
  out.push(`Cognito upstream work (warm-up and comparison): ${work.join('; ')}.`);
  const sa = sessions['a-cognito'];
  const sb = sessions['b-cognito'];
  if (sa || sb) {
    const state = sa?.parts?.state;
    out.push(`Session while the SMS code is pending (mean bytes): library area ${sa ? fixed(sa.area.mean, 0) : '—'} (transaction ${sa ? fixed(sa.transaction.mean, 0) : '—'}, of which provider state ` +
      `${state ? fixed(state.mean, 0) : '—'} with the 846-character Session), by hand ${sb ? fixed(sb.area.mean, 0) : '—'} (session.login ${sb ? fixed(sb.transaction.mean, 0) : '—'}).`);
  }

  if (checks.length === 0) return { lines: out, pass: undefined, summary: undefined };
  const summary = `${checks.map((c) => `${c.step} ${signed(c.cognito)} vs ${signed(c.cyberark)}${c.ok ? '' : ` (limit ${signed(c.limit)})`}`).join(', ')} ms (Cognito vs CyberArk a−b)`;
  return { lines: out, pass: checks.every((c) => c.ok), summary };
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exitCode = 1;
});
