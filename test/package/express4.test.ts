/**
 * From the packed tarball: a CommonJS Express 4 app logs in through the built-in pages (no
 * `render`), with form posts and in JSON mode.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { describeTarballApp } from './support.js';

describeTarballApp('package: a CommonJS Express 4 app, from the packed tarball',
  { name: 'express4-app', framework: 'express', dependencies: ['express@4', 'express-session', 'passport'] },
  {
    title: 'runs on Express 4',
    check(dir) {
      const { version } = JSON.parse(readFileSync(join(dir, 'node_modules/express/package.json'), 'utf8')) as { version: string };
      expect(version).to.match(/^4\./);
    },
  });
