// Rules of this family are listed here, one export per rule file.
export * from './PolicySize';
export * from './TemplateSize';
