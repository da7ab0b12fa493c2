import type Joi from 'joi';
import type { FieldError } from '../validation.ts';

/**
 * `choices`: the labels of a choice field's values, declared once for the form, the summary, the conflict page and
 * the instruction pages. `list`: a field posted as a list (checkboxes), with the view variable that ticks its boxes
 * again when the page is shown back (after an error, a restored session).
 */
export type StepField = { name: string; label: string; choices?: Record<string, string>; list?: { checkedAs: string } };

/**
 * Rules that need the request's data, applied by services/step-rules.ts: `scopes`, the use case's data (which are
 * offered, included or locked, and their labels); `legal-text`, a text's address that an attached PDF can replace.
 */
export type StepRuleKind = 'scopes' | 'legal-text';

/** One step of the request wizard as data (see index.ts). */
export type StepDefinition = {
  slug: string;
  title: string;
  fields: StepField[];
  schema: Joi.ObjectSchema;
  /** The error summary's entries when they are not one per field (each field keeps its own inline message). */
  summariseErrors?: (errors: FieldError[], values: Record<string, unknown>) => FieldError[];
  /** The field whose answer names the request (its title in the lists and the emails). */
  titleField?: string;
  rules?: StepRuleKind;
  /** How the answers read on the summary: one row per field (default), or one block per contact (role × parts). */
  answersLayout?: 'contact-blocks';
};
