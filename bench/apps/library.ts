/**
 * (a) The library: MultiStepStrategy with the CyberArk provider and its companion
 * router, configured as the README's quick start does (defaults everywhere, JSON mode).
 * (a-cognito) The same app with the Cognito provider (USER_PASSWORD_AUTH) instead.
 */
import { MultiStepStrategy, cognito, cyberark, type Provider } from '../../lib/index.js';
import { type BenchApp, baseApp, listen } from './common.js';

const wide = { points: 1_000_000_000, durationMs: 60_000 };

export async function startLibraryApp(upstreamUrl: string, tenantId: string, pool: number): Promise<BenchApp & { strategy: MultiStepStrategy }> {
  return startStrategyApp(cyberark({ url: upstreamUrl, tenantId }), pool, '(a) passport-multistep');
}

/** Cognito: `endpoint` is the loopback pool's URL; the issuer and JWKS follow from it (`<endpoint><userPoolId>`). */
export async function startLibraryCognitoApp(
  endpoint: string, userPoolId: string, clientId: string, pool: number,
): Promise<BenchApp & { strategy: MultiStepStrategy }> {
  return startStrategyApp(cognito({ region: 'us-east-1', userPoolId, clientId, endpoint, authFlow: 'USER_PASSWORD_AUTH' }), pool, '(a-cognito) passport-multistep');
}

async function startStrategyApp(provider: Provider, pool: number, label: string): Promise<BenchApp & { strategy: MultiStepStrategy }> {
  const { app, store, auth } = baseApp();
  const strategy = new MultiStepStrategy({
    provider,
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
    label,
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
