export { exportNucleiTemplate, toNucleiDocument, rawRequest, NUCLEI_AUTHOR } from './export';
export { importNucleiTemplate } from './import';
export { checkNucleiTemplate, NUCLEI_ID_PATTERN, NUCLEI_SEVERITIES, NUCLEI_MATCHER_FIELDS, NUCLEI_EXTRACTOR_FIELDS } from './check';
export { templateFromInput } from './template-source';
