import { expect } from 'chai';
import { capturedLogs } from '../support/log-capture.js';
import { sleep } from '../support/sim-fixture.js';
import { useIdcsFixture } from '../support/idcs-fixture.js';

describe('IDCS: no secret reaches a log line or the browser', () => {
  const f = useIdcsFixture();

  it('holds for access tokens, requestStates, passwords, codes, answers, authnToken and trustToken', async () => {
    const from = capturedLogs.length;
    const texts: string[] = [];
    const ann = f.client();
    await ann.start('ann'); texts.push(ann.last!.text);
    await ann.answer('ann-wrong-password'); texts.push(ann.last!.text);
    await ann.answer('ann-pw'); texts.push(ann.last!.text);
    const ben = f.client();
    await ben.startWithPassword('ben'); texts.push(ben.last!.text);
    await ben.answer('918273'); texts.push(ben.last!.text);
    await ben.act('alternatives'); texts.push(ben.last!.text);
    await ben.act('select', { mechanism: 'security-questions' });
    await ben.answer({ q1: 'Rex', q2: 'Leeds' }); texts.push(ben.last!.text);
    const lea = f.client();
    await lea.startWithPassword('lea');
    await lea.act('select', { mechanism: lea.step!.mechanisms.find((m) => m.id.startsWith('sms'))!.id });
    await lea.act('answer', { mechanism: lea.step!.mechanisms[0]!.id, answer: f.sim.lastCode('lea', 'SMS'), rememberDevice: 'on' }); texts.push(lea.last!.text);
    const dan = f.client();
    await dan.startWithPassword('dan');
    f.sim.approvePush('dan');
    await sleep(25);
    await dan.act('poll'); texts.push(dan.last!.text);
    f.sim.expireAccessTokens();
    const again = f.client();
    await again.startWithPassword('ann'); texts.push(again.last!.text);

    const secrets = new Set<string>(['ann-pw', 'ann-wrong-password', 'ben-pw', 'lea-pw', 'dan-pw', 'Leeds', f.sim.clientSecret]);
    for (const r of f.sim.requests) {
      const body = (r.body ?? {}) as { requestState?: string; credentials?: Record<string, unknown>; trustToken?: string };
      if (body.requestState) secrets.add(body.requestState);
      for (const value of Object.values(body.credentials ?? {})) if (typeof value === 'string' && value.length >= 5) secrets.add(value);
      if (body.trustToken) secrets.add(body.trustToken);
      const auth = r.headers.authorization;
      if (typeof auth === 'string') secrets.add(auth.replace(/^(Bearer|Basic) /, ''));
    }
    const logs = capturedLogs.slice(from);
    expect(logs.length).to.be.above(10);
    expect(secrets.size).to.be.above(10);
    for (const secret of secrets) {
      const probe = secret.length > 64 ? secret.slice(0, 64) : secret; // requestStates are long: any chunk is a leak
      for (const line of logs) expect(line, 'a log line leaks a secret').not.to.include(probe);
      for (const text of texts) expect(text, 'a response leaks a secret').not.to.include(probe);
    }
  });
});
