import { expect } from 'chai';
import { parseCliArgs } from '../../lib/check/cli-args.js';

describe('check CLI: arguments (node:util parseArgs, environment fallbacks)', () => {
  const idcs = ['check', 'idcs', '--url', 'https://idcs-1.identity.oraclecloud.com', '--client-id', 'cid'];

  it('flags, then the provider\'s environment variables; a flag wins', () => {
    const fromEnv = parseCliArgs(['check', 'idcs'], { IDCS_URL: 'https://d.example', IDCS_CLIENT_ID: 'a', IDCS_CLIENT_SECRET: 's', IDCS_APP_NAME: 'App' });
    expect(fromEnv).to.deep.include({ kind: 'run', provider: 'idcs' });
    expect(fromEnv.kind === 'run' && fromEnv.settings).to.include({ url: 'https://d.example', clientId: 'a', clientSecret: 's', appName: 'App' });
    const flagWins = parseCliArgs([...idcs, '--app-name', 'Other'], { IDCS_CLIENT_SECRET: 's', IDCS_APP_NAME: 'App' });
    expect(flagWins.kind === 'run' && flagWins.settings).to.include({ clientId: 'cid', appName: 'Other' });
    expect(flagWins.kind === 'run' && flagWins.settings.secretFlags).to.deep.equal([]);
  });

  it('a secret given as a flag is noted (shell history)', () => {
    const parsed = parseCliArgs([...idcs, '--client-secret', 's'], {});
    expect(parsed.kind === 'run' && parsed.settings.secretFlags).to.deep.equal(['--client-secret']);
  });

  it('common options: --proxy, --ca, --timeout, --json', () => {
    const parsed = parseCliArgs(['check', 'cyberark', '--url', 'https://t.example', '--proxy', '--ca', 'ca.pem', '--timeout', '2500', '--json'], {});
    expect(parsed.kind === 'run' && parsed.settings).to.include({ proxy: true, caFile: 'ca.pem', timeoutMs: 2500, json: true });
  });

  it('OAA: --api-user with OAA_API_KEY, or OAA_BEARER_TOKEN; CyberArk: --tenant-id, --pod-allowlist lists', () => {
    const basic = parseCliArgs(['check', 'oaa', '--url', 'https://o/oaa/runtime', '--api-user', 'oaainstall-oaa'], { OAA_API_KEY: 'k' });
    expect(basic.kind === 'run' && basic.settings).to.include({ apiUser: 'oaainstall-oaa', apiKey: 'k' });
    const bearer = parseCliArgs(['check', 'oaa', '--url', 'https://o/oaa/runtime'], { OAA_BEARER_TOKEN: 't' });
    expect(bearer.kind === 'run' && bearer.settings).to.include({ bearer: 't' });
    const ca = parseCliArgs(['check', 'cyberark', '--url', 'https://t', '--tenant-id', 'ABC', '--pod-allowlist', 'a.example, *.b.example', '--pod-allowlist', 'c:8443'], {});
    expect(ca.kind === 'run' && ca.settings).to.deep.include({ tenantId: 'ABC', podAllowlist: ['a.example', '*.b.example', 'c:8443'] });
  });

  it('help: no arguments, -h, --help', () => {
    for (const argv of [[], ['-h'], ['check', 'idcs', '--help']]) expect(parseCliArgs(argv, {})).to.deep.equal({ kind: 'help' });
  });

  it('bad usage is explained', () => {
    const usage = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
      const parsed = parseCliArgs(argv, env);
      expect(parsed.kind, JSON.stringify(argv)).to.equal('usage');
      return parsed.kind === 'usage' ? parsed.message : '';
    };
    expect(usage(['login'])).to.include('unknown command');
    expect(usage(['check'])).to.include('name the provider');
    expect(usage(['check', 'okta'])).to.include('unknown provider');
    expect(usage(['check', 'idcs', '--nope'])).to.include('--nope');
    expect(usage(['check', 'idcs'])).to.include('--url').and.include('IDCS_URL');
    expect(usage(idcs)).to.include('IDCS_CLIENT_SECRET');
    expect(usage(['check', 'oaa', '--url', 'https://o', '--client-id', 'x'])).to.include('does not apply to oaa');
    expect(usage(['check', 'cyberark', '--url', 'https://t', '--app-name', 'x'])).to.include('does not apply to cyberark');
    expect(usage(['check', 'oaa', '--url', 'https://o', '--api-user', 'u'])).to.include('go together');
    expect(usage(['check', 'oaa', '--url', 'https://o', '--api-user', 'u', '--bearer', 't'], { OAA_API_KEY: 'k' })).to.include('not both');
    expect(usage(['check', 'cyberark', '--url', 'https://t', '--timeout', '5s'])).to.include('--timeout');
    expect(usage(['check', 'cyberark', '--url', 'https://t', 'extra'])).to.include('unexpected argument');
  });
});
