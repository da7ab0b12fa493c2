/* Progressive enhancement only: every page works without this file. No inline handlers, no eval (strict CSP). */
(function () {
  'use strict';
  var status = function () { return document.getElementById('statut-formulaire'); };

  // Put focus on the error summary so that screen reader users hear the errors first.
  document.addEventListener('DOMContentLoaded', function () {
    var summary = document.getElementById('resume-erreurs');
    if (summary && document.activeElement !== summary) summary.focus();
  });

  // When htmx cannot reach the server, say so; the form still works with its buttons and nothing typed is lost.
  function failed(message) {
    var region = status();
    var draft = document.getElementById('brouillon-etat');
    if (draft) {
      draft.textContent = 'Enregistrement automatique impossible pour le moment. Utilisez « Enregistrer le brouillon » : votre saisie est toujours là.';
      if (region) region.textContent = 'Erreur : ' + draft.textContent;
    } else if (region) region.textContent = message;
  }
  // Inline validation: the server swaps a field's message group; the field itself follows (state and colours).
  document.addEventListener('htmx:oobAfterSwap', function (event) {
    var target = event.detail && event.detail.target;
    if (!target || !target.id || target.id.slice(-9) !== '-messages') return;
    var field = document.getElementById(target.id.slice(0, -9));
    if (!field) return;
    var invalid = !!target.querySelector('.fr-message--error');
    if (field.tagName === 'FIELDSET') {
      field.classList.toggle('fr-fieldset--error', invalid);
      return;
    }
    var kind = field.tagName === 'SELECT' ? 'select' : 'input';
    field.classList.toggle('fr-' + kind + '--error', invalid);
    var group = document.getElementById(field.id + '-groupe');
    if (group) group.classList.toggle('fr-' + kind + '-group--error', invalid);
    if (invalid) field.setAttribute('aria-invalid', 'true'); else field.removeAttribute('aria-invalid');
  });

  document.addEventListener('htmx:sendError', function () {
    failed('La vérification automatique n’a pas pu être faite. Vous pouvez continuer : le formulaire sera vérifié à l’envoi.');
  });
  document.addEventListener('htmx:responseError', function () {
    failed('La vérification automatique a échoué. Vous pouvez continuer : le formulaire sera vérifié à l’envoi.');
  });
})();
