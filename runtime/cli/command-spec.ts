/** One option of a command: `--name VALUE` (string) or `--name` (boolean). */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** A one-letter alias, e.g. "h". */
  readonly short?: string;
  /** What the value is, shown in help and errors: `--port PORT`. @default VALUE */
  readonly value?: string;
  /** What it does; one or two sentences. */
  readonly description: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** Everything `--help` shows and the parser checks, for one command. */
export interface CommandSpec<O extends OptionSpecs = OptionSpecs> {
  /** As typed, including the parent command: "tx-prevent deploy-policy". */
  readonly name: string;
  /** What follows the name on each usage line, e.g. "[options] FILE...". */
  readonly usage: readonly string[];
  /** What the command does, as paragraphs separated by blank lines. */
  readonly description: string;
  /** Subcommands, listed under "Commands:". */
  readonly commands?: Readonly<Record<string, string>>;
  /** Options other than -h/--help, which every command has. */
  readonly options: O;
  /** Positional arguments: their placeholder and how many are allowed. Omitted: none. */
  readonly positionals?: { readonly name: string; readonly min: number; readonly max?: number };
  /** Further sections, e.g. "Settings" or "Exit codes", rendered after the options. */
  readonly sections?: readonly { readonly title: string; readonly body: string }[];
}

/** The typed option values of a command line. */
export type OptionValues<O extends OptionSpecs> = { readonly [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string };
