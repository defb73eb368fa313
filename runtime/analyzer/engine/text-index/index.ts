/** Literal gates for response bodies: an index of a body's substrings, and the body's text around it. */
export { TextIndex, anyOf, type LiteralNeeds } from './text-index';
export { BodyText } from './body-text';
