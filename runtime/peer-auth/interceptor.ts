import * as grpc from '@grpc/grpc-js';
import { authenticatePeer, type PeerAuthPolicy, type PeerAuthResult } from './authenticate';

/** Method paths of grpc.health.v1.Health: the load balancer's health check carries no token. */
export const HEALTH_METHOD_PATH_PREFIX = '/grpc.health.v1.Health/';

/** A call the interceptor refused, for the service's counters and logs (never the token). */
export interface PeerAuthRefusal {
  /** The call's peer (`getPeer()`, the same string the handler would see). */
  readonly peer: string;
  /** The method path, e.g. `/txprevent.v1.SensorIngest/Stream`. */
  readonly path: string;
  readonly code: grpc.status;
  readonly details: string;
}

export interface PeerAuthInterceptorOptions {
  readonly policy: PeerAuthPolicy;
  /** Method paths served without authentication. @default the health service's methods */
  readonly exempt?: (path: string) => boolean;
  /** Called once for each refused call, before its status is sent. */
  readonly onRefused?: (refusal: PeerAuthRefusal) => void;
  /** Called once for each authenticated call, before its handler runs. */
  readonly onAuthenticated?: (peer: string, result: Extract<PeerAuthResult, { ok: true }>, path: string) => void;
}

const isHealthMethod = (path: string): boolean => path.startsWith(HEALTH_METHOD_PATH_PREFIX);

/**
 * A server interceptor that authenticates every call (bearer token, or a verified client
 * certificate when the policy allows it) before any handler runs, except the exempt methods.
 * Given at server construction (`new grpc.Server({ interceptors: [...] })`), it covers every
 * service the server will ever serve: a new handler needs no authentication code of its own.
 * A refused call ends with the status authenticatePeer gives (UNAUTHENTICATED) and its handler
 * is never called.
 */
export function peerAuthInterceptor(options: PeerAuthInterceptorOptions): grpc.ServerInterceptor {
  const exempt = options.exempt ?? isHealthMethod;
  return (method, call) => {
    if (exempt(method.path)) return new grpc.ServerInterceptingCall(call);
    return new grpc.ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, passOn) => {
            const result = authenticatePeer({ metadata, getAuthContext: () => call.getAuthContext() }, options.policy);
            if (!result.ok) {
              options.onRefused?.({ peer: call.getPeer(), path: method.path, code: result.code, details: result.details });
              call.sendStatus({ code: result.code, details: result.details });
              return;
            }
            options.onAuthenticated?.(call.getPeer(), result, method.path);
            passOn(metadata);
          },
        }),
    });
  };
}
