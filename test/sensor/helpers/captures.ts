import { pcapFile, TcpConversation } from './pcap-writer';

/**
 * A capture of `count` GET exchanges on keep-alive connections of `perConnection` each, every
 * response carrying `bodyBytes` of body: the same bytes every time it is built.
 */
export function exchangesCapture(count: number, options: { perConnection?: number; bodyBytes?: number } = {}): Buffer {
  const perConnection = options.perConnection ?? 100;
  const body = 'b'.repeat(options.bodyBytes ?? 64);
  const frames = [];
  for (let first = 0, n = 0; first < count; first += perConnection, n++) {
    const c = new TcpConversation({ clientPort: 20000 + n, startUs: 1_700_000_000_000_000 + n * 1_000_000 }).handshake();
    for (let i = first; i < Math.min(count, first + perConnection); i++) {
      c.send('client', `GET /items/${i} HTTP/1.1\r\nHost: app\r\n\r\n`).send('server', `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    }
    frames.push(...c.close().frames);
  }
  return pcapFile('ethernet', frames);
}
