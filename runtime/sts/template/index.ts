export * from './schema';
export { validateTemplate, parseTemplateJson, TemplateError, TEMPLATE_ID_PATTERN } from './validate';
