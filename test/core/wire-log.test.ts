import { expect } from 'chai';
import createDebug from 'debug';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { UpstreamClient, UpstreamCookieJar } from '../../lib/index.js';
import type { HttpReply } from '../../lib/testing/shared/http.js';
import { useFixture } from '../support/fixture.js';
import { useIdcsFixture } from '../support/idcs-fixture.js';
import { listenLoopback, type Listening } from '../support/listen.js';
import { capturedLogs, collectSecrets, suiteSecrets, watchSimulatorReplies } from '../support/log-capture.js';
import { useOaaFixture } from '../support/oaa-fixture.js';
import { sleep } from '../support/sim-fixture.js';

/**
 * The `passport-multistep:wire` namespace (enabled for the whole suite by log-capture.ts):
 * one line per upstream exchange with names, types and lengths, never a value.
 */

const prefix = 'passport-multistep:wire ';

/** The wire lines captured since `from`, without the debug prefix. */
function wireLines(from: number): string[] {
  return capturedLogs.slice(from).filter((line) => line.includes(prefix)).map((line) => line.slice(line.indexOf(prefix) + prefix.length));
}

/**
 * Every string in the bodies the simulator received and sent, six characters or more (shorter
 * ones occur by chance: `string`, `array`, the names), minus those that are also (part of) key names.
 */
function valuesOf(bodies: unknown[]): Set<string> {
  const keys = new Set<string>();
  const values = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') { if (value.length >= 6) values.add(value); return; }
    if (Array.isArray(value)) { value.forEach(walk); return; }
    if (value && typeof value === 'object') for (const [key, inner] of Object.entries(value)) { keys.add(key); walk(inner); }
  };
  bodies.forEach(walk);
  const names = [...keys].join('\n');
  for (const value of values) if (names.includes(value)) values.delete(value); // "Password" is also part of AllowForgotPassword
  return values;
}

/** Runs `login` and returns its wire lines and the bodies the simulator exchanged meanwhile. */
async function traced(sim: { requests: ReadonlyArray<{ body?: unknown; headers?: Record<string, unknown> }> }, login: () => Promise<void>) {
  const from = capturedLogs.length;
  const replies: HttpReply[] = [];
  const watch = watchSimulatorReplies((reply) => replies.push(reply));
  try { await login(); } finally { watch.stop(); }
  const replyBodies = replies.filter((r) => /json/.test(String(r.headers['content-type']))).map((r) => JSON.parse(r.body) as unknown);
  const requestBodies = sim.requests.map((r) => (typeof r.body === 'string' ? Object.fromEntries(new URLSearchParams(r.body)) : r.body));
  collectSecrets(sim.requests);
  return { lines: wireLines(from), replyBodies, values: valuesOf([...requestBodies, ...replyBodies]) };
}

function expectNoValue(lines: string[], values: Set<string>): void {
  expect(values.size, 'the check has values to look for').to.be.above(5);
  for (const value of values) for (const line of lines) expect(line, `a wire line carries the value ${JSON.stringify(value.slice(0, 12))}…`).not.to.include(value);
  // And nothing from the suite's secret set (tokens, ids and cookie values the simulators handed out).
  for (const secret of suiteSecrets) for (const line of lines) expect(line, 'a wire line carries a secret').not.to.include(secret);
}

describe('wire log: the shape of every upstream exchange, never a value', () => {
  describe('the line (a tiny upstream on loopback)', () => {
    let upstream: Listening;
    let client: UpstreamClient;
    let answer: (req: IncomingMessage, res: ServerResponse) => void;
    before(async () => {
      const handler = (req: IncomingMessage, res: ServerResponse) => {
        req.resume();
        req.on('end', () => answer(req, res));
      };
      upstream = await listenLoopback(Object.assign(handler, { listen: (port: number, host: string, cb: () => void) => createServer(handler).listen(port, host, cb) }));
      client = new UpstreamClient();
    });
    after(async () => {
      await client.close();
      await upstream.close();
    });

    const url = (path: string) => new URL(path, upstream.url);

    it('JSON in and out: names, types and lengths, booleans, query names, cookie names, no header values', async () => {
      answer = (_req, res) => {
        res.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'set-cookie': ['sess=cookie-value-123456; Path=/; HttpOnly', '.ASPXAUTH=aspx-value-654321; Secure'],
        });
        res.end(JSON.stringify({ Success: false, Result: { SessionId: 'session-value-abcdef', Count: 424242, Items: [{ a: 'x' }, { b: null }] } }));
      };
      const jar = new UpstreamCookieJar();
      jar.setCookies(url('/'), ['pre=jar-value-998877']);
      const from = capturedLogs.length;
      await client.request({
        method: 'POST',
        url: url('/api/v1/Start?appName=secret-app-name&user=query-value-111'),
        headers: { authorization: 'Bearer bearer-value-777777' },
        json: { User: 'user-value-222222', Pin: 135791, Remember: true },
      }, jar);
      const [line, ...more] = wireLines(from);
      expect(more).to.deep.equal([]);
      expect(line).to.match(/^POST \/api\/v1\/Start\?appName=&user= -> 200 application\/json; charset=utf-8 in [\d.]+ ms; /);
      expect(line).to.include('request json {User: string(17), Pin: number, Remember: true}');
      expect(line).to.include('cookies sent 1');
      expect(line).to.include('response json {Success: false, Result: {SessionId: string(20), Count: number, Items: array(2)[{a: string(1), b: null}]}}');
      expect(line).to.include('set-cookie 2 [sess, .ASPXAUTH]');
      for (const value of ['secret-app-name', 'query-value-111', 'bearer-value-777777', 'user-value-222222', '135791', '424242', 'session-value-abcdef',
        'cookie-value-123456', 'aspx-value-654321', 'jar-value-998877', 'Bearer', 'HttpOnly', 'authorization', '127.0.0.1']) {
        expect(line).not.to.include(value);
      }
    });

    it('a form body shows field names and lengths; an HTML page only its length', async () => {
      const page = '<!doctype html><html><body>Sign in to tenant-name-here</body></html>';
      answer = (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(page);
      };
      const from = capturedLogs.length;
      await client.request({ method: 'POST', url: url('/oauth2/v1/token'), form: { grant_type: 'client_credentials', client_secret: 'form-secret-333333' } });
      const [line] = wireLines(from);
      expect(line).to.include('request form {grant_type: string(18), client_secret: string(18)}');
      expect(line).to.include('-> 200 text/html in');
      expect(line).to.match(new RegExp(`response html\\(${page.length}\\)$`));
      expect(line).not.to.include('form-secret-333333').and.not.to.include('client_credentials').and.not.to.include('tenant-name-here');
    });

    it('a transport failure still gets its line, with the error code', async () => {
      answer = (req) => req.socket.destroy();
      const from = capturedLogs.length;
      const failed = await client.request({ method: 'GET', url: url('/down') }).catch((error: unknown) => error);
      expect(failed).to.have.property('code', 'UPSTREAM_UNAVAILABLE');
      expect(wireLines(from)).to.have.length(1);
      expect(wireLines(from)[0]).to.match(/^GET \/down -> failed UPSTREAM_UNAVAILABLE after [\d.]+ ms$/);
    });

    it('costs nothing when the namespace is off: no line, and the request body is read once (for sending only)', async () => {
      answer = (_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"ok":true}'); };
      let reads = 0;
      const json = { get probe() { reads++; return 'x'; } };
      createDebug.enable('passport-multistep:*,-passport-multistep:wire');
      try {
        const from = capturedLogs.length;
        await client.request({ method: 'POST', url: url('/off'), json });
        expect(wireLines(from)).to.deep.equal([]);
        expect(capturedLogs.slice(from).length, 'the other namespaces still log').to.be.above(0);
        expect(reads).to.equal(1);
      } finally {
        createDebug.enable('passport-multistep:*');
      }
      await client.request({ method: 'POST', url: url('/on'), json });
      expect(reads, 'with the namespace on, the shape reads it again').to.equal(3);
    });
  });

  describe('CyberArk', () => {
    const f = useFixture();

    it('a password + SMS login shows Summary, Challenges and SessionId by name, none of the values', async () => {
      const { lines, replyBodies, values } = await traced(f.sim, async () => {
        const bob = f.client();
        await bob.startWithPassword('bob');
        await bob.answer(f.sim.lastCode('bob'));
        expect(bob.last!.json.step.kind).to.equal('done');
      });
      expect(lines.map((line) => line.slice(0, line.indexOf(' ->')))).to.deep.equal([
        'POST /Security/StartAuthentication', 'POST /Security/AdvanceAuthentication', 'POST /Security/AdvanceAuthentication',
      ]);
      const all = lines.join('\n');
      for (const name of ['Summary: string(', 'Challenges: array(2)[{Mechanisms: array(1)[{', 'SessionId: string(', 'MechanismId: string(32)', 'Answer: string(', 'Success: true']) {
        expect(all.toLowerCase()).to.include(name.toLowerCase());
      }
      // What the simulator handed out is in the suite's secret set, so the root hook checks it too.
      const token = (replyBodies.at(-1) as { Result: { Token: string; UserId: string } }).Result;
      expect(suiteSecrets.has(token.Token) && suiteSecrets.has(token.UserId)).to.equal(true);
      expectNoValue(lines, values);
    });
  });

  describe('IDCS', () => {
    const f = useIdcsFixture();

    it('a password + TOTP login shows requestState and nextOp by name, no requestState, authnToken or access token', async () => {
      const { lines, values } = await traced(f.sim, async () => {
        const ben = f.client();
        await ben.startWithPassword('ben');
        await ben.answer(f.sim.totpCode('ben'));
        expect(ben.last!.json.step.kind).to.equal('done');
      });
      const all = lines.join('\n');
      for (const name of ['requestState: string(', 'nextOp: array(', 'authnToken: string(', 'access_token: string(', 'GET /sso/v1/sdk/authenticate?appName= ->', 'assertion: string(']) {
        expect(all).to.include(name);
      }
      const tokens = f.sim.requests.flatMap((r) => [r.headers.authorization, (r.body as { requestState?: string } | undefined)?.requestState]);
      for (const token of tokens) if (typeof token === 'string') values.add(token.replace(/^(Bearer|Basic) /, ''));
      expectNoValue(lines, values);
    });
  });

  describe('OAA', () => {
    const f = useOaaFixture();

    it('a password + push login shows nonce and correlationId by name, none of their values', async () => {
      const { lines, values } = await traced(f.sim, async () => {
        const rosa = f.client();
        await rosa.startWithPassword('rosa');
        f.sim.approvePush('rosa');
        await sleep(25);
        await rosa.act('poll');
        expect(rosa.last!.json.step.kind).to.equal('done');
      });
      const all = lines.join('\n');
      for (const name of ['nonce: string(', 'correlationId: string(', 'POST /oaa/runtime/authn/v1 -> 200', 'PUT /oaa/runtime/authn/v1 -> 200']) expect(all).to.include(name);
      values.add(f.sim.apiKey);
      expectNoValue(lines, values);
    });
  });
});
