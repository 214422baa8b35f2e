/** The SCIM record of /admin/v1/Me → Passport profile. */
import { expect } from 'chai';
import { toProfile } from '../../../lib/providers/idcs/user-info.js';

describe('IDCS profile from the SCIM record', () => {
  const record = {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    id: '6a8b1c2d3e4f', userName: 'joe.smith@example.com', displayName: 'Joe Smith', active: true,
    name: { formatted: 'Joe Smith', familyName: 'Smith', givenName: 'Joe' },
    emails: [{ value: 'joe@home.example', type: 'home', primary: false }, { value: 'joe.smith@example.com', type: 'work', primary: true, verified: true }],
    meta: { resourceType: 'User', created: '2024-01-01T00:00:00Z' },
  };

  it('takes id, userName, displayName, name and emails (primary first)', () => {
    const profile = toProfile(record);
    expect(profile).to.include({ provider: 'idcs', id: '6a8b1c2d3e4f', username: 'joe.smith@example.com', displayName: 'Joe Smith' });
    expect(profile.name).to.deep.equal({ familyName: 'Smith', givenName: 'Joe' });
    expect(profile.emails![0]).to.deep.equal({ value: 'joe.smith@example.com', type: 'work', primary: true });
    expect(profile._json).to.not.have.any.keys('meta', 'schemas');
  });

  it('falls back to the formatted name, then given + family name', () => {
    expect(toProfile({ id: 'a', userName: 'u', name: { formatted: 'F N' } }).displayName).to.equal('F N');
    expect(toProfile({ id: 'a', userName: 'u', name: { givenName: 'G', familyName: 'F' } }).displayName).to.equal('G F');
    expect(toProfile({ id: 'a', userName: 'u' })).to.not.have.property('displayName');
  });
});
