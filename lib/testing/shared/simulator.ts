/**
 * What every simulator class has in common: the loopback server, the request
 * log, the fault queue, switches that can be changed and reset, start/close,
 * and the split of each request between the `/_sim` control routes and the
 * product API. A simulator adds its engine, its routes and its own accessors.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ControlRequest } from './control.js';
import { type FaultPages, FaultQueue, parseFault } from './faults.js';
import { type HttpReply, readBody, stripPrefix } from './http.js';
import { SimServer } from './server.js';
import type { RecordedRequest, SimFault, SimFaultOptions } from './types.js';

/** Switches every simulator has. */
export interface BaseSwitches {
  /** Delay added before every API response, in ms. */
  latencyMs: number;
}

/** Where a simulator listens (see each simulator's `start` options). */
export interface ListenOptions {
  /** TCP port (default 0: a free port). */
  port?: number;
  /** Interface to listen on (default `127.0.0.1`). */
  host?: string;
}

/** What a simulator hands to {@link SimulatorBase}'s constructor. */
export interface SimulatorSetup<S extends BaseSwitches> {
  /** A fresh copy of the default switches. */
  defaults: S;
  /** Validates untrusted partial switches: the typed partial, or an error message. */
  parseSwitches: (input: unknown) => Partial<S> | string;
  /** Switches given to `start()` (the rest keep their defaults). @throws TypeError when invalid. */
  switches?: Partial<S> | undefined;
  /** A copy sharing nothing mutable with the original (default: a shallow copy). */
  copySwitches?: (switches: S) => S;
  /** Bodies of the transport faults, in the style of the product. */
  faultPages: FaultPages;
  /** The queue of armed faults (default: a {@link FaultQueue}, which matches `path` on the last path segment). */
  faultQueue?: FaultQueue;
  /** The answer when the simulator itself fails: a bug in it must not take the test process down. */
  crashReply: () => HttpReply;
  /** The answer to a request body above the size limit. */
  tooLarge: () => HttpReply;
}

/** Control routes live under this path (below a simulator's base path, too, if it has one). */
export const CONTROL_MOUNT = '/_sim';

/**
 * Base class of the simulators in `passport-multistep/testing`. Subclasses
 * create their engine after `super()`, implement {@link SimulatorBase.url},
 * the control routes and the API routes, and offer a static `start()` that
 * calls {@link SimulatorBase.listen}.
 */
export abstract class SimulatorBase<S extends BaseSwitches> {
  /** Scenario switches; mutate them (or call `setSwitches`) at any time. */
  readonly switches: S;
  /** Every API request received, oldest first (control routes excluded; the last 10 000 are kept). */
  readonly requests: RecordedRequest[] = [];

  protected readonly faults: FaultQueue;
  protected readonly server: SimServer;

  /** Switches as given to start(); reset() returns to these. */
  private readonly initialSwitches: S;
  private readonly parseSwitches: (input: unknown) => Partial<S> | string;
  private readonly copySwitches: (switches: S) => S;
  private readonly faultPages: FaultPages;
  private readonly tooLarge: () => HttpReply;

  protected constructor(setup: SimulatorSetup<S>) {
    this.parseSwitches = setup.parseSwitches;
    this.copySwitches = setup.copySwitches ?? ((s) => ({ ...s }));
    this.faultPages = setup.faultPages;
    this.tooLarge = setup.tooLarge;
    this.faults = setup.faultQueue ?? new FaultQueue();
    this.initialSwitches = setup.defaults;
    if (setup.switches) Object.assign(this.initialSwitches, this.checkedSwitches(setup.switches));
    this.switches = this.copySwitches(this.initialSwitches);
    this.server = new SimServer((req, res) => this.dispatch(req, res), setup.crashReply);
  }

  /** Base URL of the simulated API. */
  abstract get url(): string;

  /** URL of the HTML control page (the simulated user's phone): `<origin>/_sim`. */
  get controlUrl(): string {
    return `${this.server.origin}${CONTROL_MOUNT}`;
  }

  /** The TCP port the simulator listens on. */
  get port(): number {
    return this.server.port;
  }

  /** Validates and applies partial switches. @throws TypeError when invalid. */
  setSwitches(partial: Partial<S>): void {
    // Applied in place, so references held by callers (`sim.switches`) stay live.
    Object.assign(this.switches, this.checkedSwitches(partial));
  }

  /**
   * Arms a transport fault for the next matching API request(s); `opts.path` is
   * matched on the last path segment of the request. Faults are used in the
   * order they were added. Except for `slowBody`, the request is not processed
   * (the login state does not change).
   * @throws TypeError for an invalid fault.
   */
  injectFault(fault: SimFault, opts: SimFaultOptions = {}): void {
    const checked = parseFault(fault);
    if (typeof checked === 'string') throw new TypeError(checked);
    this.faults.add(checked, opts);
  }

  /** Disarms every pending fault. */
  clearFaults(): void {
    this.faults.clear();
  }

  /**
   * Forgets requests and faults and puts the switches back to the values given
   * to `start()` (subclasses also reset their engine).
   */
  reset(): void {
    this.requests.length = 0;
    this.faults.clear();
    Object.assign(this.switches, this.copySwitches(this.initialSwitches));
  }

  /** Stops the server, dropping open and hanging connections. */
  async close(): Promise<void> {
    await this.server.close();
  }

  /** Starts listening on `127.0.0.1` and a free port unless told otherwise; for the subclasses' `start()`. */
  protected async listen(options: ListenOptions): Promise<this> {
    await this.server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
    return this;
  }

  /** Answers a request to the control routes. */
  protected abstract answerControl(req: ControlRequest): HttpReply;

  /** Answers an API request (after recording, faults and latency). */
  protected abstract route(req: IncomingMessage, path: string, bodyText: string, query: string): HttpReply;

  /** `/_sim…` as sub-path and mount point; undefined for API paths. */
  protected controlPath(path: string): { subPath: string; mount: string } | undefined {
    const sub = stripPrefix(path, CONTROL_MOUNT);
    return sub === undefined ? undefined : { subPath: sub, mount: CONTROL_MOUNT };
  }

  // ---------------------------------------------------------------- HTTP plumbing

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const path = q < 0 ? target : target.slice(0, q);
    const query = q < 0 ? '' : target.slice(q + 1);
    const body = await readBody(req);
    if (body.aborted) return;

    const control = this.controlPath(path);
    if (control) {
      const reply = this.answerControl({ method: req.method ?? 'GET', ...control, headers: req.headers, bodyText: body.text });
      return this.server.write(res, reply);
    }

    await this.server.answerApi(req, res, {
      path,
      body,
      log: this.requests,
      faults: this.faults,
      faultPages: this.faultPages,
      latencyMs: () => this.switches.latencyMs,
      tooLarge: this.tooLarge,
      route: () => this.route(req, path, body.text, query),
    });
  }

  private checkedSwitches(partial: unknown): Partial<S> {
    const parsed = this.parseSwitches(partial);
    if (typeof parsed === 'string') throw new TypeError(parsed);
    return parsed;
  }
}
