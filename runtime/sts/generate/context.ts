import { randomBytes, randomInt } from 'node:crypto';
import type { Finding__Output } from '../../proto';
import type { RequestRole, TemplateRequest } from '../template/schema';
import type { InjectionPoint, ObservedRequest, ReplayRequest } from './request-shape';

/** What a probe builder gets: the cleaned observed request, the injection point and fresh canaries. */
export interface GenerationContext {
  readonly finding: Finding__Output;
  readonly request: ObservedRequest;
  /** Present for classes that test a parameter. */
  readonly point?: InjectionPoint;
  readonly scheme: 'http' | 'https';
  /** Seconds a time-based payload asks the target to wait. */
  readonly timeDelaySeconds: number;
  /** A unique, inert token: lower-case letters and digits, starting with "txp". */
  canary(): string;
  /** A random integer in [min, max). */
  integer(min: number, max: number): number;
}

export function randomCanary(): string {
  return `txp${randomBytes(6).toString('hex')}`;
}

export function randomInteger(min: number, max: number): number {
  return randomInt(min, max);
}

export function templateRequest(role: RequestRole, note: string, replay: ReplayRequest): TemplateRequest {
  return { role, note, method: replay.method, path: replay.path, headers: replay.headers.map(([n, v]) => [n, v] as const), body: replay.body };
}

/** The injection point, which every parameter-based builder needs. */
export function requirePoint(context: GenerationContext): InjectionPoint {
  if (!context.point) throw new Error('internal: parameter-based template generated without an injection point');
  return context.point;
}

/**
 * The observed value up to where an attack would start. Findings are often observed on an
 * attacker's request, so the observed value may carry that attacker's payload; scans must never
 * replay it, only the benign part before it.
 */
export function benignValue(original: string, attackStart: RegExp): string {
  const match = attackStart.exec(original);
  return (match ? original.slice(0, match.index) : original).trim();
}
