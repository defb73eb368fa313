/**
 * Prose documents: multi-line text written for people (a forum post, an issue comment, a help-desk
 * reply, a Markdown article) that quotes code, and long one-line sentences (a blog comment, a chat
 * message) that do. Such a field is stored and shown, not handed to a shell or spliced into a
 * query: the command lines and SQL it quotes are its subject. Injected input is a payload, alone or
 * after a few characters that break out of where it lands; it does not come wrapped in sentences
 * and line breaks.
 */

/**
 * English words (and, at the end, Portuguese, Spanish, French and German ones) that are neither
 * shell nor SQL keywords (`for`, `in`, `do`, `if`, `from`, `and`, `or`, `not`, `is`, `as`, `on`,
 * `by`, `with`, `set`, `select` are left out): a text holding several distinct ones is written in
 * a language, whatever code it quotes.
 */
const FUNCTION_WORDS: ReadonlySet<string> = new Set([
  'the',
  'a',
  'an',
  'to',
  'of',
  'it',
  'this',
  'that',
  'these',
  'those',
  'you',
  'your',
  'we',
  'our',
  'i',
  'my',
  'me',
  'they',
  'them',
  'their',
  'he',
  'she',
  'his',
  'her',
  'be',
  'are',
  'was',
  'were',
  'been',
  'has',
  'have',
  'had',
  'can',
  'could',
  'would',
  'should',
  'will',
  'but',
  'also',
  'just',
  'so',
  'because',
  'about',
  'after',
  'before',
  'here',
  'there',
  'what',
  'which',
  'how',
  'why',
  'when',
  'seems',
  'does',
  'doesn',
  'don',
  'didn',
  'isn',
  'thanks',
  'please',
  'like',
  'than',
  // The same kind of words of other languages written in Latin letters (ASCII spellings only: the
  // word pattern reads a-z): Portuguese, Spanish, French, German. None is a SQL keyword; `del` is
  // also cmd's delete command, one word of the six a line needs.
  'uma',
  'para',
  'com',
  'mas',
  'isso',
  'muito',
  'quando',
  'porque',
  'pero',
  'muy',
  'esto',
  'una',
  'los',
  'las',
  'del',
  'les',
  'des',
  'une',
  'est',
  'pour',
  'dans',
  'pas',
  'avec',
  'qui',
  'mais',
  'vous',
  'nous',
  'der',
  'das',
  'und',
  'ist',
  'nicht',
  'ein',
  'eine',
  'mit',
  'auf',
  'ich',
  'auch',
  'aber',
  'wenn',
  'dass',
]);

/** Distinct function words that make a multi-line text prose. */
const MIN_FUNCTION_WORDS = 3;
/**
 * A single line is a value unless it is a long sentence with twice as many distinct function
 * words (a comment or chat message quoting a statement: `Thanks! I tried "SELECT * FROM wp_options
 * WHERE autoload = 'yes'" and it returned 1,200 rows -- is that normal?`). A payload after a
 * break-out holds a few words of SQL or shell, not six of English grammar.
 */
const MIN_SENTENCE_FUNCTION_WORDS = 6;
const MIN_SENTENCE_LENGTH = 80;
/** A line that opens with a break-out (`'`, `1'`, `x")`) is a payload, whatever words follow it. */
const OPENS_WITH_BREAKOUT = /^\s{0,3}[\w-]{0,12}['"`)]/;
/** Lines a document has at least. */
const DOCUMENT_LINES = 3;
/** Characters read for words: the opening of a long document says what it is. */
const MAX_READ = 8192;
const WORD = /[a-z]+/g;
/**
 * Letters of scripts other than Latin (Greek, Cyrillic, Hebrew, Arabic, Devanagari, Thai, kana,
 * CJK ideographs, Hangul): a text holding many of them is written in a language, and no shell or
 * SQL keyword is spelled in them. A payload appended to a short local value (`北京' AND
 * SLEEP(5)-- -`) holds a few.
 */
const NON_LATIN_LETTER =
  /[\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Devanagari}\p{Script=Thai}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}\p{Script=Hangul}]/gu;
/** Non-Latin letters that make a line (or, halved, a multi-line document) prose. */
const MIN_SENTENCE_NON_LATIN_LETTERS = 16;

/**
 * A text of three lines or more: its line breaks are its own layout (a post, a script, a query, a
 * log), not a separator smuggled into a value.
 */
export function isDocumentLayout(text: string): boolean {
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0 && lines < DOCUMENT_LINES; i = text.indexOf('\n', i + 1)) lines++;
  return lines >= DOCUMENT_LINES;
}

/** A line with words side by side (`from orders o`), not one token a line (`select\n*\nfrom`, newlines put for spaces). */
const LINE_OF_WORDS = /^[ \t]{0,40}\S+[ \t]+\S/gm;

/**
 * A text laid out as a file is (a query in a SQL editor, a Dockerfile, a CI job, a Makefile): a
 * document (isDocumentLayout) with at least two lines of words side by side, not a payload whose
 * spaces were turned into line breaks.
 */
export function isWrittenOutDocument(text: string): boolean {
  if (!isDocumentLayout(text)) return false;
  LINE_OF_WORDS.lastIndex = 0;
  let lines = 0;
  while (lines < 2 && LINE_OF_WORDS.exec(text) !== null) lines++;
  return lines >= 2;
}

/**
 * Whether a decoded, lower-cased value is a multi-line document or a long sentence written in
 * English (or, by its function words, Portuguese, Spanish, French or German), or, with
 * `otherScripts`, in a language of another script.
 */
export function readsAsProse(lower: string, otherScripts: boolean): boolean {
  const document = isDocumentLayout(lower);
  if (!document && (lower.length < MIN_SENTENCE_LENGTH || OPENS_WITH_BREAKOUT.test(lower))) return false;
  const need = document ? MIN_FUNCTION_WORDS : MIN_SENTENCE_FUNCTION_WORDS;
  const seen = new Set<string>();
  const text = lower.length > MAX_READ ? lower.slice(0, MAX_READ) : lower;
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m !== null; m = WORD.exec(text)) {
    if (FUNCTION_WORDS.has(m[0]) && !seen.has(m[0])) {
      seen.add(m[0]);
      if (seen.size >= need) return true;
    }
  }
  if (!otherScripts) return false;
  const letters = document ? MIN_SENTENCE_NON_LATIN_LETTERS / 2 : MIN_SENTENCE_NON_LATIN_LETTERS;
  NON_LATIN_LETTER.lastIndex = 0;
  let found = 0;
  while (NON_LATIN_LETTER.exec(text) !== null) if (++found >= letters) return true;
  return false;
}
