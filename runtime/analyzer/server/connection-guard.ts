import type { ConnectionInjector } from '@grpc/grpc-js';
import { createServer, type Server, type Socket } from 'node:net';

export type ClosedConnectionReason = 'per_source_limit' | 'handshake_timeout';

export interface ConnectionGuardOptions {
  /** A connection without an authenticated sensor stream this long after it was accepted is closed. */
  readonly handshakeTimeoutMs: number;
  /** Open connections accepted from one source address. */
  readonly maxConnectionsPerSource: number;
  /** Told about every connection the guard closes. */
  readonly onClosed: (reason: ClosedConnectionReason, source: string) => void;
}

/**
 * Closes a connection at the TCP level. Once TLS and HTTP/2 sit on the socket, `destroy()` on it
 * leaves the file descriptor to the HTTP/2 session, which keeps the connection open; a reset
 * closes it whatever is layered on top.
 */
function close(socket: Socket): void {
  if (!socket.destroyed) socket.resetAndDestroy();
}

/** The key grpc-js's `call.getPeer()` gives a connection: "address:port". */
function peerKey(socket: Socket): string {
  return `${socket.remoteAddress}:${socket.remotePort}`;
}

/**
 * The TCP listener in front of the gRPC server. grpc-js only sees a connection once it has been
 * accepted here, so a peer that never completes the TLS handshake or never opens an
 * authenticated stream is closed after the handshake timeout, and one address cannot hold more
 * than its share of connections. Accepted connections are handed to grpc-js, which does TLS.
 */
export class ConnectionGuard {
  private readonly server: Server;
  private readonly perSource = new Map<string, number>();
  private readonly unauthenticated = new Map<string, { readonly socket: Socket; readonly timer: NodeJS.Timeout }>();
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly options: ConnectionGuardOptions,
    private readonly injector: ConnectionInjector,
  ) {
    this.server = createServer({ noDelay: true }, (socket) => this.accept(socket));
  }

  /** Open connections, and those not (yet) carrying an authenticated stream. */
  get counts(): { readonly open: number; readonly unauthenticated: number } {
    return { open: this.sockets.size, unauthenticated: this.unauthenticated.size };
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as { port: number }).port);
      });
    });
  }

  /** The connection of a call (its `getPeer()`) carries an authenticated stream: it may stay. */
  authenticated(peer: string): void {
    const entry = this.unauthenticated.get(peer);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.unauthenticated.delete(peer);
  }

  /** Stops accepting connections; open ones stay (grpc-js drains them). */
  stopAccepting(): void {
    this.server.close();
  }

  /** Closes every connection still open. */
  destroyAll(): void {
    for (const socket of this.sockets) close(socket);
  }

  private accept(socket: Socket): void {
    // A reset before the TLS layer is attached would otherwise be an unhandled error.
    socket.on('error', () => undefined);
    const source = socket.remoteAddress;
    if (!source) {
      socket.destroy();
      return;
    }
    const open = this.perSource.get(source) ?? 0;
    if (open >= this.options.maxConnectionsPerSource) {
      this.options.onClosed('per_source_limit', source);
      socket.destroy();
      return;
    }
    this.perSource.set(source, open + 1);
    this.sockets.add(socket);
    const key = peerKey(socket);
    const timer = setTimeout(() => {
      if (!this.unauthenticated.has(key)) return;
      this.options.onClosed('handshake_timeout', source);
      close(socket);
    }, this.options.handshakeTimeoutMs);
    timer.unref();
    this.unauthenticated.set(key, { socket, timer });
    socket.once('close', () => {
      clearTimeout(timer);
      this.unauthenticated.delete(key);
      this.sockets.delete(socket);
      const remaining = (this.perSource.get(source) ?? 1) - 1;
      if (remaining > 0) this.perSource.set(source, remaining);
      else this.perSource.delete(source);
    });
    this.injector.injectConnection(socket);
  }
}
