/**
 * Three-way merge of one step's answers, field by field (two tabs or two people editing different fields both keep their changes).
 * `base` is what the user's form showed when it was loaded (or last autosaved), `stored` what the database holds now,
 * `mine` what the user sends. A field only one side changed takes that side; a field both changed differently is a
 * conflict the user must decide: nothing of theirs is written over someone else's change without an explicit choice.
 */
export type Answers = Record<string, unknown>;
export type MergeResult = { merged: Answers; conflicts: string[] };

/** Empty, missing and null are the same answer; numbers and their text too; checkbox lists ignore order. */
export function normalise(value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  if (Array.isArray(value)) return JSON.stringify(value.map(String).sort());
  return String(value);
}

export const sameAnswer = (a: unknown, b: unknown): boolean => normalise(a) === normalise(b);

/** Without a known base (an old form, a tampered field), every field that differs is a conflict. */
export function mergeAnswers(
  fields: readonly string[],
  base: Answers | undefined,
  stored: Answers,
  mine: Answers,
): MergeResult {
  const merged: Answers = {};
  const conflicts: string[] = [];
  for (const field of fields) {
    const theirs = stored[field];
    const ours = mine[field];
    if (sameAnswer(ours, theirs)) setAnswer(merged, field, theirs);
    else if (base && sameAnswer(ours, base[field])) setAnswer(merged, field, theirs);
    else if (base && sameAnswer(theirs, base[field])) setAnswer(merged, field, ours);
    else {
      conflicts.push(field);
      setAnswer(merged, field, theirs);
    }
  }
  return { merged, conflicts };
}

function setAnswer(target: Answers, field: string, value: unknown): void {
  if (value !== undefined) target[field] = value;
}

/** The base sent back by a form: a JSON object, or undefined when missing or malformed. */
export function parseBase(text: unknown): Answers | undefined {
  if (typeof text !== 'string' || text.length === 0 || text.length > 100_000) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Answers) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The conflict page's answer turned back into an ordinary step form: for each conflicting field (listed in hidden
 * `conflit` fields) the user picked « la version enregistrée » or « ma saisie », both values travelling in hidden
 * fields. Returns the conflicting fields left undecided.
 */
export function applyConflictChoices(
  body: Record<string, unknown>,
  fields: readonly string[],
): { body: Record<string, unknown>; undecided: string[] } {
  const listed = new Set(([] as unknown[]).concat(body.conflit ?? []).map(String));
  const result: Record<string, unknown> = {};
  const undecided: string[] = [];
  for (const [key, value] of Object.entries(body)) if (!key.includes('__') && key !== 'conflit') result[key] = value;
  for (const field of fields.filter((f) => listed.has(f))) {
    const choice = body[`${field}__choix`];
    if (choice === 'enregistree' || choice === 'saisie') result[field] = body[`${field}__${choice}`] ?? '';
    else undecided.push(field);
  }
  return { body: result, undecided };
}
