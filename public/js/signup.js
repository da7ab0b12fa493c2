/* Progressive enhancement only: every page works without this file. No inline handlers, no eval (strict CSP). */
(function () {
  'use strict';
  var status = function () { return document.getElementById('statut-formulaire'); };

  // Put focus on the error summary so that screen reader users hear the errors first.
  document.addEventListener('DOMContentLoaded', function () {
    var summary = document.getElementById('resume-erreurs');
    if (summary && document.activeElement !== summary) summary.focus();
  });

  // When htmx cannot reach the server, say so in the live region; the form still works with its submit button.
  document.addEventListener('htmx:sendError', function () {
    var region = status();
    if (region) region.textContent = 'La vérification automatique n’a pas pu être faite. Vous pouvez continuer : le formulaire sera vérifié à l’envoi.';
  });
  document.addEventListener('htmx:responseError', function () {
    var region = status();
    if (region) region.textContent = 'La vérification automatique a échoué. Vous pouvez continuer : le formulaire sera vérifié à l’envoi.';
  });
})();
