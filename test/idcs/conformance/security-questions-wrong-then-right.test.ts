/**
 * Replay: security questions. A wrong answer is 401 AUTH-1026 that may come back with a
 * different question (Oracle's example asks FirstPet after FavoriteFood); the retry answers
 * the question now shown, with the failure's requestState.
 */
import { expect } from 'chai';
import { exampleBody, type JsonObject } from './oracle-examples.js';
import { afterPassword, expectError, expectLoggedIn, get, post, useConformance } from './harness.js';

const first = ((exampleBody('password-then-security-questions').SECURITY_QUESTIONS as JsonObject).questions as JsonObject[])[0]!;
const second = ((exampleBody('sq-wrong-answer').SECURITY_QUESTIONS as JsonObject).questions as JsonObject[])[0]!;

describe('IDCS conformance: security questions, wrong then right', () => {
  const f = useConformance();

  it('shows the question with its hint; AUTH-1026 is WRONG_ANSWER and shows the new question; the retry answers it', async () => {
    const sq = { op: 'credSubmit', authFactor: 'SECURITY_QUESTIONS', credentials: ['questions'] };
    f.up.script(
      ...afterPassword('password-then-security-questions'),
      post('sq-wrong-answer', { ...sq, check: (body) => expect(body.credentials).to.deep.equal({ questions: [{ questionId: first.questionId, answer: 'Pizza' }] }) }),
      post('sq-success', { ...sq, requestState: 'issued', check: (body) => expect(body.credentials).to.deep.equal({ questions: [{ questionId: second.questionId, answer: 'dogTessy' }] }) }),
    );
    const client = f.client();
    await client.start('admin@oracle.com');
    await client.answer('pw');
    const [asked] = client.step!.mechanisms;
    expect(asked!.type).to.equal('question');
    expect(asked!.questions!.map((q) => ({ text: q.text, hint: q.hint }))).to.deep.equal([{ text: first.text, hint: first.hint }]);
    expect(JSON.stringify(client.step)).to.not.include(first.questionId as string); // local ids only

    const wrong = await client.answer({ [asked!.questions![0]!.id]: 'Pizza' });
    expectError(wrong, 'WRONG_ANSWER');
    expect(wrong.json.error.details.upstreamCode).to.equal('AUTH-1026');
    const [again] = client.step!.mechanisms;
    expect(again!.type).to.equal('question');
    expect(again!.questions!.map((q) => q.text)).to.deep.equal([second.text]);

    await expectLoggedIn(f, client, await client.answer({ [again!.questions![0]!.id]: 'dogTessy' }));
  });
});
