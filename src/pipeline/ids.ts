/** Requirement-like ID families and how they are matched and normalised. */
export interface IdPatterns {
  /** Families a spec defines: requirements and acceptance/success criteria. */
  requirements: readonly string[];
  /** Families a test plan defines: test cases. */
  tests: readonly string[];
}

export const DEFAULT_ID_PATTERNS: IdPatterns = {
  requirements: ['FR', 'NFR', 'AC', 'SC'],
  tests: ['TC'],
};

export const idRegex = (patterns: IdPatterns): RegExp => {
  const families = [...patterns.requirements, ...patterns.tests].map(escapeRegex).join('|');
  return new RegExp(`\\b(${families})-(\\d{1,5})(?:\\.(\\d{1,5}))?\\b`, 'g');
};

/** `FR-001` → `FR-1`, `AC-2.01` → `AC-2.1`: both numbering styles name the same requirement. */
export const idKey = (family: string, major: string, minor: string | undefined): string =>
  `${family}-${Number(major)}${minor === undefined ? '' : `.${Number(minor)}`}`;

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
