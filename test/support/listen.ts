/** Listens on a free loopback port; `close` also drops keep-alive connections. */
import type { Server, RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listening { url: string; server: Server; close(): Promise<void> }

export async function listenLoopback(app: RequestListener & { listen: (port: number, host: string, cb: () => void) => Server }): Promise<Listening> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
