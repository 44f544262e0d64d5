import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a dependency (PostgreSQL, Redis), to take it away and give
 * it back without touching the real server, which other tests share:
 * - `hold()`: bytes stop flowing both ways (a request's query is sent and never answered);
 * - `cut()`: every connection is destroyed and new ones are refused (nothing listens on the port);
 * - `restore()`: the port accepts again, bytes flow.
 */
export interface TcpProxy {
  port: number;
  /** Local ports of the proxy's own connections to the target (PostgreSQL's `client_port`). */
  upstreamPorts(): number[];
  /** Connections made through the proxy since it started. */
  connections(): number;
  hold(): void;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const pairs = new Set<{ client: Socket; upstream: Socket }>();
  let held = false;
  let made = 0;

  const onConnection = (client: Socket) => {
    made++;
    const upstream = createConnection({ port: targetPort, host: targetHost });
    const pair = { client, upstream };
    pairs.add(pair);
    const forward = (from: Socket, to: Socket) =>
      from.on('data', (chunk: Buffer) => {
        if (!held) to.write(chunk);
      });
    forward(client, upstream);
    forward(upstream, client);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  };

  let server: Server = createServer(onConnection);
  const listen = (s: Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        s.off('error', reject);
        const address = s.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
  const port = await listen(server, 0);
  let listening = true;

  const closeListener = async () => {
    if (!listening) return;
    listening = false;
    for (const { client, upstream } of pairs) {
      client.destroy();
      upstream.destroy();
    }
    pairs.clear();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  return {
    port,
    upstreamPorts: () =>
      [...pairs].map((p) => p.upstream.localPort).filter((p): p is number => p !== undefined),
    connections: () => made,
    hold() {
      held = true;
    },
    async cut() {
      held = false;
      await closeListener();
    },
    async restore() {
      held = false;
      if (listening) return;
      server = createServer(onConnection);
      // The same port: the app's configuration points at it. A bounded retry in case the port
      // lingers for a moment after the close.
      for (let attempt = 0; ; attempt++) {
        try {
          await listen(server, port);
          break;
        } catch (err) {
          if (attempt >= 20) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      listening = true;
    },
    close: closeListener,
  };
}

/** Polls `check` until it returns true, at most `timeoutMs`; returns how long it took. */
export async function eventually(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 15_000,
  everyMs = 100,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check().catch(() => false)) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
