import { Inventory, type EndpointSnapshot } from './inventory';
import { PathTemplater } from './path-template';
import { DEFAULT_LIMITS } from './limits';

/**
 * The OpenAPI 3.1 document of endpoints recorded by several analyzers. Each analyzer templated
 * paths with what it alone had seen, so the sample paths are learnt again here, together: a
 * position that only the whole fleet saw enough distinct values at becomes a parameter, as it
 * would have on one analyzer seeing all the traffic.
 */
export function inventoryDocument(snapshots: Iterable<EndpointSnapshot>, maxEndpoints = DEFAULT_LIMITS.maxEndpoints): Record<string, unknown> {
  const all = [...snapshots];
  const templater = new PathTemplater(undefined, maxEndpoints * 20);
  // Oldest first: the order one analyzer would have learnt them in.
  const byAge = [...all].sort((a, b) => a.firstSeen - b.firstSeen || a.samplePath.localeCompare(b.samplePath));
  for (const snapshot of byAge) templater.template(snapshot.samplePath, true);
  const inventory = new Inventory(maxEndpoints);
  for (const snapshot of byAge) inventory.absorb(snapshot);
  return inventory.openApi((path) => templater.template(path, false));
}
