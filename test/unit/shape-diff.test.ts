/**
 * The conformance suites' shape walker (test/support/shape-diff.ts) under each vendor's rules:
 * what it reports is what makes a conformance test fail, so each rule is checked to report.
 */
import { expect } from 'chai';
import { shapeDiff as cyberArkDiff } from '../cyberark/conformance/shape.js';
import { shapeDiff as oracleDiff } from '../idcs/conformance/shape.js';

describe('conformance shape walker', () => {
  describe("CyberArk's rules", () => {
    const file = { success: true, Result: { Summary: 'NewPackage', SessionId: 'a', Challenges: [{ Mechanisms: [{ Name: 'UP', AnswerType: 'Text', Enrolled: true }] }] }, ErrorID: null };

    it('opaque values may differ; the same shape gives no difference', () => {
      const same = { success: true, Result: { Summary: 'NewPackage', SessionId: 'zzz', Challenges: [{ Mechanisms: [{ Name: 'UP', AnswerType: 'Text' }] }] }, ErrorID: null };
      expect(cyberArkDiff(file, same)).to.deep.equal([]);
    });

    it('protocol facts must be equal: Summary, a mechanism Name', () => {
      const other = { success: true, Result: { Summary: 'LoginSuccess', SessionId: 'a', Challenges: [{ Mechanisms: [{ Name: 'SMS', AnswerType: 'Text' }] }] }, ErrorID: null };
      expect(cyberArkDiff(file, other)).to.deep.equal([
        'Result.Summary: expected "NewPackage", got "LoginSuccess"',
        'Result.Challenges[0].Mechanisms[0].Name: expected "UP", got "SMS"',
      ]);
    });

    it('types, missing and extra keys are reported; null is a type; skipped keys are not compared', () => {
      const other = { success: true, Result: { Summary: 'NewPackage', Extra: 1, Challenges: [] }, ErrorID: 'E1' };
      expect(cyberArkDiff(file, other)).to.deep.equal([
        'Result.SessionId: missing',
        'Result.Challenges: expected a non-empty array',
        'Result.Extra: not in the vendor file',
        'ErrorID: expected null, got string ("E1")',
      ]);
      expect(cyberArkDiff(file, { ...other, Result: { ...other.Result, SessionId: 'a' } }, { skip: ['Challenges', 'Extra'] })).to.deep.equal(['ErrorID: expected null, got string ("E1")']);
    });

    it('array elements are compared with the element at the same place, or the last', () => {
      const two = { list: [{ a: 1 }, { b: 'x' }] };
      expect(cyberArkDiff(two, { list: [{ a: 2 }, { b: 'y' }, { b: 'z' }] })).to.deep.equal([]);
      expect(cyberArkDiff(two, { list: [{ a: 2 }, { a: 3 }] })).to.deep.equal(['list[1].b: missing', 'list[1].a: not in the vendor file']);
    });
  });

  describe("Oracle's rules", () => {
    const example = { status: 'success', nextOp: ['credSubmit'], requestState: 'r', USERNAME_PASSWORD: { credentials: ['username', 'password'] }, TOTP: { credentials: ['otpCode'] } };

    it('user-dependent sections are compared only when both sides have them; credentials compare as sets', () => {
      const got = { status: 'success', nextOp: ['credSubmit'], requestState: 'other', USERNAME_PASSWORD: { credentials: ['password', 'username'] } };
      expect(oracleDiff(example, got, { sections: ['TOTP', 'SMS'] })).to.deep.equal([]);
      expect(oracleDiff(example, got)).to.deep.equal(['TOTP: missing']);
      expect(oracleDiff(example, { ...got, USERNAME_PASSWORD: { credentials: ['username'] } }, { sections: ['TOTP'] })).to.deep.equal([
        'USERNAME_PASSWORD.credentials: expected ["username","password"], got ["username"]',
      ]);
    });

    it('status and cause codes must be equal; ecId is optional unless required', () => {
      const failure = { status: 'failed', cause: [{ code: 'AUTH-1120', message: 'm' }], ecId: 'e' };
      expect(oracleDiff(failure, { status: 'failed', cause: [{ code: 'AUTH-1120', message: 'other' }] })).to.deep.equal([]);
      expect(oracleDiff(failure, { status: 'failed', cause: [{ code: 'AUTH-3001', message: 'm' }] })).to.deep.equal(['cause[0].code: expected "AUTH-1120", got "AUTH-3001"']);
      expect(oracleDiff(failure, { status: 'failed', cause: [{ code: 'AUTH-1120', message: 'm' }] }, { required: ['ecId'] })).to.deep.equal(['ecId: missing']);
    });

    it('lists of objects: keys every example element has are required, keys some element has are allowed', () => {
      const idps = { configuredIDPs: [{ idpName: 'a', idpId: '1', idpType: 'SAML' }, { idpName: 'b', idpType: 'Social' }] };
      expect(oracleDiff(idps, { configuredIDPs: [{ idpName: 'c', idpType: 'SAML' }] })).to.deep.equal([]);
      expect(oracleDiff(idps, { configuredIDPs: [{ idpName: 'c', icon: 'x' }] })).to.deep.equal([
        'configuredIDPs[0].idpType: missing',
        "configuredIDPs[0].icon: not in Oracle's example",
      ]);
    });
  });
});
