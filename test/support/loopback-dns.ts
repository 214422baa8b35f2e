/** An undici Agent that resolves every host name to 127.0.0.1, so tests can use real host names (pod redirects). */
import { Agent } from 'undici';
import type { LookupFunction } from 'node:net';

const lookup: LookupFunction = (_hostname, options, callback) => {
  if ((options as { all?: boolean }).all) (callback as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

export function loopbackAgent(): Agent {
  return new Agent({ connect: { lookup } });
}
