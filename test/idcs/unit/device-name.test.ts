/** The trusted device's name, "<browser> on <OS>" as Oracle's sample client builds it. */
import { expect } from 'chai';
import { trustedDeviceName } from '../../../lib/providers/idcs/device-name.js';

describe('IDCS trusted device name', () => {
  it('reads browser and OS from the user agent', () => {
    expect(trustedDeviceName('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36')).to.equal('Chrome on Windows');
    expect(trustedDeviceName('Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15')).to.equal('Safari on Mac OS');
    expect(trustedDeviceName('Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0')).to.equal('Firefox on Linux');
    expect(trustedDeviceName('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0')).to.equal('Microsoft Edge on Windows');
  });

  it('names an unknown client plainly', () => {
    expect(trustedDeviceName(undefined)).to.equal('Unknown browser on Unknown OS');
  });
});
