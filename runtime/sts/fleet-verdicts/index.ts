/** Scan verdicts shared through the fleet table: one scan per evidence for the whole fleet. */
export { FleetVerdicts, type FleetVerdictCounters, type FleetVerdictsOptions } from './fleet-verdicts';
