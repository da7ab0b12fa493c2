import type { Response } from 'express';
import { parseBase } from '../../domain/merge.ts';
import { NOT_EDITABLE, UPLOAD_FIELD } from '../../forms/attachments.ts';
import { lenientSchema, STEPS, type StepDefinition } from '../../forms/steps/index.ts';
import { validateForm, type FieldError } from '../../forms/validation.ts';
import { HttpError } from '../../middleware/http-error.ts';
import type { MultipartReader } from '../../middleware/multipart.ts';
import type { AccessRequest } from '../../repositories/requests.ts';
import type { User } from '../../repositories/users.ts';
import type { Services } from '../../services/index.ts';
import type { ReceivedFile } from '../../storage/attachment-files.ts';

/** The legal step (« Cadre juridique »), whose page also holds the attachments. */
/** The step whose legal text an attached PDF can replace: the one the uploads belong to. */
export const LEGAL_STEP = STEPS.find((step) => step.rules === 'legal-text') as StepDefinition;

export type TextOutcome = {
  errors: FieldError[];
  /** What the user typed, when the form sent the step's fields. */
  posted?: Record<string, unknown>;
  /** The form's version and base when the text was not saved, so that the next save still compares with them. */
  unsaved?: { version?: unknown; base?: unknown };
  /** The draft changed (a new version was written). */
  changed: boolean;
};

/**
 * The step's text fields travel with the attachment buttons (same form): they are saved as « Enregistrer le
 * brouillon » would, so that attaching or removing a file never loses what was typed. A body without any of the
 * step's fields (not sent from the step's form) changes nothing.
 */
export async function saveLegalText(
  services: Services,
  request: AccessRequest,
  fields: Record<string, unknown>,
  user: User,
): Promise<TextOutcome> {
  if (!LEGAL_STEP.fields.some((f) => f.name in fields)) return { errors: [], changed: false };
  const posted = Object.fromEntries(LEGAL_STEP.fields.map((f) => [f.name, fields[f.name] ?? '']));
  const unsaved = { version: fields.version, base: fields.base };
  const validated = validateForm(lenientSchema(LEGAL_STEP), fields);
  const applied = await services.stepRules.apply(
    LEGAL_STEP,
    request,
    validated.value as Record<string, unknown>,
    false,
  );
  const errors = [...validated.errors, ...applied.errors];
  if (errors.length) return { errors, posted, unsaved, changed: false };
  const outcome = await services.requests.save(
    request,
    LEGAL_STEP,
    { version: Number(fields.version), base: parseBase(fields.base), values: applied.value },
    user.id,
  );
  if (outcome.kind === 'locked') throw new HttpError(409, NOT_EDITABLE);
  if (outcome.kind === 'conflict') {
    const conflictErrors = outcome.conflicts.map((name) => ({
      field: name,
      message: `Quelqu’un a modifié « ${LEGAL_STEP.fields.find((f) => f.name === name)?.label ?? name} » en même temps que vous : votre saisie n’est pas enregistrée. Enregistrez le brouillon pour comparer les deux versions`,
    }));
    return { errors: conflictErrors, posted, unsaved, changed: false };
  }
  return { errors: [], posted, changed: outcome.version !== request.version };
}

/** The legal step's page, as the step handler renders it, with the attachments. */
export async function renderLegalStep(
  services: Services,
  res: Response,
  request: AccessRequest,
  extra: Record<string, unknown>,
  status: number,
): Promise<void> {
  const context = await services.stepRules.context(LEGAL_STEP, request);
  res.status(status).render('demandes/etape', {
    request,
    step: LEGAL_STEP,
    steps: STEPS,
    stepNumber: STEPS.indexOf(LEGAL_STEP) + 1,
    values: request.answers[LEGAL_STEP.slug] ?? {},
    fieldErrors: {},
    ...context,
    ...extra,
  });
}

/** Errors as the page shows them: the summary lists each, a field shows its messages together. */
export function errorContext(errors: FieldError[]): { errors: FieldError[]; fieldErrors: Record<string, string> } {
  const fieldErrors: Record<string, string> = {};
  for (const e of errors)
    fieldErrors[e.field] = fieldErrors[e.field] ? `${fieldErrors[e.field]} ${e.message}` : e.message;
  return { errors, fieldErrors };
}

export type Upload = {
  fields: Record<string, unknown>;
  received: { name: string; file: ReceivedFile }[];
  tooManyFiles: boolean;
};

/**
 * Reads the rest of an upload form: fields, and each chosen file to a temporary file. If the body does not arrive
 * whole, every temporary file is removed and the error rethrown: nothing of an interrupted upload remains.
 */
export async function receiveUpload(
  services: Services,
  reader: MultipartReader | undefined,
  leading: Record<string, unknown>,
): Promise<Upload> {
  const fields: Record<string, unknown> = { ...leading };
  const received: Upload['received'] = [];
  if (!reader) return { fields, received, tooManyFiles: false };
  try {
    for (let part = await reader.next(); part; part = await reader.next()) {
      if (part.kind === 'field') fields[part.name] = part.value;
      else if (part.name !== UPLOAD_FIELD || part.filename === '')
        part.stream.resume(); // an empty file input still sends a part
      else received.push({ name: part.filename, file: await services.attachments.receive(part.stream) });
    }
  } catch (error) {
    await Promise.all(received.map((r) => services.attachments.discard(r.file)));
    throw error;
  }
  return { fields, received, tooManyFiles: reader.tooManyFiles };
}
