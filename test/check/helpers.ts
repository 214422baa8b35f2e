/** Small helpers of the configuration-check tests. */
import { expect } from 'chai';
import net from 'node:net';
import type { CheckReport, CheckResult } from '../../lib/index.js';

/** The result with this id; fails the test when absent. */
export function result(report: CheckReport, id: string): CheckResult {
  const found = report.results.find((r) => r.id === id);
  expect(found, `result ${id} in ${JSON.stringify(report.results.map((r) => r.id))}`).to.not.equal(undefined);
  return found!;
}

/** Statuses by id, for compact assertions. */
export function statuses(report: CheckReport): Record<string, string> {
  return Object.fromEntries(report.results.map((r) => [r.id, r.status]));
}

/** A loopback port nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Runs `fn` with these environment variables (undefined: unset), restoring them afterwards. */
export async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
  };
  apply(vars);
  try { return await fn(); } finally { apply(saved); }
}

/** Proxy variables cleared, so a developer's environment cannot change the outcome. */
export const noProxyEnv = { HTTP_PROXY: undefined, HTTPS_PROXY: undefined, http_proxy: undefined, https_proxy: undefined, NO_PROXY: undefined, no_proxy: undefined };

/** Long token-like runs (access tokens, requestStates, JWTs) that a report must never contain. */
export const tokenLike = /[A-Za-z0-9_\-.~+/=]{40,}/;
