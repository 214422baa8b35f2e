/**
 * What every check of one run shares: the upstream client (the strategy's own transport,
 * built from the same `http` options), the configured base URL, and how calls are routed.
 */
import type { UpstreamClient } from '../http/upstream-client.js';
import type { TransportSetting } from './transport-failure.js';

export interface CheckContext {
  client: UpstreamClient;
  /** The provider's base URL, with a trailing slash (as the provider builds it). */
  base: URL;
  setting: TransportSetting;
}
