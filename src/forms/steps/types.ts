import type Joi from 'joi';
import type { FieldError } from '../validation.ts';

/** `choices`: the labels of a choice field's values, for pages that show stored answers (e.g. the conflict page). */
export type StepField = { name: string; label: string; choices?: Record<string, string> };

/** One step of the request wizard as data (see index.ts). */
export type StepDefinition = {
  slug: string;
  title: string;
  fields: StepField[];
  schema: Joi.ObjectSchema;
  /** The error summary's entries when they are not one per field (each field keeps its own inline message). */
  summariseErrors?: (errors: FieldError[], values: Record<string, unknown>) => FieldError[];
};
