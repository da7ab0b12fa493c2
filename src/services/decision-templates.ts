import type { Knex } from 'knex';
import { fillTemplate, parseTemplate, type TemplateInput, type TemplateProblem } from '../domain/decision-templates.ts';
import type { DecisionKind } from '../domain/decisions.ts';
import { recordAudit } from '../repositories/audit.ts';
import {
  deleteTemplate,
  findTemplate,
  insertTemplate,
  listTemplates,
  updateTemplate,
  type DecisionTemplate,
} from '../repositories/decision-templates.ts';
import type { User } from '../repositories/users.ts';

export type TemplateSaved =
  { kind: 'saved'; id: string } | { kind: 'invalid'; input: TemplateInput; problems: TemplateProblem[] };

/** The texts admins keep for each decision (audited), and the text an instructor starts from, filled in. */
export function decisionTemplateService(db: Knex, baseUrl: string) {
  return {
    list: (kind?: DecisionKind) => listTemplates(db, kind),
    find: (id: string) => findTemplate(db, id),

    /** Creates (no `id`) or changes a template, with its audit entry. */
    async save(admin: User, body: Record<string, unknown>, id?: string): Promise<TemplateSaved | undefined> {
      const { input, problems } = parseTemplate(body);
      if (problems.length) return { kind: 'invalid', input, problems };
      return db.transaction(async (trx) => {
        const savedId = id ?? (await insertTemplate(trx, input));
        if (id && !(await updateTemplate(trx, id, input))) return undefined;
        await recordAudit(trx, {
          actorId: admin.id,
          action: id ? 'decision_template.update' : 'decision_template.create',
          subjectType: 'decision_template',
          subjectId: savedId,
          details: { kind: input.kind, title: input.title },
        });
        return { kind: 'saved' as const, id: savedId };
      });
    },

    async remove(admin: User, id: string): Promise<DecisionTemplate | undefined> {
      return db.transaction(async (trx) => {
        const removed = await deleteTemplate(trx, id);
        if (removed)
          await recordAudit(trx, {
            actorId: admin.id,
            action: 'decision_template.delete',
            subjectType: 'decision_template',
            subjectId: id,
            details: { kind: removed.kind, title: removed.title },
          });
        return removed;
      });
    },

    /** The template's text for one request, its variables filled in (the link is the applicant's page of it). */
    filled(
      template: DecisionTemplate,
      request: { id: string; title: string | null; organisationName: string },
    ): string {
      return fillTemplate(template.body, {
        numero: request.id,
        titre: request.title ?? `n° ${request.id}`,
        organisation: request.organisationName,
        lien: `${baseUrl}/demandes/${request.id}/recapitulatif`,
      });
    },
  };
}
