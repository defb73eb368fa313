import { TextIndex } from './text-index';

/** A response body's text with its lower-cased form and index, each made once, on first use. */
export class BodyText {
  private lowerText?: string;
  private indexed?: TextIndex;

  /** @param utf8 the bytes `text` was decoded from, when the caller has them (the index reads them instead of encoding the text) */
  constructor(
    readonly text: string,
    private readonly utf8?: Uint8Array,
  ) {}

  get lower(): string {
    return (this.lowerText ??= this.text.toLowerCase());
  }

  get index(): TextIndex {
    return (this.indexed ??= new TextIndex(this.utf8 ?? this.text));
  }
}
