import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as cheerio from 'cheerio';
import { loadConfig } from '../../src/config.ts';
import { createViewEnvironment } from '../../src/middleware/views.ts';

const assets = {
  dsfrCss: '/a.css',
  appCss: '/b.css',
  printCss: '/p.css',
  htmxJs: '/h.js',
  appJs: '/s.js',
  favicon: '/f.svg',
};
const env = createViewEnvironment(loadConfig({ NODE_ENV: 'test' }), assets);

function render(macroFile: string, macro: string, params: unknown) {
  const html = env.renderString(`{% from "components/${macroFile}.njk" import ${macro} %}{{ ${macro}(p) }}`, {
    p: params,
  });
  return cheerio.load(html);
}

describe('form macros', () => {
  it('input: label, hint, autocomplete, describedby, required marker and value', () => {
    const $ = render('input', 'input', {
      id: 'nom',
      label: 'Nom',
      hint: 'Votre nom',
      autocomplete: 'family-name',
      value: 'D’Artagnan <b>',
    });
    const input = $('#nom');
    assert.equal($('label[for="nom"]').text().replace(/\s+/g, ' ').trim(), 'Nom Votre nom');
    assert.equal(input.attr('autocomplete'), 'family-name');
    assert.equal(input.attr('aria-describedby'), 'nom-messages');
    assert.equal(input.attr('aria-required'), 'true');
    assert.equal(input.attr('aria-invalid'), undefined);
    assert.equal(input.attr('value'), 'D’Artagnan <b>');
    assert.equal($('#nom-messages').attr('aria-live'), 'polite');
  });

  it('input: error state flags the field and links the message', () => {
    const $ = render('input', 'input', {
      id: 'courriel',
      label: 'Courriel',
      type: 'email',
      error: 'Adresse invalide',
      optional: true,
    });
    assert.ok($('#courriel-groupe').hasClass('fr-input-group--error'));
    assert.ok($('#courriel').hasClass('fr-input--error'));
    assert.equal($('#courriel').attr('aria-invalid'), 'true');
    assert.equal($('#courriel').attr('aria-required'), undefined, 'facultatif');
    assert.match($('label').text(), /\(facultatif\)/);
    assert.equal($('#courriel-messages #courriel-erreur').text(), 'Adresse invalide');
  });

  it('textarea and select keep values and errors', () => {
    const t = render('textarea', 'textarea', {
      id: 'd',
      label: 'Description',
      value: '</textarea><script>x</script>',
      error: 'Trop long',
    });
    assert.equal(t('textarea').text(), '</textarea><script>x</script>');
    assert.equal(t('script').length, 0);
    assert.equal(t('textarea').attr('aria-invalid'), 'true');
    const s = render('select', 'select', {
      id: 'f',
      label: 'Fondement',
      items: [
        { value: 'loi', text: 'Loi' },
        { value: 'decret', text: 'Décret' },
      ],
      value: 'decret',
    });
    assert.equal(s('option[selected]').attr('value'), 'decret');
    assert.equal(s('select').attr('aria-describedby'), 'f-messages');
  });

  it('radios and checkboxes: a fieldset with a legend, checked items, item hints', () => {
    const r = render('choices', 'radios', {
      id: 'v',
      legend: 'Volume',
      items: [
        { value: 'a', text: 'A' },
        { value: 'b', text: 'B', hint: 'Indice' },
      ],
      value: 'b',
      error: 'Choisissez',
    });
    assert.equal(r('fieldset legend').text().trim(), 'Volume');
    assert.equal(r('fieldset').attr('aria-labelledby'), 'v-legende v-messages');
    assert.equal(r('input:checked').attr('value'), 'b');
    assert.equal(r('#v-2').attr('aria-describedby'), 'v-2-aide');
    assert.ok(r('fieldset').hasClass('fr-fieldset--error'));
    const c = render('choices', 'checkboxes', {
      id: 'd',
      legend: 'Données',
      items: [
        { value: 'a', text: 'A' },
        { value: 'b', text: 'B' },
      ],
      values: ['a', 'b'],
    });
    assert.equal(c('input[type="checkbox"]:checked').length, 2);
    assert.equal(c('input[name="d"]').length, 2);
  });

  it('error summary links every error to its field', () => {
    const $ = render('error-summary', 'errorSummary', [
      { field: 'siret', message: 'SIRET invalide' },
      { field: 'nom', message: 'Nom manquant' },
    ]);
    assert.equal($('#resume-erreurs').attr('role'), 'alert');
    assert.equal($('#resume-erreurs h2').text(), 'Le formulaire contient 2 erreurs');
    assert.deepEqual(
      $('a')
        .toArray()
        .map((a) => $(a).attr('href')),
      ['#siret', '#nom'],
    );
    assert.equal(render('error-summary', 'errorSummary', []).html().includes('resume-erreurs'), false);
  });

  it('stepper, summary list and table carry their accessible structure', () => {
    const st = render('stepper', 'stepper', { current: 2, steps: ['Démarche', 'Données', 'Cadre'] });
    assert.match(st('.fr-stepper__state').text(), /Étape 2 sur 3/);
    assert.match(st('.fr-stepper__details').text(), /Cadre/);
    const sl = render('summary-list', 'summaryList', { rows: [{ key: 'Intitulé', value: 'Aides', href: '/x' }] });
    assert.equal(sl('dt').text(), 'Intitulé');
    assert.equal(sl('a').text(), 'Modifier : Intitulé');
    const tb = render('table', 'table', { caption: 'Demandes', head: ['Nom', 'État'], rows: [['A', 'Brouillon']] });
    assert.equal(tb('caption').text(), 'Demandes');
    assert.equal(tb('thead th[scope="col"]').length, 2);
    assert.equal(tb('tbody th[scope="row"]').text(), 'A');
  });
});
