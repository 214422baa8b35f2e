/**
 * (a) The library: MultiStepStrategy with the CyberArk provider and its companion
 * router, configured as the README's quick start does (defaults everywhere, JSON mode).
 */
import { MultiStepStrategy, cyberark } from '../../lib/index.js';
import { type BenchApp, baseApp, listen } from './common.js';

const wide = { points: 1_000_000_000, durationMs: 60_000 };

export async function startLibraryApp(upstreamUrl: string, tenantId: string, pool: number): Promise<BenchApp & { strategy: MultiStepStrategy }> {
  const { app, store, auth } = baseApp();
  const strategy = new MultiStepStrategy({
    provider: cyberark({ url: upstreamUrl, tenantId }),
    http: { connections: pool },
    // A load test is thousands of logins of a few hundred users from one address: the windows are
    // widened so that every limiter still runs (its cost is part of the measurement) but none refuses.
    limits: {
      sends: { perUser: wide, perClient: wide },
      guesses: { perUserAndClient: wide, perUser: wide },
      starts: { perClient: wide },
    },
    verify: async (profile) => ({ id: profile.id, username: profile.username, ...(profile.displayName ? { displayName: profile.displayName } : {}) }),
  });
  auth.use(strategy);
  // JSON clients never get a page; a browser would get the built-in pages.
  app.use('/login', strategy.router({ successReturnToOrRedirect: '/me' }));
  app.get('/me', (req, res) => void res.json({ user: req.user ?? null }));
  const listening = await listen(app);
  return {
    label: '(a) passport-multistep',
    url: listening.url,
    store,
    loginKey: strategy.sessionKey,
    strategy,
    async close() {
      await listening.close();
      await strategy.close();
    },
  };
}
