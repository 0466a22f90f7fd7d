/**
 * `## 2. Risks & Unknowns` → `risks & unknowns`: numbering, emphasis and case don't change which
 * template section a heading is.
 */
export const headingKey = (text: string): string =>
  text
    .toLowerCase()
    .replace(/^\s*(?:\d+(?:\.\d+)*\.?|[ivx]+\.)\s+/, '')
    .replace(/[*_`]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * Whether a heading satisfies a required template section. A heading matches when it starts with
 * the section's first part, so `Success Criteria (measurable)` and `Stakeholders` satisfy
 * `Success Criteria` and `Stakeholders / Users`, as upstream docs write them.
 */
export const headingSatisfies = (key: string, section: string): boolean => {
  const first = sectionStem(section);
  return (
    key === first || key.startsWith(`${first} `) || key.startsWith(`${first}/`) || key.startsWith(`${first}:`)
  );
};

const stems = new Map<string, string>();

/** The part of a template section's name a heading must start with; computed once per section. */
function sectionStem(section: string): string {
  let stem = stems.get(section);
  if (stem === undefined) {
    stem = headingKey(section).split(' / ')[0]!;
    stems.set(section, stem);
  }
  return stem;
}
