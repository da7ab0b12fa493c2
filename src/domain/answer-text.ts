/**
 * Answers as people read them, for the pages that show stored values outside the form (the conflict page, the
 * instructors' « what changed » list): labels for codes, dates in words, lists joined, « (vide) » when empty. Pure.
 */
import { checkCalendarDate } from './calendar-date.ts';
import { frenchDate } from './french-dates.ts';
import { sameAnswer, type Answers } from './merge.ts';

/** A stored or typed answer as a sentence (`names`: the labels of a choice field's codes or of the catalogue's scopes). */
export function shownValue(value: unknown, names: Record<string, string> = {}, field = ''): string {
  const date = (v: unknown) => {
    const check = checkCalendarDate(String(v));
    return check.ok ? frenchDate(check.iso) : String(v);
  };
  const one = (v: unknown) => names[String(v)] ?? (field.endsWith('Date') ? date(v) : String(v));
  if (Array.isArray(value)) return value.length ? value.map(one).join(', ') : '(vide)';
  return value === undefined || value === null || value === '' ? '(vide)' : one(value);
}

type StepFields = { slug: string; title: string; fields: { name: string; label: string }[] };

export type AnswerChange = {
  step: string;
  stepTitle: string;
  field: string;
  label: string;
  before: unknown;
  after: unknown;
};

/**
 * What changed between two submissions of a request, field by field in the wizard's order (whitespace and the order of
 * a list do not count as a change: the same rule as the merge of concurrent saves).
 */
export function answerChanges(
  steps: readonly StepFields[],
  before: Record<string, Answers>,
  after: Record<string, Answers>,
): AnswerChange[] {
  return steps.flatMap((step) =>
    step.fields
      .filter((f) => !sameAnswer(before[step.slug]?.[f.name], after[step.slug]?.[f.name]))
      .map((f) => ({
        step: step.slug,
        stepTitle: step.title,
        field: f.name,
        label: f.label,
        before: before[step.slug]?.[f.name],
        after: after[step.slug]?.[f.name],
      })),
  );
}
