/* Progressive enhancement only: every page works without this file. No inline handlers, no eval (strict CSP). */
(function () {
  'use strict';
  var byId = function (id) { return document.getElementById(id); };
  /** An htmx request that takes longer than this is abandoned (htmx:timeout); htmx itself never gives up. */
  var REQUEST_TIMEOUT_MS = 10000;
  var AUTOSAVE_FAILED = 'Échec de l’enregistrement automatique : votre saisie est toujours là. Réessayez, ou utilisez le bouton « Enregistrer le brouillon ».';

  // Put focus on the error summary so that screen reader users hear the errors first.
  document.addEventListener('DOMContentLoaded', function () {
    var summary = byId('resume-erreurs');
    if (summary && document.activeElement !== summary) summary.focus();
    var retry = byId('brouillon-reessayer');
    if (retry) retry.addEventListener('click', retryAutosave);
  });

  document.addEventListener('htmx:configRequest', function (event) {
    if (event.detail && !event.detail.timeout) event.detail.timeout = REQUEST_TIMEOUT_MS;
  });

  /*
   * Autosave failures (500, timeout, offline): the alert box of the step page (#brouillon-echec, hidden until then)
   * says so and offers « Réessayer »; nothing typed is touched. htmx never retries by itself, and « Réessayer » sends
   * one request at a time: while one is in flight, it is marked busy and ignored.
   */
  var lastField = null;
  var inFlight = false;
  document.addEventListener('input', remember);
  document.addEventListener('change', remember);
  function remember(event) {
    var field = event.target;
    if (field && field.form && field.form.hasAttribute('hx-post') && field.id) lastField = field;
  }

  function isAutosave(event) {
    var elt = event.detail && event.detail.elt;
    return !!(elt && elt.tagName === 'FORM' && byId('brouillon-echec') && elt.contains(byId('brouillon-echec')));
  }

  function setBusy(busy) {
    inFlight = busy;
    var retry = byId('brouillon-reessayer');
    if (!retry) return;
    // aria-disabled rather than disabled: a disabled button would lose the focus of whoever pressed it.
    if (busy) retry.setAttribute('aria-disabled', 'true'); else retry.removeAttribute('aria-disabled');
  }

  function retryAutosave() {
    var form = byId('brouillon-echec') && byId('brouillon-echec').closest('form');
    if (!form || inFlight || !window.htmx) return;
    setBusy(true);
    var draft = byId('brouillon-etat');
    if (draft) draft.textContent = 'Nouvel essai d’enregistrement en cours…';
    window.htmx.trigger(form, 'change');
  }

  function showFailure() {
    var box = byId('brouillon-echec');
    var message = byId('brouillon-echec-message');
    var draft = byId('brouillon-etat');
    if (draft) draft.textContent = '';
    var region = byId('statut-formulaire');
    if (region) region.textContent = '';
    box.hidden = false;
    // Emptied then filled: a second failure in a row is announced again by the alert region.
    message.textContent = '';
    window.setTimeout(function () { if (!box.hidden) message.textContent = AUTOSAVE_FAILED; }, 50);
  }

  function hideFailure() {
    var box = byId('brouillon-echec');
    if (!box || box.hidden) return;
    var hadFocus = box.contains(document.activeElement);
    box.hidden = true;
    byId('brouillon-echec-message').textContent = '';
    if (!hadFocus) return;
    // The focused « Réessayer » button disappears: back to the field being edited, not to the top of the page.
    var form = box.closest('form');
    var target = lastField && document.body.contains(lastField) ? lastField : form && form.querySelector('input:not([type="hidden"]), select, textarea');
    if (target) target.focus();
  }

  document.addEventListener('htmx:beforeRequest', function (event) {
    if (isAutosave(event)) setBusy(true);
  });
  document.addEventListener('htmx:afterRequest', function (event) {
    if (!isAutosave(event)) return;
    setBusy(false);
    // 200, and the 409/422 answers that the server swapped into the page: the server was reached.
    if (event.detail.successful) hideFailure();
  });

  // Other htmx forms (eligibility, organisation search): say so in the live region; the form still works with its buttons.
  function failed(event, message) {
    if (isAutosave(event)) return showFailure();
    var region = byId('statut-formulaire');
    if (region) region.textContent = message;
  }
  // Inline validation: the server swaps a field's message group; the field itself follows (state and colours).
  document.addEventListener('htmx:oobAfterSwap', function (event) {
    var target = event.detail && event.detail.target;
    if (!target || !target.id || target.id.slice(-9) !== '-messages') return;
    var field = byId(target.id.slice(0, -9));
    if (!field) return;
    var invalid = !!target.querySelector('.fr-message--error');
    if (field.tagName === 'FIELDSET') {
      field.classList.toggle('fr-fieldset--error', invalid);
      return;
    }
    var kind = field.tagName === 'SELECT' ? 'select' : 'input';
    field.classList.toggle('fr-' + kind + '--error', invalid);
    var group = byId(field.id + '-groupe');
    if (group) group.classList.toggle('fr-' + kind + '-group--error', invalid);
    if (invalid) field.setAttribute('aria-invalid', 'true'); else field.removeAttribute('aria-invalid');
  });

  document.addEventListener('htmx:sendError', function (event) {
    failed(event, 'La vérification automatique n’a pas pu être faite. Vous pouvez continuer : le formulaire sera vérifié à l’envoi.');
  });
  document.addEventListener('htmx:timeout', function (event) {
    failed(event, 'La vérification automatique n’a pas pu être faite. Vous pouvez continuer : le formulaire sera vérifié à l’envoi.');
  });
  document.addEventListener('htmx:responseError', function (event) {
    failed(event, 'La vérification automatique a échoué. Vous pouvez continuer : le formulaire sera vérifié à l’envoi.');
  });
})();
