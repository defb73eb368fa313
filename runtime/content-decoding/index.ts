export { contentEncodings, decodeContent, isDecodableEncoding, MAX_STACKED_ENCODINGS } from './decode';
export type { ContentDecodingError, DecodedContent } from './decode';
