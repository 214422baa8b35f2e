/**
 * Issue 13 part 4: an OAA answer the provider cannot read (a status in no list, no status at
 * all, names it does not know, a body it cannot place) is UPSTREAM_BAD_RESPONSE (502) at every
 * step, with the field NAMES in the debug log, never a verdict about the user; only a recognised
 * "missing registration" is REGISTRATION_REQUIRED. The options change what is read and sent.
 */
import { expect } from 'chai';
import { oaa, type OaaOptions } from '../../lib/index.js';
import type { OaaOperation } from '../../lib/testing/index.js';
import { capturedLogs } from '../support/log-capture.js';
import { LoginClient } from '../support/login-client.js';
import { oaaOps, oaaOptions, useOaaFixture } from '../support/oaa-fixture.js';
import { sleep } from '../support/sim-fixture.js';

/** The debug lines logged since `from` that report an unreadable answer. */
const unreadableLines = (from: number): string[] => capturedLogs.slice(from).filter((l) => l.includes('OAA answer unreadable'));

/** The statuses in the simulator's `foreign` vocabulary, by meaning. */
const FOREIGN = {
  authenticated: ['OK'], pendingVerification: ['AWAITING_ANSWER'], pendingIdentification: ['CHOOSE_FACTOR'], failed: ['REJECTED'],
  error: ['FAULT'], missingRegistration: ['NO_FACTORS'], challengeBlocked: ['LOCKED_OUT'],
};

/** The simulator's `foreign` naming. */
const FOREIGN_NAMES = {
  correlationId: ['sessionRef'], nonce: ['nextNonce'], status: ['outcome.state'], code: ['outcome.reason'],
  challenges: ['options'], challengeType: ['kind'], prompts: ['texts'], attributes: ['attrs'],
};

describe('OAA: answers the provider cannot read are UPSTREAM_BAD_RESPONSE at every step, never a verdict', () => {
  const f = useOaaFixture();

  /** Runs `body` against a second app with these provider options. */
  async function withApp(more: Partial<OaaOptions>, body: (client: () => LoginClient) => Promise<void>): Promise<void> {
    const app = await f.startApp({ providerInstance: oaa(oaaOptions(f.sim, more)) });
    try { await body(() => new LoginClient(app.url)); } finally { await app.close(); }
  }

  const expectBadResponse = (res: { status: number; json: any }) => {
    expect(res.status, JSON.stringify(res.json)).to.equal(502);
    expect(res.json.error.code).to.equal('UPSTREAM_BAD_RESPONSE');
  };

  describe('a status value in no list (the simulator\'s foreign vocabulary)', () => {
    beforeEach(() => { f.sim.switches.statusStyle = 'foreign'; });

    it('POST: 502 with the field names (never values) in the debug log', async () => {
      const from = capturedLogs.length;
      const client = f.client();
      const res = await client.startWithPassword('olga');
      expectBadResponse(res);
      expect(oaaOps(f.sim)).to.deep.equal(['POST']);
      const [line, ...more] = unreadableLines(from);
      expect(more).to.deep.equal([]);
      expect(line).to.include('POST').and.include('unknown status').and.include('statusInfo.status')
        .and.include('correlationId').and.include('challengeInfo[].challengeType');
      expect(line).to.not.include('CHOOSE_FACTOR'); // the value itself
      expect(line).to.not.include('o***@example.com');
    });

    it('Init: 502 (the POST was readable)', async () => {
      await withApp({ statusValues: { pendingIdentification: FOREIGN.pendingIdentification } }, async (client) => {
        const from = capturedLogs.length;
        const res = await client().startWithPassword('olga');
        expectBadResponse(res);
        expect(oaaOps(f.sim)).to.deep.equal(['POST', 'Init']);
        expect(unreadableLines(from).join('\n')).to.include('Init').and.include('unknown status');
      });
    });

    it('Validate: the right code is 502, not a login; a readable "pending" is still a wrong answer', async () => {
      await withApp({ statusValues: { pendingIdentification: FOREIGN.pendingIdentification, pendingVerification: FOREIGN.pendingVerification } }, async (client) => {
        const c = client();
        await c.startWithPassword('olga');
        expect(c.step!.kind).to.equal('answer');
        expect((await c.answer('000000')).json.error.code).to.equal('WRONG_ANSWER');
        const from = capturedLogs.length;
        const res = await c.answer(f.sim.lastCode('olga'));
        expectBadResponse(res);
        expect(unreadableLines(from).join('\n')).to.include('Validate');
      });
    });

    it('a blocked factor and a missing registration in an unknown spelling are 502, not ACCOUNT_LOCKED / REGISTRATION_REQUIRED', async () => {
      f.sim.switches.retryCount = 1;
      await withApp({ statusValues: { pendingIdentification: FOREIGN.pendingIdentification, pendingVerification: FOREIGN.pendingVerification } }, async (client) => {
        const olga = client();
        await olga.startWithPassword('olga');
        expectBadResponse(await olga.answer('000000')); // LOCKED_OUT
        expectBadResponse(await client().startWithPassword('uma')); // NO_FACTORS
      });
    });

    it('poll: an approval or a denial in an unknown spelling is 502, not a login nor OOB_DENIED', async () => {
      await withApp({ statusValues: { pendingIdentification: FOREIGN.pendingIdentification, pendingVerification: FOREIGN.pendingVerification } }, async (client) => {
        for (const decide of [(u: string) => f.sim.approvePush(u), (u: string) => f.sim.denyPush(u)]) {
          const c = client();
          await c.startWithPassword('rosa');
          await sleep(25);
          expect((await c.act('poll')).json.step.kind).to.equal('pending'); // AWAITING_ANSWER is readable here
          decide('rosa');
          await sleep(25);
          const from = capturedLogs.length;
          expectBadResponse(await c.act('poll'));
          expect(unreadableLines(from).join('\n')).to.include('poll');
        }
      });
    });

    it('Finalize: the cancel still ends the login, and the unreadable answer is reported (UPSTREAM_BAD_RESPONSE in the log)', async () => {
      await withApp({ statusValues: { pendingIdentification: FOREIGN.pendingIdentification, pendingVerification: FOREIGN.pendingVerification } }, async (client) => {
        const c = client();
        await c.startWithPassword('olga');
        const from = capturedLogs.length;
        const res = await c.act('cancel');
        expect(res.json.cancelled).to.equal(true);
        expect(oaaOps(f.sim).at(-1)).to.equal('Finalize');
        const logs = capturedLogs.slice(from).join('\n');
        expect(logs).to.include('OAA answer unreadable').and.include('Finalize');
        expect(logs).to.match(/cancel upstream failed[^\n]*UPSTREAM_BAD_RESPONSE/);
      });
    });

    it('with every spelling configured (statusValues), the same upstream logs users in and names a missing registration', async () => {
      await withApp({ statusValues: FOREIGN }, async (client) => {
        const c = client();
        await c.startWithPassword('olga');
        expect((await c.answer(f.sim.lastCode('olga'))).json.step.kind).to.equal('done');
        const uma = await client().startWithPassword('uma');
        expect(uma.status).to.equal(403);
        expect(uma.json.error.code).to.equal('REGISTRATION_REQUIRED');
      });
    });
  });

  describe('no status at all (omitStatusOn)', () => {
    const cases: Array<[OaaOperation, string]> = [['POST', 'POST'], ['Init', 'Init'], ['Validate', 'Validate']];
    for (const [op, call] of cases) {
      it(`${op}: 502 "no status"`, async () => {
        f.sim.switches.omitStatusOn = [op];
        const c = f.client();
        const from = capturedLogs.length;
        let res = await c.startWithPassword('olga');
        if (op === 'Validate') res = await c.answer(f.sim.lastCode('olga'));
        expectBadResponse(res);
        expect(unreadableLines(from).join('\n')).to.include(call).and.include('no status');
      });
    }

    it('Validate on a push (poll): 502, and a wrong code too (no "wrong answer" guessed from nothing)', async () => {
      f.sim.switches.omitStatusOn = ['Validate'];
      const rosa = f.client();
      await rosa.startWithPassword('rosa');
      await sleep(25);
      expectBadResponse(await rosa.act('poll'));
      const olga = f.client();
      await olga.startWithPassword('olga');
      expectBadResponse(await olga.answer('000000'));
    });

    it('Finalize: reported in the log', async () => {
      f.sim.switches.omitStatusOn = ['Finalize'];
      const c = f.client();
      await c.startWithPassword('olga');
      const from = capturedLogs.length;
      expect((await c.act('cancel')).json.cancelled).to.equal(true);
      expect(unreadableLines(from).join('\n')).to.include('Finalize').and.include('no status');
    });
  });

  describe('names the provider does not know (the simulator\'s foreign naming)', () => {
    beforeEach(() => { f.sim.switches.naming = 'foreign'; });

    it('by default: 502 at the POST, the names it saw logged', async () => {
      const from = capturedLogs.length;
      expectBadResponse(await f.client().startWithPassword('sam'));
      const line = unreadableLines(from).join('\n');
      expect(line).to.include('no status').and.include('sessionRef').and.include('outcome.state').and.include('options[].kind');
    });

    it('with responseFields naming them: the whole login works, labels included', async () => {
      await withApp({ responseFields: FOREIGN_NAMES }, async (client) => {
        const c = client();
        await c.startWithPassword('sam');
        expect(c.step!.kind).to.equal('select');
        expect(c.step!.mechanisms.map((m) => m.label)).to.deep.equal(['E-mail to •••@example.com', 'Text message to •••• 6789', 'Authenticator app code']);
        await c.act('select', { mechanism: 'sms' });
        expect((await c.answer(f.sim.lastCode('sam'))).json.step.kind).to.equal('done');
      });
    });

    it('names and spellings together (naming + statusStyle foreign, responseFields + statusValues)', async () => {
      f.sim.switches.statusStyle = 'foreign';
      await withApp({ responseFields: FOREIGN_NAMES, statusValues: FOREIGN }, async (client) => {
        const c = client();
        await c.startWithPassword('rosa');
        f.sim.approvePush('rosa');
        await sleep(25);
        expect((await c.act('poll')).json.step.kind).to.equal('done');
      });
    });
  });

  describe('bodies no candidate fits (injected 200 answers; the simulator does not see the call)', () => {
    const bodies: Array<[string, unknown]> = [
      ['an empty object', {}],
      ['an array', []],
      ['a JSON string', 'Authenticated'],
      ['unrelated fields', { result: 'done', data: { ok: true } }],
      ['a status object without a status', { statusInfo: { message: 'Done' }, nonce: 'n-1' }],
    ];
    const json = (body: unknown) => ({ kind: 'status' as const, status: 200, body: JSON.stringify(body), contentType: 'application/json' });

    for (const [name, body] of bodies) {
      it(`${name}: 502 at the POST, at Init and at Validate; the same step then succeeds`, async () => {
        const c = f.client();
        await c.start('sam');
        f.sim.injectFault(json(body), { path: 'authn' });
        expectBadResponse(await c.answer('sam-pw'));
        expect((await c.answer('sam-pw')).json.step.kind).to.equal('select');
        f.sim.injectFault(json(body), { path: 'authn' });
        expectBadResponse(await c.act('select', { mechanism: 'email' }));
        await c.act('select', { mechanism: 'email' });
        expect(c.step!.kind).to.equal('answer');
        f.sim.injectFault(json(body), { path: 'authn' });
        expectBadResponse(await c.answer(f.sim.lastCode('sam')));
        expect((await c.answer(f.sim.lastCode('sam'))).json.step.kind).to.equal('done');
      });
    }

    it('a readable "pending" POST without a correlation, without challenges or without factor names is 502, not REGISTRATION_REQUIRED', async () => {
      const cases: Array<[unknown, string]> = [
        [{ nonce: 'n-1', statusInfo: { status: 'pending identification' }, challengeInfo: [{ challengeType: 'ChallengeEmail' }] }, 'no correlationId'],
        [{ correlationId: 'c-1', nonce: 'n-1', statusInfo: { status: 'pending identification' } }, 'no challenges'],
        [{ correlationId: 'c-1', nonce: 'n-1', statusInfo: { status: 'pending identification' }, challengeInfo: [] }, 'no challenges'],
        [{ correlationId: 'c-1', nonce: 'n-1', statusInfo: { status: 'pending identification' }, challengeInfo: [{ prompts: ['Pick one'] }] }, 'no factor names'],
      ];
      for (const [body, reason] of cases) {
        f.sim.injectFault(json(body), { path: 'authn' });
        const from = capturedLogs.length;
        expectBadResponse(await f.client().startWithPassword('olga'));
        expect(unreadableLines(from).join('\n'), reason).to.include(reason);
      }
    });

    it('only the code "ORA-40004" (no status) is read as authenticated, as the tutorial shows it', async () => {
      for (const body of [{ statusInfo: { code: 'ORA-40004' } }, { message: 'ORA-40004 Authenticated' }]) {
        const c = f.client();
        await c.startWithPassword('quinn');
        f.sim.injectFault(json(body), { path: 'authn' });
        expect((await c.answer(f.sim.totpCode('quinn'))).json.step.kind, JSON.stringify(body)).to.equal('done');
      }
    });
  });
});

describe('OAA request options: UNVERIFIED request fields are sent only when configured', () => {
  const f = useOaaFixture();

  it('requestFields: the Init factor fields, the assurance level shape, the IP and user agent names, the entry names', async () => {
    const app = await f.startApp({
      providerInstance: oaa(oaaOptions(f.sim, {
        requestFields: {
          initFactor: ['challengedata.factorKey', 'challengeType'], assuranceLevel: 'id', ipAddress: 'ipAddress', userAgent: 'userAgent',
          pair: { name: 'key', value: 'val' },
        },
      })),
    });
    try {
      const client = new LoginClient(app.url);
      await client.browser.send('GET', '/login/csrf');
      await client.start('olga', {});
      await client.browser.post('/login/answer', { tx: client.tx, sequence: client.step!.sequence, mechanism: 'password', answer: 'olga-pw', _csrf: client.csrf },
        { 'user-agent': 'TestAgent/1.0' });
      const context = f.sim.lastContext('olga') as Record<string, unknown>;
      expect(context.assuranceLevel).to.deep.equal({ id: 'PassportAL1' });
      expect(context.ipAddress).to.match(/127\.0\.0\.1/);
      expect(context.userAgent).to.equal('TestAgent/1.0');
      expect(context.headers).to.deep.include({ key: 'user-agent', val: 'TestAgent/1.0' });
      const init = f.sim.requests.find((r) => (r.body as { challengeop?: string }).challengeop === 'Init')!.body;
      expect(init).to.deep.include({ challengeType: 'ChallengeEmail', challengedata: { factorKey: 'ChallengeEmail' } });
    } finally { await app.close(); }
  });

  it('the assurance level as a bare string; the factor only at the top level', async () => {
    const app = await f.startApp({ providerInstance: oaa(oaaOptions(f.sim, { requestFields: { assuranceLevel: 'string', initFactor: ['challengeType'] } })) });
    try {
      const client = new LoginClient(app.url);
      await client.startWithPassword('olga');
      expect((f.sim.lastContext('olga') as Record<string, unknown>).assuranceLevel).to.equal('PassportAL1');
      const init = f.sim.requests.find((r) => (r.body as { challengeop?: string }).challengeop === 'Init')!.body as Record<string, unknown>;
      expect(init).to.include({ challengeType: 'ChallengeEmail' });
      expect(init).to.not.have.property('challengedata');
      expect((await client.answer(f.sim.lastCode('olga'))).json.step.kind).to.equal('done');
    } finally { await app.close(); }
  });

  it('refuses option values it cannot send or read', () => {
    const bad: Array<Partial<OaaOptions>> = [
      { requestFields: { initFactor: [] } },
      { requestFields: { initFactor: ['nonce'] } },
      { requestFields: { initFactor: ['a..b'] } },
      { requestFields: { assuranceLevel: 'object' as never } },
      { requestFields: { ipAddress: 'context.ip' } },
      { requestFields: { userAgent: 'headers' } },
      { requestFields: { initFactor: ['challengedata.__proto__'] } },
      { requestFields: { pair: { name: 'v', value: 'v' } } },
      { responseFields: { status: 'status' as never } },
      { responseFields: { statusCode: ['x'] } as never },
      { statusValues: { authenticated: [''] } },
    ];
    for (const more of bad) {
      expect(() => oaa(oaaOptions(f.sim, more)), JSON.stringify(more)).to.throw(TypeError);
    }
  });
});
