/**
 * A parser turns the raw text of a setting into its typed value, or throws an Error whose message
 * says what a valid value looks like (the loader adds the setting's name). Messages never repeat
 * the raw value: the loader decides whether the value may be shown (secrets never are).
 */
export interface Parser<T> {
  /** Short description of accepted values, for the settings table and `--help`. */
  readonly kind: string;
  parse(raw: string): T;
}

export function text(options: { readonly minLength?: number; readonly pattern?: RegExp; readonly patternHint?: string } = {}): Parser<string> {
  const minLength = options.minLength ?? 0;
  return {
    kind: options.patternHint ?? (minLength > 1 ? `text, at least ${minLength} characters` : minLength === 1 ? 'non-empty text' : 'text'),
    parse(raw) {
      if (raw.length < minLength) throw new Error(minLength === 1 ? 'must not be empty' : `must be at least ${minLength} characters long`);
      if (options.pattern && !options.pattern.test(raw)) throw new Error(`must be ${options.patternHint ?? `text matching ${options.pattern.source}`}`);
      return raw;
    },
  };
}

export function integer(options: { readonly min?: number; readonly max?: number } = {}): Parser<number> {
  const min = options.min ?? Number.MIN_SAFE_INTEGER;
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  const range = options.min !== undefined && options.max !== undefined ? ` ${min}..${max}` : options.min !== undefined ? ` >= ${min}` : '';
  return {
    kind: `integer${range}`,
    parse(raw) {
      const trimmed = raw.trim();
      if (!/^-?\d+$/.test(trimmed)) throw new Error(`must be a whole number${range ? ` in${range}` : ''}`);
      const value = Number(trimmed);
      if (value < min || value > max) throw new Error(`must be in${range || ` ${min}..${max}`}`);
      return value;
    },
  };
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

export function boolean(): Parser<boolean> {
  return {
    kind: 'true | false',
    parse(raw) {
      const word = raw.trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
      throw new Error('must be true or false (also accepted: 1/0, yes/no, on/off)');
    },
  };
}

export function oneOf<const T extends string>(values: readonly T[]): Parser<T> {
  return {
    kind: values.join(' | '),
    parse(raw) {
      const word = raw.trim().toLowerCase();
      const found = values.find((value) => value.toLowerCase() === word);
      if (found === undefined) throw new Error(`must be one of ${values.join(', ')}`);
      return found;
    },
  };
}

/** Comma-separated list; empty items are dropped. */
export function list<T>(item: Parser<T>): Parser<T[]> {
  return {
    kind: `comma-separated list of ${item.kind}`,
    parse(raw) {
      const parts = raw
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part.length > 0);
      return parts.map((part, index) => {
        try {
          return item.parse(part);
        } catch (error) {
          throw new Error(`item ${index + 1}: ${(error as Error).message}`, { cause: error });
        }
      });
    },
  };
}

export function url(options: { readonly protocols: readonly string[] }): Parser<URL> {
  const schemes = options.protocols.map((protocol) => protocol.replace(/:$/, ''));
  return {
    kind: `${schemes.join('/')} URL`,
    parse(raw) {
      let parsed: URL;
      try {
        parsed = new URL(raw.trim());
      } catch {
        throw new Error(`must be an absolute URL such as ${schemes[0]}://host:port/path`);
      }
      if (!schemes.includes(parsed.protocol.replace(/:$/, ''))) throw new Error(`must use ${schemes.join(' or ')} (got ${parsed.protocol.replace(/:$/, '')})`);
      return parsed;
    },
  };
}

/** A host name or IP address, optionally with ":port". */
export function hostname(): Parser<string> {
  return {
    kind: 'host name[:port]',
    parse(raw) {
      const value = raw.trim();
      if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(value)) {
        throw new Error('must be a host name such as gateway.example.com (optionally with :port), without scheme or path');
      }
      return value;
    },
  };
}

/** JSON text validated by `validate`, which throws with a message naming the bad field. */
export function json<T>(kind: string, validate: (value: unknown) => T): Parser<T> {
  return {
    kind,
    parse(raw) {
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch (error) {
        throw new Error(`must be valid JSON (${(error as Error).message.split(' in JSON at position')[0]})`, { cause: error });
      }
      return validate(value);
    },
  };
}

/** Secret key material: at least `minBytes` bytes of text (used as raw bytes). */
export function secretKey(minBytes: number): Parser<Buffer> {
  return {
    kind: `secret, at least ${minBytes} bytes`,
    parse(raw) {
      const bytes = Buffer.from(raw, 'utf8');
      if (bytes.length < minBytes) throw new Error(`must be at least ${minBytes} bytes long; generate one with: openssl rand -hex ${minBytes}`);
      return bytes;
    },
  };
}

/** A PEM block (certificate or key), or the path of a file holding one, resolved by the caller. */
export function pem(label: 'CERTIFICATE' | 'PRIVATE KEY'): Parser<string> {
  return {
    kind: `PEM ${label.toLowerCase()}`,
    parse(raw) {
      const value = raw.replace(/\\n/g, '\n').trim();
      const marker = label === 'CERTIFICATE' ? /-----BEGIN CERTIFICATE-----/ : /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
      if (!marker.test(value)) throw new Error(`must be a PEM ${label.toLowerCase()} starting with -----BEGIN ${label}-----`);
      return value + '\n';
    },
  };
}

/** A decimal number such as 0.5, .25 or 5e-1 (no sign, no hex), within min..max. */
export function decimal(options: { readonly min: number; readonly max: number }): Parser<number> {
  const range = `${options.min}..${options.max}`;
  return {
    kind: `number ${range}`,
    parse(raw) {
      const trimmed = raw.trim();
      // Linear-time: each part is anchored by a different character class, so nothing backtracks.
      const value = /^(?:\d+(?:\.\d+)?|\.\d+)(?:e-?\d+)?$/i.test(trimmed) ? Number(trimmed) : NaN;
      if (Number.isNaN(value) || value < options.min || value > options.max) throw new Error(`must be a number in ${range}`);
      return value;
    },
  };
}
