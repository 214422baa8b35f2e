/**
 * The demo's AWS Cognito user pool, with no AWS account: cognito-local (a devDependency, see
 * cognito-local.ts) started in the demo's process, a pool and an app client made through its
 * API, and demo users for what cognito-local can answer. Its "phone" is a page of the demo
 * (`/cognito/_sim`): the SMS codes cognito-local sent and the current authenticator app codes.
 *
 * The provider talks to cognito-local through a small front of the demo's own
 * (cognito-mfa-setup.ts, on its own loopback port; the provider's `endpoint` and the tokens'
 * issuer): it forwards everything unchanged, except the MFA_SETUP conversation cognito-local
 * lacks, answered for `mona` in the shapes AWS documents (a stand-in, for the demo only).
 *
 * What cognito-local cannot do, so the demo has no user for it: e-mail codes (EMAIL_OTP) and
 * USER_SRP_AUTH (the demo's app client uses USER_PASSWORD_AUTH).
 * test/cognito/documented-responses.test.ts covers those against AWS's documented answers.
 */
import type { CognitoOptions } from '../../lib/providers/cognito/provider.js';
import { newTotpSecret, totpAt } from '../../lib/testing/idcs/totp.js';
import { escapeHtml } from './app-pages.js';
import { startCognitoLocal, type CognitoLocal } from './cognito-local.js';
import { startMfaSetupFront, type MfaSetupFront } from './cognito-mfa-setup.js';

export interface CognitoDemoUser { username: string; password: string; description: string }

export interface CognitoDemo {
  /** cognito-local's address. */
  url: string;
  /** The demo's front for cognito-local (cognito-mfa-setup.ts): the provider's `endpoint`. */
  frontUrl: string;
  /** The provider's options for this pool. */
  options: CognitoOptions;
  users: CognitoDemoUser[];
  /** The "phone" page: codes sent by SMS, current authenticator app codes. */
  phonePage(): string;
  close(): Promise<void>;
}

export async function startCognitoDemo(options: { port?: number } = {}): Promise<CognitoDemo> {
  const local: CognitoLocal = await startCognitoLocal(options);
  let front: MfaSetupFront | undefined;
  try {
    const poolId: string = (await local.call('CreateUserPool', { PoolName: 'demo', MfaConfiguration: 'OPTIONAL' })).UserPool.Id;
    const clientId: string = (await local.call('CreateUserPoolClient', {
      UserPoolId: poolId, ClientName: 'passport-multistep demo', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    })).UserPoolClient.ClientId;
    const totpSecrets = new Map<string, string>();
    /** Keys of authenticator apps being set up during sign-in (MFA_SETUP), not yet verified. */
    const settingUp = new Map<string, string>();
    /** Users who must set up an authenticator app at sign-in (the pool's MFA "Required", in spirit, for them). */
    const mfaRequired = new Set<string>();
    const users: CognitoDemoUser[] = [];
    const add = async (username: string, description: string, attributes: Record<string, string>, setup: { permanent?: boolean; sms?: boolean; totp?: boolean } = {}) => {
      await local.call('AdminCreateUser', {
        UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS', TemporaryPassword: `${username}-pw`,
        UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }, ...Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }))],
      });
      if (setup.permanent !== false) await local.call('AdminSetUserPassword', { UserPoolId: poolId, Username: username, Password: `${username}-pw`, Permanent: true });
      // cognito-local has no AdminSetUserMFAPreference / AdminSetUserSettings: the user record is written directly.
      const methods: string[] = [];
      const patch: Record<string, unknown> = {};
      if (setup.sms) {
        methods.push('SMS_MFA');
        patch.MFAOptions = [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }];
      }
      if (setup.totp) {
        const secret = newTotpSecret();
        totpSecrets.set(username, secret);
        methods.push('SOFTWARE_TOKEN_MFA');
        patch.SoftwareTokenMfaConfiguration = { Secret: secret, Verified: true, FriendlyDeviceName: 'Demo phone' };
      }
      if (methods.length) await local.patchUser(poolId, username, { ...patch, UserMFASettingList: methods });
      users.push({ username, password: `${username}-pw`, description });
    };
    await add('casey', 'password only', { name: 'Casey Cloud' });
    await add('sid', 'password, then an SMS code (read it on the phone page)', { name: 'Sid Sender', phone_number: '+15555556098' }, { sms: true });
    await add('tia', 'password, then an authenticator app code (the phone page shows it)', { name: 'Tia Token' }, { totp: true });
    await add('cole', 'password, then a choice: SMS or authenticator app', { name: 'Cole Choice', phone_number: '+15555550142' }, { sms: true, totp: true });
    await add('nina', 'temporary password: choose a new one', { name: 'Nina New' }, { permanent: false });
    await add('mona', 'no MFA method yet, MFA required: set up an authenticator app (its code is on the phone page); then it asks for that app', { name: 'Mona Setup' });
    mfaRequired.add('mona');

    front = await startMfaSetupFront({
      target: local.url,
      needsSetup: (username) => mfaRequired.has(username),
      onAssociated: (username, secret) => settingUp.set(username, secret),
      onSetUp: (username, secret) => {
        settingUp.delete(username);
        totpSecrets.set(username, secret);
      },
    });
    // The front answers for cognito-local: the ID tokens' issuer is its address (the JWKS is fetched through it).
    local.setIssuerDomain(front.url);
    const started = front;

    return {
      url: local.url,
      frontUrl: front.url,
      options: {
        region: 'local', userPoolId: poolId, clientId, endpoint: `${front.url}/`,
        authFlow: 'USER_PASSWORD_AUTH', totpIssuer: 'passport-multistep demo',
      },
      users,
      phonePage: () => phonePage(local, totpSecrets, settingUp),
      async close() {
        await started.close();
        await local.close();
      },
    };
  } catch (error) {
    await front?.close();
    await local.close();
    throw error;
  }
}

function phonePage(local: CognitoLocal, totpSecrets: ReadonlyMap<string, string>, settingUp: ReadonlyMap<string, string>): string {
  const now = Date.now();
  const codes = local.codes.slice(-10).reverse();
  const left = 30 - Math.floor(now / 1000) % 30;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="5">
<title>AWS Cognito phone · passport-multistep demo</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<main>
<h1>AWS Cognito demo phone</h1>
<p class="muted">cognito-local at <code>${escapeHtml(local.url)}</code>. This page reloads every 5 seconds.</p>
<h2>Text messages</h2>
${codes.length ? `<ul>${codes.map((c) => `<li><code>${escapeHtml(c.code)}</code> for <strong>${escapeHtml(c.username)}</strong> (${escapeHtml(c.medium)} to ${escapeHtml(c.destination)})</li>`).join('\n')}</ul>` : '<p>None yet.</p>'}
<h2>Authenticator app</h2>
<ul>${[...totpSecrets].map(([user, secret]) => `<li><strong>${escapeHtml(user)}</strong>: <code>${escapeHtml(totpAt(secret, now))}</code></li>`).join('\n')}</ul>
${settingUp.size ? `<h3>Being set up (the key the sign-in page shows)</h3>
<ul>${[...settingUp].map(([user, secret]) => `<li><strong>${escapeHtml(user)}</strong> (setting up): <code>${escapeHtml(totpAt(secret, now))}</code></li>`).join('\n')}</ul>` : ''}
<p class="muted">New codes in ${left} s.</p>
<p><a href="/cognito/login/">Sign in with AWS Cognito</a> · <a href="/">Home</a></p>
</main>
</body>
</html>`;
}
