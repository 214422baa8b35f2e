/**
 * "Remember this device": upstream device-trust tokens (e.g. IDCS trustToken) belong to
 * the browser, not to a session (they must survive logout), so they are kept in one
 * HttpOnly cookie per strategy, encrypted and authenticated with AES-256-GCM under a key
 * derived from the configured secret. The browser holds only ciphertext.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import { isSecure, responseOf, type LoginRequest } from './request.js';

/** Options of the device-token cookie. */
export interface RememberDeviceOptions {
  /** Secret (32+ random bytes or characters) the cookie key is derived from. Rotate it to forget every device. */
  secret: string | Buffer;
  /** Cookie name. Default `pm_device`. */
  cookieName?: string;
  /** Users remembered per browser; the oldest is forgotten beyond it. Default 5. */
  maxUsers?: number;
}

interface Entry { t: string; e: number }
type Payload = Record<string, Entry>;

const version = 'v1';

export class DeviceTokens {
  private readonly key: Buffer;
  private readonly cookieName: string;
  private readonly maxUsers: number;

  constructor(options: RememberDeviceOptions, strategyName: string) {
    const secret = typeof options.secret === 'string' ? Buffer.from(options.secret) : options.secret;
    if (!secret || secret.length < 32) throw new TypeError('rememberDevice.secret must be at least 32 bytes');
    this.key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `passport-multistep device ${strategyName}`, 32));
    this.cookieName = options.cookieName ?? 'pm_device';
    this.maxUsers = options.maxUsers ?? 5;
  }

  /** The token remembered for `username` on this browser, if any and not expired. */
  read(req: LoginRequest, username: string): string | undefined {
    const entry = this.load(req)[userKey(username)];
    return entry && entry.e > Date.now() ? entry.t : undefined;
  }

  /** Remembers `token` for `username` for `maxAgeSeconds` (sets the cookie on the request's response). */
  write(req: LoginRequest, username: string, token: string, maxAgeSeconds: number): void {
    const res = responseOf(req);
    if (!res || res.headersSent) return;
    const now = Date.now();
    const payload = this.load(req);
    for (const [name, entry] of Object.entries(payload)) if (entry.e <= now) delete payload[name];
    payload[userKey(username)] = { t: token, e: now + maxAgeSeconds * 1000 };
    const names = Object.keys(payload).sort((a, b) => payload[a]!.e - payload[b]!.e);
    while (names.length > this.maxUsers) delete payload[names.shift()!];
    const longest = Math.max(...Object.values(payload).map((entry) => entry.e)) - now;
    // Appended, never set: express-session adds its own Set-Cookie to the same response.
    res.appendHeader('Set-Cookie', serializeCookie(this.cookieName, this.seal(payload), {
      httpOnly: true, sameSite: 'lax', secure: isSecure(req), path: '/',
      maxAge: Math.floor(longest / 1000), expires: new Date(now + longest),
    }));
  }

  private load(req: LoginRequest): Payload {
    const header = req.headers.cookie;
    if (!header) return {};
    const value = parseCookies(header)[this.cookieName];
    return value ? this.open(value) : {};
  }

  private seal(payload: Payload): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
    return [version, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  /** A cookie that does not decrypt (tampered, old key, garbage) is simply ignored. */
  private open(value: string): Payload {
    const [v, iv, body, tag] = value.split('.');
    if (v !== version || !iv || !body || !tag) return {};
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const json = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      const parsed: unknown = JSON.parse(json);
      if (typeof parsed !== 'object' || parsed === null) return {};
      const payload: Payload = Object.create(null);
      for (const [name, entry] of Object.entries(parsed as Record<string, unknown>)) {
        const { t, e } = (entry ?? {}) as Partial<Entry>;
        if (typeof t === 'string' && typeof e === 'number') payload[name] = { t, e };
      }
      return payload;
    } catch {
      return {};
    }
  }
}

/** Login names are matched case-insensitively, as the upstreams do. */
function userKey(username: string): string {
  return username.trim().toLowerCase();
}
