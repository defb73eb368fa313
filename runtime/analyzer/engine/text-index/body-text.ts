import { TextIndex } from './text-index';

/**
 * A response body's text with its lower-cased form and index, each made once, on first use. The
 * text itself can come decoded on first use too (a BodyView's text does): given its bytes, the
 * index and the questions below read those, so a body no check needs to read is never decoded.
 */
export class BodyText {
  private lowerText?: string;
  private indexed?: TextIndex;

  /**
   * @param source the text, or what gives it when read (a BodyView)
   * @param utf8 the bytes the text was decoded from (the index reads them instead of encoding the
   *   text) @default a BodyView's own bytes, if it has them
   */
  constructor(
    private readonly source: string | { readonly text: string; readonly utf8?: Uint8Array },
    private readonly utf8: Uint8Array | undefined = typeof source === 'string' ? undefined : source.utf8,
  ) {}

  get text(): string {
    return typeof this.source === 'string' ? this.source : this.source.text;
  }

  /** The text is empty (a UTF-8 byte always decodes to at least one character). */
  get empty(): boolean {
    return this.utf8 ? this.utf8.length === 0 : this.text.length === 0;
  }

  /**
   * The text holds this ASCII character. An ASCII byte always decodes to that character and no
   * other byte does, so the bytes tell without decoding.
   */
  includesAscii(code: number): boolean {
    return this.utf8 ? this.utf8.includes(code) : this.text.includes(String.fromCharCode(code));
  }

  /** Bytes (or, without them, characters) of the text: the text has at most this many characters. */
  get maxLength(): number {
    return this.utf8 ? this.utf8.length : this.text.length;
  }

  get lower(): string {
    return (this.lowerText ??= this.text.toLowerCase());
  }

  get index(): TextIndex {
    return (this.indexed ??= new TextIndex(this.utf8 ?? this.text));
  }
}
