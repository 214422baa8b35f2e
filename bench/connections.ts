/**
 * Counts the TCP connections the simulator accepts, i.e. the upstream connections the apps
 * open. It listens to the simulator's own server ('connection' events) when that is
 * reachable, and otherwise puts a tiny counting TCP proxy in front of it (the apps are then
 * pointed at the proxy).
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface PhaseConnections {
  /** Connections accepted during the phase. */
  opened: number;
  /** Most of those open at the same time. */
  peakOpen: number;
  /** HTTP requests the simulator received during the phase (server hook only). */
  requests?: number;
}

export class ConnectionCounter {
  private opened = 0;
  private phaseOpen = 0;
  private phasePeak = 0;
  private phaseOpened = 0;
  private inPhase = false;
  private phase = 0;
  private phaseRequests: number | undefined;

  private constructor(
    /** Where the apps must send their upstream calls. */
    readonly upstreamUrl: string,
    /** `server hook` or `counting proxy`. */
    readonly method: string,
    private readonly closeProxy: () => Promise<void>,
  ) {}

  /** Starts counting the simulator's connections. */
  static async attach(sim: { url: string; port: number }, forceProxy = false): Promise<ConnectionCounter> {
    // The simulator keeps its node:http server in private fields (SimulatorBase.server → SimServer.server).
    const server = (sim as unknown as { server?: { server?: unknown } }).server?.server;
    if (server instanceof net.Server && !forceProxy) {
      const counter = new ConnectionCounter(sim.url, 'simulator server hook', async () => {});
      server.on('connection', (socket: net.Socket) => counter.track(socket));
      counter.phaseRequests = 0;
      server.on('request', () => {
        if (counter.phaseRequests !== undefined && counter.inPhase) counter.phaseRequests++;
      });
      return counter;
    }
    const sockets = new Set<net.Socket>();
    const proxy = net.createServer((client) => {
      sockets.add(client);
      const upstream = net.connect(sim.port, '127.0.0.1');
      sockets.add(upstream);
      client.pipe(upstream).pipe(client);
      const end = () => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream); };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyUrl = new URL(sim.url);
    proxyUrl.port = String((proxy.address() as AddressInfo).port);
    const counter = new ConnectionCounter(proxyUrl.href.replace(/\/$/, ''), 'counting TCP proxy', async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    });
    proxy.on('connection', (socket: net.Socket) => counter.track(socket));
    return counter;
  }

  /** Connections accepted since the start. */
  get total(): number {
    return this.opened;
  }

  /** Starts a phase: counts what is opened from now on. */
  beginPhase(): void {
    this.inPhase = true;
    this.phase++;
    this.phaseOpened = 0;
    if (this.phaseRequests !== undefined) this.phaseRequests = 0;
    this.phaseOpen = 0;
    this.phasePeak = 0;
  }

  endPhase(): PhaseConnections {
    this.inPhase = false;
    return { opened: this.phaseOpened, peakOpen: this.phasePeak, ...(this.phaseRequests === undefined ? {} : { requests: this.phaseRequests }) };
  }

  async close(): Promise<void> {
    await this.closeProxy();
  }

  private track(socket: net.Socket): void {
    this.opened++;
    if (!this.inPhase) return;
    this.phaseOpened++;
    this.phaseOpen++;
    this.phasePeak = Math.max(this.phasePeak, this.phaseOpen);
    const phase = this.phase;
    socket.once('close', () => {
      if (this.inPhase && this.phase === phase) this.phaseOpen--;
    });
  }
}
