import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';
import type { ResolvedHttpOptions } from './options.js';

/**
 * The one keep-alive dispatcher a strategy uses for every upstream call.
 * Undici's defaults wait 300 s for headers; a login page cannot, so the timeouts are explicit.
 */
export function createDispatcher(options: ResolvedHttpOptions): Dispatcher {
  if (options.dispatcher) return options.dispatcher;
  const agentOptions = {
    connections: options.connections,
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs,
    connect: { timeout: options.connectTimeoutMs, ...(options.ca === undefined ? {} : { ca: options.ca }) },
  };
  return options.proxy ? new EnvHttpProxyAgent(agentOptions) : new Agent(agentOptions);
}
