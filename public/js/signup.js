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
  document.addEventListener('htmx:sendError', function () {
    failed('La vérification automatique n’a pas pu être faite. Vous pouvez continuer : le formulaire sera vérifié à l’envoi.');
  });
  document.addEventListener('htmx:responseError', function () {
    failed('La vérification automatique a échoué. Vous pouvez continuer : le formulaire sera vérifié à l’envoi.');
  });
})();
