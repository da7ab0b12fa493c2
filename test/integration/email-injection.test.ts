/**
 * Email content injection from the official address: what people typed never adds lines of its own to a message,
 * never becomes a link (only the service's own addresses are links), and never carries a subject past its first
 * line. The forms refuse such input from now on; the emails do not trust the data anyway (older rows, other paths).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { renderEmail } from '../../src/mail/render.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.stop());

const BASE = 'https://signup.api.gouv.fr';
const PHISHING = 'Marie,\n\nVotre compte va être supprimé. Connectez-vous ici :\nhttps://evil.example/connexion';

describe('emails and what people typed', () => {
  it('a first name with lines and a link stays one line of text, not a link', () => {
    const mail = renderEmail(app.views, 'activation', 'victime@clamart.fr', {
      baseUrl: BASE,
      user: { givenName: PHISHING },
      link: '/activation?jeton=abc',
    });
    assert.ok(
      !mail.text.split('\n').some((line) => line.trim() === 'https://evil.example/connexion'),
      'no line of its own for the foreign address',
    );
    assert.match(
      mail.text,
      /^Bonjour Marie, Votre compte va être supprimé\. Connectez-vous ici : https:\/\/evil\.example\/connexion,$/m,
    );
    assert.doesNotMatch(mail.html ?? '', /href="https:\/\/evil\.example/, 'a foreign address is never a link');
    assert.match(
      mail.html ?? '',
      new RegExp(`href="${BASE.replace(/[.]/g, '\\.')}/activation\\?jeton=abc"`),
      'the service’s own link still is',
    );
  });

  it('a request title with a newline does not spill out of the subject', () => {
    const mail = renderEmail(app.views, 'nouvelle-demande', 'instruction@signup.localhost', {
      baseUrl: BASE,
      request: {
        id: '12',
        title: 'Aides\nObjet : faux sujet\nhttps://evil.example',
        organisationName: 'COMMUNE DE CLAMART',
        useCaseLabel: 'Marchés publics',
      },
      applicant: { givenName: 'Marie', familyName: 'Durand', email: 'marie@clamart.fr' },
    });
    assert.doesNotMatch(mail.subject, /\n/);
    assert.match(mail.subject, /Aides Objet : faux sujet https:\/\/evil\.example/);
    assert.ok(!mail.text.split('\n').some((line) => /^Objet/.test(line) || line.trim() === 'https://evil.example'));
    assert.doesNotMatch(mail.html ?? '', /href="https:\/\/evil\.example/);
  });
});
