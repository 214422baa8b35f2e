/**
 * Replay: PUSH is preferred (Oracle: "Authentication With Push Notification Set as the
 * Default Method"): the password submit itself answers pending AUTH-1108; the client polls
 * with credSubmit until the authnToken comes.
 */
import { expect } from 'chai';
import { afterPassword, expectLoggedIn, get, post, useConformance } from './harness.js';

describe('IDCS conformance: push preferred, approved', () => {
  const f = useConformance();

  it('shows a pending push for "Joe\'s iPhone", polls with credSubmit and the latest requestState, and logs in', async () => {
    f.up.script(
      ...afterPassword('password-then-push-pending'),
      post('push-pending-poll', { op: 'credSubmit' }),
      post('push-approved', { op: 'credSubmit' }),
    );
    const client = f.client();
    await client.start('admin@oracle.com');
    await client.answer('pw');
    expect(client.step!.kind).to.equal('pending');
    expect(client.step!.mechanisms[0]).to.include({ type: 'push', device: "Joe's iPhone" });
    expect(client.step!.alternatives).to.equal(true);
    expect((await client.poll()).json.step.kind).to.equal('pending');
    expect(client.step!.mechanisms[0]).to.include({ type: 'push' });
    await expectLoggedIn(f, client, await client.poll());
  });
});
