/**
 * From the packed tarball: a CommonJS Connect 3 app with no express installed logs in through
 * the built-in pages (no `render`), with form posts and in JSON mode.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { describeTarballApp } from './support.js';

describeTarballApp('package: a CommonJS Connect 3 app without express, from the packed tarball',
  { name: 'connect-app', framework: 'connect', dependencies: ['connect@3', 'express-session', 'passport'] },
  {
    title: 'has no express installed (not even through a dependency)',
    check(dir) {
      expect(existsSync(join(dir, 'node_modules/express')), 'node_modules/express exists').to.equal(false);
      expect(existsSync(join(dir, 'node_modules/connect'))).to.equal(true);
    },
  });
