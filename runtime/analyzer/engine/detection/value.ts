/**
 * One value of a request as the rule packs see it: where it sits, its name, and its decoded forms,
 * each computed once, on first use, however many packs read it.
 */
import { compactForm, decodeValue, lookupForm, pathForm, shellForm, sqlForm } from './decode';
import { readsAsProse } from './prose';
import type { ValueLocation } from './types';

export class InspectedValue {
  private decodedText?: string;
  private lowerText?: string;
  private sqlText?: string;
  private shellText?: string;
  private pathText?: string;
  private compactText?: string;
  private lookupText?: string;
  private noisyFlag?: boolean;
  private proseFlag?: boolean;

  /**
   * @param raw the value as its placement delivers it (a query value percent-decoded once, a JSON
   *   string as parsed, a header as sent)
   * @param lowerName the lower-cased parameter, header or cookie name ('' for a path or body)
   */
  constructor(
    readonly location: ValueLocation,
    readonly name: string,
    readonly raw: string,
    readonly lowerName: string = name.toLowerCase(),
  ) {}

  /** Multi-pass decoded (see ./decode), case kept. */
  get decoded(): string {
    return (this.decodedText ??= decodeValue(this.raw));
  }

  /** Decoded and lower-cased: what most rules read. */
  get lower(): string {
    return (this.lowerText ??= this.decoded.toLowerCase());
  }

  /** Comments and whitespace compressed for SQL rules. */
  get sql(): string {
    return (this.sqlText ??= sqlForm(this.lower));
  }

  /** De-obfuscated as sh/cmd would read it. */
  get shell(): string {
    return (this.shellText ??= shellForm(this.lower));
  }

  /** Separators unified for path rules. */
  get path(): string {
    return (this.pathText ??= pathForm(this.lower));
  }

  /** Invisible characters, CSS comments and escapes removed for markup rules. */
  get compact(): string {
    return (this.compactText ??= compactForm(this.lower));
  }

  /**
   * A long random-token blob (bot-detection sensor data, obfuscated telemetry): most punctuation
   * characters appear in it, densely. Grammar-based rules that look for separators and short words
   * skip such values; signature rules still read them.
   */
  get noisy(): boolean {
    return (this.noisyFlag ??= isNoise(this.raw));
  }

  /**
   * A multi-line document or a long sentence written in a language (see ../prose): what it quotes is its subject, so
   * rules that read a command line or a query into any text leave it be. Headers carry no text
   * written in other scripts: a long run of such letters there is an exploit's encoded bytes
   * (CVE-2017-7269's `If` header), so only function words count in them.
   */
  get prose(): boolean {
    return (this.proseFlag ??= readsAsProse(this.lower, this.location !== 'header'));
  }

  /** Log4j lookups resolved. */
  get lookup(): string {
    return (this.lookupText ??= lookupForm(this.lower));
  }
}

const NOISE_MIN_LENGTH = 200;
const NOISE_SAMPLE = 1024;

function isNoise(text: string): boolean {
  if (text.length < NOISE_MIN_LENGTH) return false;
  const n = Math.min(text.length, NOISE_SAMPLE);
  const kinds = new Set<number>();
  let punctuation = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) {
      punctuation++;
      kinds.add(c);
    }
  }
  return kinds.size >= 20 && punctuation / n >= 0.2;
}

/** A value's form by name, for table-driven regex rules. */
export type ValueForm = 'lower' | 'sql' | 'shell' | 'path' | 'compact' | 'lookup' | 'decoded' | 'raw';

export function formOf(value: InspectedValue, form: ValueForm): string {
  switch (form) {
    case 'sql':
      return value.sql;
    case 'shell':
      return value.shell;
    case 'path':
      return value.path;
    case 'compact':
      return value.compact;
    case 'lookup':
      return value.lookup;
    case 'decoded':
      return value.decoded;
    case 'raw':
      return value.raw;
    default:
      return value.lower;
  }
}
