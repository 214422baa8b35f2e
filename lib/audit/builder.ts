/**
 * Builds audit events: the request's id (a sane `X-Request-Id`, else a random one, kept per
 * request), the client address, and the login name (as typed, or hashed).
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { clientIp, type LoginRequest } from '../request.js';
import type { AuditEvent, AuditEventBase, AuditOptions } from './events.js';

const requestIds = new WeakMap<object, string>();
const saneRequestId = /^[A-Za-z0-9._-]{1,128}$/;

/** The request's id for audit events: its `X-Request-Id` if sane, else a random id (the same for the whole request). */
export function requestIdOf(req: LoginRequest): string {
  let id = requestIds.get(req);
  if (id === undefined) {
    const header = req.headers?.['x-request-id'];
    id = typeof header === 'string' && saneRequestId.test(header) ? header : randomUUID();
    requestIds.set(req, id);
  }
  return id;
}

/** The login name as events carry it. */
export function auditUsername(username: string, options: AuditOptions): string {
  if (!options.hashUsernames) return username;
  const name = username.trim().toLowerCase();
  return options.hashKey
    ? `hmac-sha256:${createHmac('sha256', options.hashKey).update(name).digest('hex')}`
    : `sha256:${createHash('sha256').update(name).digest('hex')}`;
}

/** What a call site says about an event: its type-specific fields, plus the transaction's id and login name. */
export type AuditFields = { [E in AuditEvent as E['type']]: Omit<E, keyof AuditEventBase> & Partial<Pick<AuditEventBase, 'transactionId' | 'username' | 'action'>> & { type: E['type'] } }[AuditEvent['type']];

/** Builds a frozen event: common fields first, then the event's own. */
export function buildEvent(
  req: LoginRequest, fields: AuditFields, source: { provider: string; strategy: string }, options: AuditOptions,
): AuditEvent {
  const { type, transactionId, username, action, ...rest } = fields;
  const ip = clientIp(req);
  return Object.freeze({
    type,
    time: new Date().toISOString(),
    requestId: requestIdOf(req),
    ...(ip ? { ip } : {}),
    provider: source.provider,
    strategy: source.strategy,
    ...(transactionId === undefined ? {} : { transactionId }),
    ...(username === undefined ? {} : { username: auditUsername(username, options) }),
    ...(action === undefined ? {} : { action }),
    ...rest,
  }) as AuditEvent;
}
