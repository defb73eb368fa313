import type { Writable } from 'node:stream';
import type { RoutableEvent } from '../events';
import type { DeliveryEvent, Sink } from './sink';

/**
 * JSON lines on stdout (the instance's log agent ships them to the analyzer's CloudWatch log
 * group). Waits for 'drain' when the pipe is full, so a slow reader slows delivery instead of
 * growing memory.
 */
export class StdoutSink implements Sink {
  readonly name = 'stdout';

  constructor(private readonly stream: Writable = process.stdout) {}

  accepts(_event: RoutableEvent): boolean {
    return true;
  }

  async deliver(events: readonly DeliveryEvent[]): Promise<void> {
    const text = events.map((event) => event.json).join('\n') + '\n';
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.stream.once('error', onError);
      const flushed = this.stream.write(text, (error) => {
        if (error) return;
        if (flushed) {
          this.stream.off('error', onError);
          resolve();
        }
      });
      if (!flushed) {
        this.stream.once('drain', () => {
          this.stream.off('error', onError);
          resolve();
        });
      }
    });
  }

  async close(): Promise<void> {}
}
