/** Replay: PUSH is preferred and the user denies it (Oracle: 401 AUTH-1007 "Authentication failed."). */
import { expect } from 'chai';
import { afterPassword, expectError, get, post, useConformance } from './harness.js';

describe('IDCS conformance: push preferred, denied', () => {
  const f = useConformance();

  it('AUTH-1007 on a poll is OOB_DENIED, a 4xx, never a 5xx', async () => {
    f.up.script(
      ...afterPassword('password-then-push-pending'),
      post('push-denied', { op: 'credSubmit' }),
    );
    const client = f.client();
    await client.start('admin@oracle.com');
    await client.answer('pw');
    expect(client.step!.kind).to.equal('pending');
    const denied = await client.poll();
    expectError(denied, 'OOB_DENIED');
    expect(denied.json.error.details.upstreamCode).to.equal('AUTH-1007');
    expect(f.app.serverErrors).to.deep.equal([]);
    f.up.verify();
  });
});
