/**
 * Issue 15: "try another way" + select of an SMS or e-mail method again used to send a new code
 * every time (CyberArk 10, OAA 10, IDCS 12 in one login). Now a login sends at most
 * maxResends + 1 codes, whichever actions cause them, for all three providers.
 */
import { expect } from 'chai';
import { useFixture } from '../support/fixture.js';
import { useIdcsFixture } from '../support/idcs-fixture.js';
import { useOaaFixture } from '../support/oaa-fixture.js';
import { cyberarkSends, idcsSends, oaaSends, selectLoop } from './helpers.js';

const maxResends = 2;

function expectCapped(answers: Array<{ status: number; json: any; headers: Record<string, unknown> }>, sent: number): void {
  expect(sent).to.equal(maxResends + 1);
  const refused = answers.filter((a) => a.status !== 200);
  expect(refused.length).to.be.greaterThan(0);
  for (const a of refused) {
    expect(a.status).to.equal(429);
    expect(a.json.error.code).to.equal('RATE_LIMITED');
    expect(a.json.error.message).to.match(/no more codes/i);
    expect(Number(a.headers['retry-after'])).to.be.greaterThan(0);
  }
}

describe('limits: a select/alternatives loop sends at most maxResends + 1 codes per login', () => {
  describe('CyberArk', () => {
    const f = useFixture({ app: { strategy: { maxResends } } });
    it('erin: SMS, e-mail, SMS, … after "choose another method"', async () => {
      const client = f.client();
      await client.startWithPassword('erin');
      const answers = await selectLoop(client, 8);
      expectCapped(answers, cyberarkSends(f.sim));
      // A resend is refused as well (the step on screen has nothing to resend, or the budget is spent), and sends nothing.
      const resend = await client.act('resend');
      expect(resend.status).to.be.oneOf([409, 429]);
      expect(cyberarkSends(f.sim)).to.equal(maxResends + 1);
    });

    it('the per-login cooldown applies to select again, with Retry-After', async () => {
      const app = await f.startApp({ strategy: { maxResends, resendCooldownMs: 30_000 } });
      try {
        const client = new (await import('../support/login-client.js')).LoginClient(app.url);
        await client.startWithPassword('erin');
        const [first, second] = await selectLoop(client, 2);
        expect(first!.status).to.equal(200);
        expect(second!.status).to.equal(429);
        expect(second!.json.error.message).to.match(/wait \d+ seconds/i);
        expect(Number(second!.headers['retry-after'])).to.be.within(1, 30);
        expect(cyberarkSends(f.sim)).to.equal(1);
      } finally {
        await app.close();
      }
    });
  });

  describe('IDCS', () => {
    const f = useIdcsFixture({ app: { strategy: { maxResends } } });
    it('lea: the SMS sent after the password, then e-mail and SMS again', async () => {
      const client = f.client();
      await client.startWithPassword('lea');
      const answers = await selectLoop(client, 8);
      expectCapped(answers, idcsSends(f.sim, 1));
    });
  });

  describe('OAA', () => {
    const f = useOaaFixture({ app: { strategy: { maxResends } } });
    it('sam: e-mail, SMS, e-mail, …', async () => {
      const client = f.client();
      await client.startWithPassword('sam');
      const answers = await selectLoop(client, 8);
      expectCapped(answers, oaaSends(f.sim));
    });
  });
});
