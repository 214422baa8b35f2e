import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runCli } from '../../lib/check/cli.js';
import { CyberArkSimulator, IdcsSimulator, OaaSimulator } from '../../lib/testing/index.js';
import { collectSecrets } from '../support/log-capture.js';
import { closedPort, noProxyEnv, tokenLike } from './helpers.js';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
const built = join(root, 'dist/esm/cli.js');

interface Ran { code: number; stdout: string; stderr: string }

/** The bin as a child process (asynchronously: the simulators answer from this process). */
async function bin(entry: 'tsx' | 'built', args: string[], env: Record<string, string> = {}): Promise<Ran> {
  const argv = entry === 'tsx' ? ['--import', 'tsx/esm', join(root, 'lib/cli.ts'), ...args] : [built, ...args];
  const cleanEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const key of Object.keys(noProxyEnv)) delete cleanEnv[key];
  delete cleanEnv.DEBUG;
  try {
    const { stdout, stderr } = await run(process.execPath, argv, { cwd: root, env: cleanEnv, timeout: 20_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('check CLI: `passport-multistep check …` (exit codes, output, secrets from the environment)', function () {
  this.timeout(30_000);
  let idcs: IdcsSimulator;
  let oaa: OaaSimulator;
  let cyberark: CyberArkSimulator;
  before(async () => { [idcs, oaa, cyberark] = await Promise.all([IdcsSimulator.start(), OaaSimulator.start(), CyberArkSimulator.start()]); });
  after(async () => { await Promise.all([idcs.close(), oaa.close(), cyberark.close()]); });
  afterEach(() => { for (const sim of [idcs, oaa, cyberark]) { collectSecrets(sim.requests); sim.reset(); } });

  it('IDCS, secret from IDCS_CLIENT_SECRET: exit 0, one ✔ line per check, no secret or token printed', async () => {
    const ran = await bin('tsx', ['check', 'idcs', '--url', idcs.url, '--client-id', idcs.clientId, '--app-name', idcs.appName], { IDCS_CLIENT_SECRET: idcs.clientSecret });
    expect(ran.code, ran.stderr).to.equal(0);
    const lines = ran.stdout.trim().split('\n');
    expect(lines[0]).to.equal(`passport-multistep check: idcs ${idcs.url}/`);
    expect(lines.slice(1, -1).every((line) => line.startsWith('✔ '))).to.equal(true);
    expect(lines.slice(1, -1)).to.have.length(5);
    expect(lines.at(-1)).to.equal('OK: 5 passed.');
    expect(ran.stdout + ran.stderr).to.not.include(idcs.clientSecret);
    expect(ran.stdout).to.not.match(tokenLike);
    expect(ran.stderr).to.equal('');
  });

  it('a wrong secret: exit 1, ✖ with the next step; a secret given as a flag gets a note on stderr', async () => {
    const ran = await bin('tsx', ['check', 'idcs', '--url', idcs.url, '--client-id', idcs.clientId, '--client-secret', 'wrong-secret-value']);
    expect(ran.code).to.equal(1);
    expect(ran.stdout).to.match(/^✖ Client credentials token +IDCS refused the client id or secret \(invalid_client, HTTP 401\)$/m);
    expect(ran.stdout).to.match(/^ +→ Check the client id/m);
    expect(ran.stdout).to.match(/^– Authenticate API/m);
    expect(ran.stdout).to.include('FAILED: 1 failed');
    expect(ran.stdout).to.not.include('wrong-secret-value');
    expect(ran.stderr).to.include('--client-secret puts a secret in your shell history');
  });

  it('--json: the report as JSON, with the same exit code', async () => {
    const ran = await bin('tsx', ['check', 'oaa', '--url', oaa.url, '--api-user', oaa.apiUsername, '--json'], { OAA_API_KEY: oaa.apiKey });
    expect(ran.code, ran.stderr).to.equal(0);
    const report = JSON.parse(ran.stdout);
    expect(report).to.include({ provider: 'oaa', ok: true });
    expect(report.results.map((r: { id: string; status: string }) => `${r.id}:${r.status}`))
      .to.deep.equal(['config:pass', 'connect:pass', 'http:pass', 'oaa.api:pass', 'oaa.agent:skip']);
    expect(ran.stdout).to.not.include(oaa.apiKey);
  });

  it('nothing listening: exit 1', async () => {
    const ran = await bin('tsx', ['check', 'cyberark', '--url', `http://127.0.0.1:${await closedPort()}`]);
    expect(ran.code).to.equal(1);
    expect(ran.stdout).to.match(/^✖ Connection .*ECONNREFUSED/m);
  });

  it('bad usage: exit 2 with a message on stderr; --help: exit 0', async () => {
    const noProvider = await bin('tsx', ['check']);
    expect(noProvider.code).to.equal(2);
    expect(noProvider.stderr).to.include('name the provider').and.include('--help');
    expect(noProvider.stdout).to.equal('');
    expect((await bin('tsx', ['check', 'idcs', '--url', idcs.url, '--bogus'])).code).to.equal(2);
    const help = await bin('tsx', ['--help']);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.include('Usage: passport-multistep check').and.include('IDCS_CLIENT_SECRET');
  });

  it('in process: --ca that cannot be read, or holds no certificate, is bad usage (2); a PEM file is read', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (t: string) => { out.push(t); }, stderr: (t: string) => { err.push(t); }, env: {} };
    expect(await runCli(['check', 'cyberark', '--url', cyberark.url, '--ca', '/nonexistent/ca.pem'], io)).to.equal(2);
    expect(err.join('')).to.include('cannot read --ca');
    const dir = mkdtempSync(join(tmpdir(), 'pm-check-'));
    try {
      writeFileSync(join(dir, 'junk.pem'), 'not a certificate');
      expect(await runCli(['check', 'cyberark', '--url', cyberark.url, '--ca', join(dir, 'junk.pem')], io)).to.equal(2);
      expect(err.join('')).to.include('no PEM certificate');
      writeFileSync(join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
      // A malformed PEM is the TLS layer's to refuse; over plain http the check still runs.
      const code = await runCli(['check', 'cyberark', '--url', cyberark.url, '--ca', join(dir, 'ca.pem'), '--timeout', '3000'], io);
      expect(code).to.equal(0);
      expect(out.join('')).to.include('✔ Identity API');
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('the built bin (dist/esm/cli.js, what package.json `bin` names) runs the same check', async function () {
    if (!existsSync(built)) this.skip(); // `npm test` builds first
    const ran = await bin('built', ['check', 'cyberark', '--url', cyberark.url]);
    expect(ran.code, ran.stderr).to.equal(0);
    expect(ran.stdout).to.include('✔ Identity API');
  });
});
