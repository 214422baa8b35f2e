import { expect } from 'chai';
import { Browser } from '../support/browser.js';
import { pageLocals } from '../support/app.js';
import { useFixture } from '../support/fixture.js';

describe('HTML mode: forms, Post/Redirect/Get and step pages', () => {
  const f = useFixture();

  it('logs in with forms: start page → step page → returnTo', async () => {
    const browser = new Browser(f.app.url, 'html');
    expect((await browser.get('/protected')).status).to.equal(302);
    const start = pageLocals((await browser.get('/login/')).text);
    expect(start.page).to.equal('start');
    expect(start.actions.start).to.equal('/login/start');

    const posted = await browser.post('/login/start', { username: 'dave', _csrf: start.csrfToken });
    expect(posted.status).to.equal(303);
    expect(posted.location).to.match(/^\/login\/step\?tx=[\w-]{22}$/);
    const stepPage = await browser.get(posted.location!);
    expect(stepPage.headers['cache-control']).to.equal('no-store');
    const step1 = pageLocals(stepPage.text);
    expect(step1.step!.kind).to.equal('answer');
    expect(step1.username).to.equal('dave');

    const form = { tx: step1.transactionId, seq: step1.step!.sequence, mechanism: step1.step!.mechanisms[0]!.id, _csrf: step1.csrfToken };
    const afterPassword = await browser.post('/login/answer', { ...form, answer: 'dave-pw' });
    expect(afterPassword.status).to.equal(303);
    const step2 = pageLocals((await browser.get(afterPassword.location!)).text);
    expect(step2.step!.kind).to.equal('select');
    const sq = step2.step!.mechanisms.find((m) => m.type === 'question')!;
    const selected = await browser.post('/login/select', { tx: step2.transactionId, seq: step2.step!.sequence, mechanism: sq.id, _csrf: step2.csrfToken });
    const step3 = pageLocals((await browser.get(selected.location!)).text);
    const done = await browser.post('/login/answer', {
      tx: step3.transactionId, seq: step3.step!.sequence, mechanism: sq.id, answer: { q1: 'Rex', q2: 'Leeds' }, _csrf: step3.csrfToken,
    });
    expect(done.status).to.equal(303);
    expect(done.location).to.equal('/protected');
    expect((await browser.get('/protected')).json).to.deep.equal({ ok: true });
  });

  it('a wrong code comes back to the step page with a one-shot message', async () => {
    const browser = new Browser(f.app.url, 'html');
    const start = pageLocals((await browser.get('/login/')).text);
    const posted = await browser.post('/login/start', { username: 'dave', _csrf: start.csrfToken });
    const step1 = pageLocals((await browser.get(posted.location!)).text);
    const replay = { tx: step1.transactionId, seq: 99, mechanism: step1.step!.mechanisms[0]!.id, answer: 'dave-pw', _csrf: step1.csrfToken };
    const stale = await browser.post('/login/answer', replay);
    expect(stale.status).to.equal(303);
    expect(stale.location).to.equal(posted.location);
    const shown = pageLocals((await browser.get(stale.location!)).text);
    expect(shown.flash).to.deep.include({ code: 'STALE_STEP' });
    const again = pageLocals((await browser.get(stale.location!)).text);
    expect(again.flash).to.equal(undefined);
  });

  it('a failed login goes back to the start page with the message and the username', async () => {
    const browser = new Browser(f.app.url, 'html');
    const start = pageLocals((await browser.get('/login/')).text);
    const posted = await browser.post('/login/start', { username: 'alice', _csrf: start.csrfToken });
    const step = pageLocals((await browser.get(posted.location!)).text);
    const failed = await browser.post('/login/answer', { tx: step.transactionId, seq: step.step!.sequence, mechanism: 'c1m1', answer: 'nope', _csrf: step.csrfToken });
    expect(failed.status).to.equal(303);
    expect(failed.location).to.equal('/login/');
    const back = pageLocals((await browser.get('/login/')).text);
    expect(back.flash).to.deep.include({ code: 'AUTH_FAILED' });
    expect(back.username).to.equal('alice');
  });

  it('cancel ends the login upstream (CleanupAuthentication) and returns to the start page', async () => {
    const browser = new Browser(f.app.url, 'html');
    const start = pageLocals((await browser.get('/login/')).text);
    const posted = await browser.post('/login/start', { username: 'alice', _csrf: start.csrfToken });
    const step = pageLocals((await browser.get(posted.location!)).text);
    const cancelled = await browser.post('/login/cancel', { tx: step.transactionId, _csrf: step.csrfToken });
    expect(cancelled.status).to.equal(303);
    expect(cancelled.location).to.equal('/login/');
    expect(f.sim.requests.at(-1)!.path).to.match(/CleanupAuthentication$/i);
    expect((await browser.get(posted.location!)).status).to.equal(303);
  });
});
