export type { CommandSpec, OptionSpec, OptionSpecs, OptionValues } from './command-spec';
export { parseCommandLine } from './parse';
export type { ParsedCommandLine } from './parse';
export { exitCodesSection, renderHelp } from './help';
export { reportError } from './report';
export { UsageError } from './usage-error';
export { OutputError } from './output-error';
