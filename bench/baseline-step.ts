/**
 * The baseline of the autosave bench, run as its own process (`node --import tsx bench/baseline-step.ts`): the bare
 * Express + Nunjucks app of bench/baseline.ts (GET /, the home page) plus GET /demandes/1/demarche, which renders the
 * step template with a fixed context (a signed-in applicant's empty draft): no session, no database, no middleware.
 * Its own process, so that the load generator of the bench never shares its event loop. Prints its URL, then runs
 * until SIGTERM.
 */
import type { AddressInfo } from 'node:net';
import { createBaselineApp } from './baseline.ts';
import { CONTACT_PARTS, CONTACT_ROLES } from '../src/forms/steps/contacts.ts';
import { STEPS } from '../src/forms/steps/index.ts';

const step = STEPS[0]!;

/** What the real route and middleware give the step template for a new draft (see renderStep in src/routes/demandes/etapes.ts). */
const STEP_LOCALS = {
  cspNonce: 'bench-fixed-nonce',
  currentPath: `/demandes/1/${step.slug}`,
  csrfToken: () => 'bench-fixed-csrf-token-of-43-characters-xxxx',
  user: { id: '1', givenName: 'Agent', familyName: 'Banc', email: 'agent.banc@clamart.fr', roles: [] },
  sessionExpiresAt: new Date(Date.now() + 30 * 60 * 1000),
  request: {
    id: '1',
    organisationId: '1',
    organisationName: 'COMMUNE DE CLAMART',
    useCaseId: 'marches_publics',
    useCaseLabel: 'Marchés publics',
    status: 'draft',
    version: 1,
    answers: {},
    title: null,
    updatedAt: new Date(),
    updatedByName: null,
  },
  step,
  steps: STEPS,
  stepNumber: 1,
  values: {},
  fieldErrors: {},
  contactRoles: CONTACT_ROLES,
  contactParts: CONTACT_PARTS,
  readOnly: false,
};

const app = createBaselineApp();
app.get('/demandes/1/demarche', (_req, res) => {
  res.render('demandes/etape', STEP_LOCALS);
});

const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
