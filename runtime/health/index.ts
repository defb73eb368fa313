import * as grpc from '@grpc/grpc-js';
import { loadTxPreventGrpc, type HealthHandlers } from '../proto';

export type ServingStatus = 'SERVING' | 'NOT_SERVING';

type Watcher = (status: ServingStatus) => void;

/**
 * grpc.health.v1.Health (Check and Watch) over statuses the service sets from its real state:
 * "" is the whole server (what the ALB's health check asks), named entries are single services.
 * Health calls are unauthenticated on purpose: the ALB health check carries no token.
 */
export class HealthService {
  private readonly statuses = new Map<string, ServingStatus>();
  private readonly watchers = new Map<string, Set<Watcher>>();
  private readonly openWatches = new Set<grpc.ServerWritableStream<unknown, unknown>>();

  /** Services start NOT_SERVING until the caller says they are ready. */
  constructor(services: readonly string[] = ['']) {
    for (const service of services) this.statuses.set(service, 'NOT_SERVING');
  }

  setStatus(service: string, status: ServingStatus): void {
    if (this.statuses.get(service) === status) return;
    this.statuses.set(service, status);
    for (const watcher of this.watchers.get(service) ?? []) watcher(status);
  }

  /** Sets every known service (the "" entry included). */
  setAll(status: ServingStatus): void {
    for (const service of [...this.statuses.keys()]) this.setStatus(service, status);
  }

  status(service: string): ServingStatus | undefined {
    return this.statuses.get(service);
  }

  /** Ends open Watch streams (call before server shutdown so it does not wait for them). */
  endWatches(): void {
    for (const call of this.openWatches) call.end();
    this.openWatches.clear();
  }

  handlers(): HealthHandlers {
    return {
      Check: (call, callback) => {
        const status = this.statuses.get(call.request.service);
        if (status === undefined) return callback({ code: grpc.status.NOT_FOUND, details: `unknown service "${call.request.service}"` });
        callback(null, { status });
      },
      Watch: (call) => {
        const service = call.request.service;
        const send = (status: ServingStatus | 'SERVICE_UNKNOWN') => {
          if (!call.cancelled && call.writable) call.write({ status });
        };
        const watcher: Watcher = (status) => send(status);
        let set = this.watchers.get(service);
        if (!set) this.watchers.set(service, (set = new Set()));
        set.add(watcher);
        this.openWatches.add(call as grpc.ServerWritableStream<unknown, unknown>);
        const stop = () => {
          set?.delete(watcher);
          this.openWatches.delete(call as grpc.ServerWritableStream<unknown, unknown>);
        };
        call.on('cancelled', stop);
        call.on('close', stop);
        call.on('error', stop);
        send(this.statuses.get(service) ?? 'SERVICE_UNKNOWN');
      },
    };
  }

  addTo(server: grpc.Server): void {
    server.addService(loadTxPreventGrpc().grpc.health.v1.Health.service, this.handlers());
  }
}
