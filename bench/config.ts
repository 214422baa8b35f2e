/** Benchmark settings, from the environment (all optional). */

export interface BenchConfig {
  /** Measured logins per variant and round (BENCH_LOGINS). */
  logins: number;
  /** Concurrent simulated browsers during the throughput runs (BENCH_CONCURRENCY). */
  concurrency: number;
  /** Rounds of measured runs; variants rotate order each round (BENCH_ROUNDS). */
  rounds: number;
  /** Warm-up logins per variant, once, before the rounds (BENCH_WARMUP). */
  warmup: number;
  /** Logins per variant for the unloaded (concurrency 1) latency run (BENCH_LATENCY_LOGINS). */
  latencyLogins: number;
  /** Generated simulator users, `user0` … (BENCH_USERS). */
  users: number;
  /** Sessions sampled for the session-size figures (BENCH_SESSION_SAMPLES). */
  sessionSamples: number;
  /** Keep-alive pool size given to the library and to the hand-written baseline (BENCH_POOL). */
  pool: number;
  /** Subset of variants to run, e.g. `a,b` for a profile (BENCH_VARIANTS). */
  variants: VariantId[];
  /** Warm-up logins of each Cognito variant at BENCH_CONCURRENCY, before the comparison (BENCH_COGNITO_WARMUP). */
  cognitoWarmup: number;
  /**
   * Logins per variant at concurrency 1 in the Cognito comparison, where (a), (b), (a-cognito) and
   * (b-cognito) take turns in four interleaved runs (BENCH_COGNITO_LOGINS).
   */
  cognitoLogins: number;
}

export type VariantId = 'a' | 'b' | 'c' | 'a-cognito' | 'b-cognito';

const allVariants: VariantId[] = ['a', 'b', 'c', 'a-cognito', 'b-cognito'];

function int(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min} (got "${raw}")`);
  return value;
}

export function readConfig(): BenchConfig {
  // `cognito` stands for both Cognito variants.
  const variants = (process.env.BENCH_VARIANTS ?? allVariants.join(','))
    .split(',').map((v) => v.trim().toLowerCase()).flatMap((v) => (v === 'cognito' ? ['a-cognito', 'b-cognito'] : [v]))
    .filter((v): v is VariantId => (allVariants as string[]).includes(v));
  const config: BenchConfig = {
    logins: int('BENCH_LOGINS', 2000, 1),
    concurrency: int('BENCH_CONCURRENCY', 32, 1),
    rounds: int('BENCH_ROUNDS', 3, 1),
    warmup: int('BENCH_WARMUP', 400, 0),
    latencyLogins: int('BENCH_LATENCY_LOGINS', 300, 0),
    users: int('BENCH_USERS', 500, 1),
    sessionSamples: int('BENCH_SESSION_SAMPLES', 20, 0),
    pool: int('BENCH_POOL', 16, 1),
    variants: variants.length > 0 ? [...new Set(variants)] : allVariants,
    cognitoWarmup: int('BENCH_COGNITO_WARMUP', 400, 0),
    cognitoLogins: int('BENCH_COGNITO_LOGINS', 600, 0),
  };
  if (config.concurrency > config.users) {
    throw new Error(`BENCH_CONCURRENCY (${config.concurrency}) must not exceed BENCH_USERS (${config.users}): two browsers would log in as the same user at once`);
  }
  return config;
}
