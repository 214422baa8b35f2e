import { expect } from 'chai';
import { capturedLogs } from '../support/log-capture.js';
import { sleep } from '../support/sim-fixture.js';
import { useOaaFixture } from '../support/oaa-fixture.js';

describe('OAA: no secret reaches a log line or the browser', () => {
  const f = useOaaFixture();

  it('holds for the API key, agent secret, nonces, correlationIds, passwords and codes', async () => {
    const from = capturedLogs.length;
    const texts: string[] = [];
    const olga = f.client();
    await olga.start('olga'); texts.push(olga.last!.text);
    await olga.answer('olga-wrong-password'); texts.push(olga.last!.text);
    await olga.answer('olga-pw'); texts.push(olga.last!.text);
    await olga.answer('918273'); texts.push(olga.last!.text);
    await olga.answer(f.sim.lastCode('olga')); texts.push(olga.last!.text);
    const rosa = f.client();
    await rosa.startWithPassword('rosa'); texts.push(rosa.last!.text);
    f.sim.approvePush('rosa');
    await sleep(25);
    await rosa.act('poll'); texts.push(rosa.last!.text);

    const secrets = new Set<string>(['olga-pw', 'olga-wrong-password', 'rosa-pw', f.sim.apiKey, f.sim.clientSecret]);
    for (const r of f.sim.requests) {
      const body = (r.body ?? {}) as { nonce?: string; correlationId?: string; challengeAnswer?: string };
      for (const value of [body.nonce, body.correlationId, body.challengeAnswer]) if (value && value.length >= 6) secrets.add(value);
      const auth = r.headers.authorization;
      if (typeof auth === 'string') secrets.add(auth.replace(/^(Bearer|Basic) /, ''));
    }
    const logs = capturedLogs.slice(from);
    expect(logs.length).to.be.above(5);
    for (const secret of secrets) {
      for (const line of logs) expect(line, 'a log line leaks a secret').not.to.include(secret);
      for (const text of texts) expect(text, 'a response leaks a secret').not.to.include(secret);
    }
  });
});
