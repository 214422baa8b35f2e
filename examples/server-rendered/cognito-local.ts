/**
 * cognito-local (npm, an emulator of the Cognito user pools API nobody here wrote; a
 * devDependency, loaded only when this runs: the published package never needs it), run in this
 * process on a free loopback port with its own data directory, as its `createDefaultServer`
 * builds it, except: the code sender records codes (instead of printing them in a box), and the
 * issuer is the address it listens on. Pools, clients and users are made through its AWS JSON
 * 1.1 API; what that API cannot set (an SMS MFA option: cognito-local has no
 * AdminSetUserSettings / AdminSetUserMFAPreference) is written through its user pool service.
 */
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

const require = createRequire(import.meta.url);
const lib = (path: string) => require(`cognito-local/lib/${path}`);

export interface SentCode { username: string; destination: string; code: string; medium: 'SMS' | 'EMAIL' }

export interface CognitoLocal {
  url: string;
  codes: SentCode[];
  lastCode(username: string): string | undefined;
  call<T = any>(operation: string, body: Record<string, unknown>): Promise<T>;
  /** The domain of the `iss` of the tokens it signs (its own address by default), e.g. a front that answers for it. */
  setIssuerDomain(url: string): void;
  /** Changes a stored user (fields of cognito-local's user record, e.g. MFAOptions). */
  patchUser(userPoolId: string, username: string, patch: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

/** Starts cognito-local on a free loopback port (`port` 0) or the one given. Throws when it is not installed. */
export async function startCognitoLocal(options: { port?: number } = {}): Promise<CognitoLocal> {
  const directory = mkdtempSync(join(tmpdir(), 'cognito-local-'));
  // pino is cognito-local's own dependency: resolved from there.
  const pino = createRequire(require.resolve('cognito-local'))('pino');
  const logger = pino({ level: 'silent' });
  const ctx = { logger };
  const { StormDBDataStoreFactory } = lib('services/dataStore/stormDb.js');
  const { CognitoServiceFactoryImpl } = lib('services/cognitoService.js');
  const { UserPoolServiceFactoryImpl } = lib('services/userPoolService.js');
  const services = lib('services/index.js');
  const { MessageDeliveryService } = lib('services/messageDelivery/messageDelivery.js');
  const { JwtTokenGenerator } = lib('services/tokenGenerator.js');
  const { otp } = lib('services/otp.js');
  const { DefaultConfig } = lib('server/config.js');
  const { Router } = lib('server/Router.js');
  const { createServer } = lib('server/server.js');

  const codes: SentCode[] = [];
  const record = (medium: 'SMS' | 'EMAIL') => (_ctx: unknown, user: { Username: string }, destination: string, message: { __code: string }) => {
    codes.push({ username: user.Username, destination, code: message.__code, medium });
    return Promise.resolve();
  };
  const sender = { sendSms: record('SMS'), sendEmail: record('EMAIL') };

  const config = { ...DefaultConfig, UserPoolDefaults: { UsernameAttributes: [] }, TokenConfig: { IssuerDomain: 'http://127.0.0.1' } };
  const clock = new services.DateClock();
  const dataStoreFactory = new StormDBDataStoreFactory(directory);
  const cognitoClient = await new CognitoServiceFactoryImpl(directory, dataStoreFactory, new UserPoolServiceFactoryImpl(clock, dataStoreFactory))
    .create(ctx, config.UserPoolDefaults);
  const triggers = new services.TriggersService(clock, cognitoClient, { enabled: () => false }, { });
  const tokenConfig = config.TokenConfig;
  const all = {
    clock, cognito: cognitoClient, config,
    messages: new services.MessagesService(triggers, new MessageDeliveryService(sender)),
    otp, tokenGenerator: new JwtTokenGenerator(clock, triggers, tokenConfig), triggers,
  };
  const server = createServer(Router(all), logger, { ...config.ServerConfig, development: false }, all);
  const http: Server = await new Promise<Server>((resolve, reject) => {
    const s = server.application.listen(options.port ?? 0, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  }).catch((error: unknown) => {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  });
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  tokenConfig.IssuerDomain = url;

  const call = async <T = any>(operation: string, body: Record<string, unknown>): Promise<T> => {
    const response = await fetch(`${url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as T;
    if (!response.ok) throw new Error(`${operation}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  return {
    url,
    codes,
    lastCode: (username) => codes.filter((c) => c.username === username).at(-1)?.code,
    call,
    setIssuerDomain(issuer) {
      tokenConfig.IssuerDomain = issuer;
    },
    async patchUser(userPoolId, username, patch) {
      const pool = await cognitoClient.getUserPool(ctx, userPoolId);
      const user = await pool.getUserByUsername(ctx, username);
      await pool.saveUser(ctx, { ...user, ...patch });
    },
    async close() {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
