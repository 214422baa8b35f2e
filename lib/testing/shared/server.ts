/**
 * The loopback server under every simulator: listening, writing prepared
 * replies (also slowly), cancellable delays, and the common order of an API
 * request (record → size check → fault → latency → answer).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FaultPages, type FaultQueue, writeFault } from './faults.js';
import { type HttpReply, type RequestBody, recordRequest, urlHost } from './http.js';
import type { RecordedRequest } from './types.js';

/** Handles one request; a rejection is answered with the crash reply. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** How {@link SimServer.answerApi} processes one API request. */
export interface ApiRequestPlan {
  /** Path without query string (used to match faults and for the log). */
  path: string;
  body: RequestBody;
  /** The simulator's request log. */
  log: RecordedRequest[];
  faults: FaultQueue;
  faultPages: FaultPages;
  /** Read after the fault is taken, so a switch change applies to the next request. */
  latencyMs: () => number;
  /** The answer to a body above the size limit. */
  tooLarge: () => HttpReply;
  /** Produces the real answer (called after the latency). */
  route: () => HttpReply;
}

export class SimServer {
  private readonly server: Server;
  private readonly timers = new Set<NodeJS.Timeout>();
  private boundOrigin = '';
  private boundPort = 0;

  /**
   * @param handler the simulator's request handler.
   * @param crashReply the answer when the handler throws: a bug in a simulator must not take the test process down.
   */
  constructor(handler: RequestHandler, crashReply: () => HttpReply) {
    this.server = createServer((req, res) => {
      handler(req, res).catch(() => {
        if (!res.headersSent) this.write(res, crashReply());
        else res.destroy();
      });
    });
  }

  /** `http://host:port` once listening. */
  get origin(): string {
    return this.boundOrigin;
  }

  get port(): number {
    return this.boundPort;
  }

  async listen(port: number, host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.boundPort = (this.server.address() as AddressInfo).port;
    this.boundOrigin = `http://${urlHost(host)}:${this.boundPort}`;
  }

  /** Stops the server, dropping open and hanging connections and pending delays. */
  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  /** Records the request, then answers it: 413, an armed fault, or the routed reply (after the latency). */
  async answerApi(req: IncomingMessage, res: ServerResponse, plan: ApiRequestPlan): Promise<void> {
    recordRequest(plan.log, req, plan.path, plan.body);
    if (plan.body.tooLarge) return this.write(res, plan.tooLarge());
    const fault = plan.faults.take(plan.path);
    await this.delay(plan.latencyMs());
    if (fault && fault.kind !== 'slowBody') return writeFault(fault, req, res, plan.faultPages);
    const reply = plan.route();
    if (fault?.kind === 'slowBody') return this.writeSlowly(res, reply, fault.delayMs);
    this.write(res, reply);
  }

  write(res: ServerResponse, reply: HttpReply): void {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) });
    res.end(reply.body);
  }

  /** Headers now, body later: a server that stalls mid-response. */
  writeSlowly(res: ServerResponse, reply: HttpReply, delayMs: number): void {
    res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) });
    res.flushHeaders();
    void this.delay(delayMs).then(() => {
      if (!res.destroyed && !res.writableEnded) res.end(reply.body);
    });
  }

  /** A timer close() can cancel, so no response fires after the server stopped. */
  delay(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}
