/** Replay: terms of use after the password (Oracle: "Authentication Using User Name/Password + Terms Of Use"). */
import { expect } from 'chai';
import { exampleBody, type JsonObject } from './oracle-examples.js';
import { expectLoggedIn, get, post, useConformance } from './harness.js';

const tou = exampleBody('tou-prompt').TOU as JsonObject;

describe('IDCS conformance: terms of use accepted', () => {
  const f = useConformance();

  for (const prompt of ['tou-prompt', 'tou-prompt-no-status']) {
    it(`${prompt}: shows the statement in its locale and sends acceptTOU with consent: true`, async () => {
      f.up.script(
        get('start-password'),
        post(prompt, { op: 'credSubmit', credentials: ['username', 'password'] }),
        post('tou-accepted', { op: 'acceptTOU', credentials: ['consent'], check: (body) => expect(body.credentials).to.deep.equal({ consent: true }) }),
      );
      const client = f.client();
      await client.start('admin@oracle.com');
      await client.answer('pw');
      expect(client.step!.kind).to.equal('answer');
      expect(client.step!.mechanisms).to.have.length(1);
      expect(client.step!.mechanisms[0]).to.include({ type: 'consent', prompt: tou.statement, lang: tou.locale });
      await expectLoggedIn(f, client, await client.answer('accept'));
    });
  }
});
