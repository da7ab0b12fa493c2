import type nunjucks from 'nunjucks';
import type { Config } from '../config.ts';
import type { Db } from '../db/knex.ts';
import { httpDirectoryFallback } from '../directory/http-adapter.ts';
import { hotPathPool, noticeListener } from '../db/hot-path.ts';
import type { Logger } from '../logger.ts';
import { accountService } from './accounts.ts';
import { apiTokenService } from './api-tokens.ts';
import { authorizationService } from './authorizations.ts';
import { introspectionService, TOKEN_CHANGES_CHANNEL } from './introspection.ts';
import { invitationService } from './invitations.ts';
import { administrationService } from './administration.ts';
import { directoryService } from './directory.ts';
import { profileService } from './profile.ts';
import { attachmentService } from './attachments.ts';
import { catalogueService } from './catalogue.ts';
import { conversationService } from './conversation.ts';
import { decisionTemplateService } from './decision-templates.ts';
import { eligibilityService } from './eligibility.ts';
import { endpointStatusService } from './endpoint-status.ts';
import { formStashService } from './form-stashes.ts';
import { instructionService } from './instruction.ts';
import { legacyDossierService } from './legacy-dossiers.ts';
import { instructionExportService } from './instruction-export.ts';
import { instructionStatisticsService } from './instruction-statistics.ts';
import { createMailer } from './emails.ts';
import { mailService } from './mail.ts';
import { mfaService } from './mfa.ts';
import { moderationService } from './moderation.ts';
import { organisationService } from './organisations.ts';
import { requestService } from './requests.ts';
import { reviewService } from './review.ts';
import { reminderService } from './reminders.ts';
import { tokenReminderService } from './token-reminders.ts';
import { stepRules } from './step-rules.ts';
import { webhookService } from './webhooks.ts';
import { attachmentFiles } from '../storage/attachment-files.ts';

/** Builds every use case once, from the database handle, the configuration and the views; routes receive this object. */
export function createServices(
  db: Db,
  config: Config,
  views: nunjucks.Environment,
  logger: Logger,
  databaseUrl: string,
) {
  const mailer = createMailer(config, views);
  const fallback = config.sireneApiUrl
    ? httpDirectoryFallback(db, config.sireneApiUrl, config.sireneApiTimeoutMs, logger)
    : undefined;
  const eligibility = eligibilityService(db, fallback);
  const organisations = organisationService(db, mailer);
  const attachments = attachmentService(db, attachmentFiles(config.uploadDir), logger, {
    scanning: config.clamdUrl !== undefined,
  });
  const rules = stepRules(db, attachments);
  const introspection = introspectionService(
    db,
    hotPathPool(databaseUrl, config.dbTimeoutMs),
    logger,
    noticeListener(databaseUrl, TOKEN_CHANGES_CHANNEL),
  );
  return {
    administration: administrationService(db),
    apiTokens: apiTokenService(db, mailer, config.sessionSecret, introspection.forget),
    authorizations: authorizationService(db, rules, attachments),
    introspection,
    invitations: invitationService(db),
    catalogue: catalogueService(db),
    conversation: conversationService(db, mailer),
    decisionTemplates: decisionTemplateService(db, config.baseUrl.origin),
    directory: directoryService(db),
    profile: profileService(db),
    eligibility,
    endpointStatus: endpointStatusService(db, { probeToken: config.endpointProbeToken }),
    formStashes: formStashService(db, config.sessionSecret),
    instruction: instructionService(db),
    legacyDossiers: legacyDossierService(db),
    instructionExport: instructionExportService(db, databaseUrl, logger),
    instructionStatistics: instructionStatisticsService(db),
    mail: mailService(db, config),
    mfa: mfaService(db, config.sessionSecret, mailer),
    organisations,
    accounts: accountService(db, mailer, organisations),
    attachments,
    moderation: moderationService(db, mailer),
    requests: requestService(db, mailer),
    reminders: reminderService(db, mailer, logger),
    tokenReminders: tokenReminderService(db, mailer),
    review: reviewService(db, mailer, rules, attachments),
    stepRules: rules,
    webhooks: webhookService(db, mailer, {
      sessionSecret: config.sessionSecret,
      allowHttp: config.env !== 'production',
      logger,
    }),
  };
}

export type Services = ReturnType<typeof createServices>;
