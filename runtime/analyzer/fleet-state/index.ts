/**
 * Fleet state: what the analyzers of a fleet share in DynamoDB so they act as one — findings
 * claimed once per fleet, scan verdicts, the API inventory. Without a table (FLEET_TABLE unset)
 * the analyzer runs in single-instance mode and none of this is used.
 */
export { FleetState, type FleetStateOptions, type InventorySource } from './fleet-state';
export { FleetStateConfigError } from './table';
export { evidenceHash } from '../../fleet-table';
export type { FleetCounters } from './table-health';
export { readFleetInventory } from './inventory-sync';
export { runInventoryCli, type InventoryCliIo } from './inventory-export';
