/**
 * The first check: the configured URL, as the provider would read it (absolute http(s),
 * trailing slash, no query), plus what each product's URL is expected to look like.
 */
import { baseUrl } from '../http/base-url.js';
import { failed, passed, warned, type CheckProvider, type CheckResult } from './result.js';

const title = 'Configuration';
const names: Record<CheckProvider, string> = { idcs: 'IDCS', oaa: 'OAA', cyberark: 'CyberArk' };
const examples: Record<CheckProvider, string> = {
  idcs: 'https://idcs-0123456789abcdef.identity.oraclecloud.com',
  oaa: 'https://oaa.example.com/oaa/runtime',
  cyberark: 'https://abc1234.id.cyberark.cloud',
};

export interface ConfigurationOutcome {
  result: CheckResult;
  /** The base URL, when it is usable. */
  base?: URL;
}

export function checkConfiguration(provider: CheckProvider, url: string): ConfigurationOutcome {
  let base: URL;
  try {
    base = baseUrl(url, names[provider]);
  } catch (error) {
    return { result: failed('config', title, (error as Error).message, `Give the ${names[provider]} base URL, e.g. ${examples[provider]}.`) };
  }
  if (base.username || base.password) {
    return { result: failed('config', title, 'the URL carries a user name or password', 'Remove them from the URL: credentials have options of their own.') };
  }
  const shown = displayUrl(base);
  if (base.protocol === 'http:' && !isLoopback(base.hostname)) {
    return {
      base,
      result: warned('config', title, `${shown} is plain http: secrets, passwords and tokens would cross the network unencrypted`, { next: 'Use https:// outside a test setup.' }),
    };
  }
  const path = base.pathname;
  if (provider === 'oaa' && /\/oaa\/rui\/?$/i.test(path)) {
    return { result: failed('config', title, `${shown} is the OAA browser UI (/oaa/rui), not the runtime API`, `Give the OAAService base printed at install, e.g. ${examples.oaa}.`) };
  }
  if (provider === 'oaa' && !/\/oaa\/runtime\/$/i.test(path)) {
    return { base, result: warned('config', title, `${shown}: the OAAService base normally ends in /oaa/runtime`, { next: `The API is called at ${shown}authn/v1; if that is wrong, give e.g. ${examples.oaa}.` }) };
  }
  if (provider === 'idcs' && path !== '/') {
    return { base, result: warned('config', title, `${shown}: an identity domain URL normally has no path`, { next: `Give the domain URL alone, e.g. ${examples.idcs} (not a console or sign-in page address).` }) };
  }
  return { base, result: passed('config', title, `${shown} (${names[provider]})`) };
}

/** The URL as reports show it: no user info. */
export function displayUrl(url: URL | string): string {
  try {
    const parsed = new URL(String(url));
    parsed.username = '';
    parsed.password = '';
    return parsed.href;
  } catch {
    return String(url).replace(/\/\/[^/@]*@/, '//');
  }
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\./.test(host);
}
