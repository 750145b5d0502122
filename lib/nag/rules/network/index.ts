// Rules of this family are listed here, one export per rule file.
export {};
