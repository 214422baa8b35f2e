/**
 * Replay: security questions (conjur-cli-go start_auth_sq: one SQ mechanism, AnswerType Text,
 * a MultipartMechanism of three parts with Uuids id1..id3). One answer per question, sent as
 * one Answer object keyed by the parts' Uuids, exactly as conjur's test expects:
 * `{"Action":"Answer","Answer":{"id1":"A1","id2":"A2","id3":"A3"},"MechanismId":"sq_mechanism_id",…}`.
 */
import { expect } from 'chai';
import { example, exampleMechanisms, exampleResult } from './cyberark-examples.js';
import { advance, expectError, expectLoggedIn, expectNotLoggedIn, start, useConformance } from './harness.js';

const request = example('cnj-start-sq').answerRequest!;
const SQ = exampleMechanisms('cnj-start-sq', 0)[0]!.MechanismId as string;

describe('CyberArk conformance: security questions', () => {
  const f = useConformance();

  it('asks every question of the package at once and sends the answers keyed by Uuid', async () => {
    f.up.script(start('cnj-start-sq'), advance('cnj-advance-pass-only', { mechanismId: request.MechanismId as string, action: 'Answer', answer: request.Answer }));
    const c = f.client();
    await c.start('user@example.cloud');
    expect(c.step!.kind).to.equal('answer');
    const [sq] = c.step!.mechanisms;
    expect(sq).to.include({ type: 'question', label: 'Security questions', prompt: 'Answer your security questions.', upstreamPrompt: "Answer security question 'Q1?':" });
    // The questions' own texts (QuestionText), not the mechanism's single Question.
    expect(sq!.questions).to.deep.equal([{ id: 'q1', text: 'Q1' }, { id: 'q2', text: 'Q2' }, { id: 'q3', text: 'Q3' }]);
    const done = await c.answer({ q1: 'A1', q2: 'A2', q3: 'A3' });
    const success = exampleResult('cnj-advance-pass-only');
    await expectLoggedIn(f, c, done, { username: success.User as string, id: success.UserId as string });
    expect(f.up.calls('AdvanceAuthentication')[0]!.body).to.include({ MechanismId: SQ, TenantId: request.TenantId });
  });

  it('a wrong answer (advance_failure) fails the login, with the RetryWaitingTime of the package as advice', async () => {
    f.up.script(start('cnj-start-sq'), advance('cnj-advance-failure', { mechanismId: SQ, action: 'Answer', answer: { id1: 'A1', id2: 'wrong', id3: 'A3' } }));
    const c = f.client();
    await c.start('user@example.cloud');
    const failed = await c.answer({ q1: 'A1', q2: 'wrong', q3: 'A3' });
    expectError(failed, 'AUTH_FAILED', 401);
    expect(exampleResult('cnj-start-sq').RetryWaitingTime).to.equal(30);
    expect(failed.json.error.details).to.deep.equal({ restart: true, retryAfterSeconds: 30, upstreamErrorId: f.up.lastErrorId });
    expect(failed.json.error.message).to.match(/wait 30 seconds/i);
    f.up.verify();
    await expectNotLoggedIn(c);
  });
});
