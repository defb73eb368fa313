import { connect, type TLSSocket } from 'node:tls';
import type { RoutableEvent } from '../events';
import { PartialDeliveryError, type DeliveryEvent, type Sink } from './sink';

export interface LogEmitterSinkOptions {
  readonly host: string;
  readonly port: number;
  /** CA (PEM) that signs the receiver's certificate; omitted: system CAs. */
  readonly ca?: string;
  /** Verify the receiver's certificate (seed 000: "Verify Log Receiver SSL/TLS Certificate"). */
  readonly verify: boolean;
  /** Client certificate and key (PEM) sent to the receiver, when it authenticates senders. */
  readonly clientCert?: string;
  readonly clientKey?: string;
  readonly connectTimeoutMs: number;
  /**
   * Lines written within this window before an unexpected disconnect are sent again after the
   * reconnect: TCP accepts bytes the receiver may never have read, so this keeps delivery
   * at-least-once (the receiver may see a few duplicates).
   */
  readonly replayWindowMs: number;
}

interface WrittenLines {
  readonly at: number;
  readonly text: string;
}

/**
 * Seed 000's Log Emitter: JSON lines over a TLS TCP connection, optional client certificate. While
 * the receiver is down the events wait in the spool (the queue), and the runner reconnects with
 * backoff up to the configured reconnect interval.
 */
export class LogEmitterSink implements Sink {
  readonly name = 'log-emitter';
  private socket: TLSSocket | undefined;
  private recent: WrittenLines[] = [];
  private replay: WrittenLines[] = [];
  connects = 0;

  constructor(private readonly options: LogEmitterSinkOptions) {}

  accepts(_event: RoutableEvent): boolean {
    return true;
  }

  private connect(): Promise<TLSSocket> {
    return new Promise((resolve, reject) => {
      const socket = connect({
        host: this.options.host,
        port: this.options.port,
        servername: /^[\d.]+$|:/.test(this.options.host) ? undefined : this.options.host,
        rejectUnauthorized: this.options.verify,
        ...(this.options.ca ? { ca: this.options.ca } : {}),
        ...(this.options.clientCert && this.options.clientKey ? { cert: this.options.clientCert, key: this.options.clientKey } : {}),
      });
      const timer = setTimeout(
        () => socket.destroy(new Error(`connect to ${this.options.host}:${this.options.port} timed out after ${this.options.connectTimeoutMs} ms`)),
        this.options.connectTimeoutMs,
      );
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(new Error(`log receiver ${this.options.host}:${this.options.port}: ${error.message}`));
      };
      socket.once('error', fail);
      socket.once('secureConnect', () => {
        clearTimeout(timer);
        socket.off('error', fail);
        socket.on('error', () => undefined); // surfaced through 'close' and failed writes
        socket.setNoDelay(true);
        // The receiver sends nothing; reading keeps 'end'/'close' flowing when it goes away.
        socket.on('data', () => undefined);
        socket.once('close', () => this.onClosed(socket));
        this.connects++;
        resolve(socket);
      });
    });
  }

  private onClosed(socket: TLSSocket): void {
    if (this.socket !== socket) return;
    this.socket = undefined;
    const since = Date.now() - this.options.replayWindowMs;
    this.replay = [...this.replay, ...this.recent.filter((written) => written.at >= since)];
    this.recent = [];
  }

  private write(socket: TLSSocket, text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      socket.write(text, (error) => (error ? reject(error) : resolve()));
    });
  }

  async deliver(events: readonly DeliveryEvent[]): Promise<void> {
    try {
      if (!this.socket || this.socket.destroyed) this.socket = await this.connect();
      const socket = this.socket;
      if (this.replay.length > 0) {
        await this.write(socket, this.replay.map((written) => written.text).join(''));
        this.replay = [];
      }
      const text = events.map((event) => event.json).join('\n') + '\n';
      await this.write(socket, text);
      if (socket.destroyed) throw new Error('connection closed while writing');
      const now = Date.now();
      this.recent.push({ at: now, text });
      const since = now - this.options.replayWindowMs;
      while (this.recent.length > 0 && this.recent[0]!.at < since) this.recent.shift();
    } catch (error) {
      this.socket?.destroy();
      throw new PartialDeliveryError((error as Error).message, 0);
    }
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (socket && !socket.destroyed) await new Promise<void>((resolve) => socket.end(() => resolve()));
  }
}
