/**
 * What the login engine needs of a request, whatever the framework: Node's IncomingMessage
 * plus what express-session (`session`, `sessionID`), passport (`login`, `logout`, `user`),
 * a body parser (`body`) and, on Express only, `ip`/`secure`/`res` add. Structural, so an
 * Express, Connect or plain `http` request fits without importing any framework's types.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    /** The app's user, as passport's typings declare it (merged with them when present). */
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User {}
  }
}

/** The app's user object (what `verify` returns and `req.login` stores). */
export type AppUser = Express.User;

/** A request as the login engine sees it (an Express, Connect or plain Node request). */
export interface LoginRequest extends IncomingMessage {
  /** The parsed body (the companion routes parse it; your own routes need a body parser). */
  body?: unknown;
  /** express-session's session. */
  session?: object | null;
  sessionID?: string;
  /** Set by passport. */
  user?: AppUser;
  /** Express: the client address, honouring `trust proxy`. */
  ip?: string | undefined;
  /** Express: HTTPS, honouring `trust proxy`. */
  secure?: boolean;
  /** Express: the response. */
  res?: ServerResponse;
}

/** passport's request methods (0.6+), as the engine calls them. */
export interface PassportRequest {
  login?(user: AppUser, done: (error: unknown) => void): void;
  logout?(done: (error: unknown) => void): void;
}

const responses = new WeakMap<IncomingMessage, ServerResponse>();

/** Remembers the response of a request on frameworks that do not link them (Connect, plain http). */
export function bindResponse(req: IncomingMessage, res: ServerResponse): void {
  if ((req as LoginRequest).res !== res) responses.set(req, res);
}

/** The response of `req`: Express's `req.res`, else the one the routes bound. */
export function responseOf(req: IncomingMessage): ServerResponse | undefined {
  return (req as LoginRequest).res ?? responses.get(req);
}

/** The client address: Express's `req.ip` (trust proxy aware), else the socket's peer. */
export function clientIp(req: LoginRequest): string | undefined {
  return req.ip ?? req.socket?.remoteAddress ?? undefined;
}

/** Whether the request came over HTTPS: Express's `req.secure` (trust proxy aware), else the socket. */
export function isSecure(req: LoginRequest): boolean {
  if (typeof req.secure === 'boolean') return req.secure;
  return Boolean((req.socket as { encrypted?: boolean } | undefined)?.encrypted);
}
