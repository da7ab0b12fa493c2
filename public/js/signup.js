/* Progressive enhancement only: every page works without this file. No inline handlers, no eval (strict CSP). */
(function () {
  'use strict';
  var byId = function (id) {
    return document.getElementById(id);
  };
  /** An htmx request that takes longer than this is abandoned (htmx:timeout); htmx itself never gives up. */
  var REQUEST_TIMEOUT_MS = 10000;
  var AUTOSAVE_FAILED =
    'Échec de l’enregistrement automatique : votre saisie est toujours là. Réessayez, ou utilisez le bouton « Enregistrer le brouillon ».';

  /*
   * An error summary link brings its field into view with the field's label or legend above it (the browser alone
   * would put the field at the very top, its label hidden), then gives it focus.
   */
  document.addEventListener('click', function (event) {
    var link = event.target && event.target.closest ? event.target.closest('#resume-erreurs a[href^="#"]') : null;
    var target = link && byId(link.getAttribute('href').slice(1));
    if (!target) return;
    event.preventDefault();
    var label =
      target.tagName === 'FIELDSET'
        ? target.querySelector('legend')
        : document.querySelector('label[for="' + target.id + '"]');
    (label || target).scrollIntoView({ block: 'start' });
    target.focus({ preventScroll: true });
  });

  // Put focus on the error summary so that screen reader users hear the errors first.
  document.addEventListener('DOMContentLoaded', function () {
    var summary = byId('resume-erreurs');
    if (summary && document.activeElement !== summary) summary.focus();
    var retry = byId('brouillon-reessayer');
    if (retry) retry.addEventListener('click', retryAutosave);
  });

  /*
   * The error summary of the last submission follows live validation: once a field is corrected (its message group
   * no longer holds an error), its entry goes; when none is left, the summary goes and the title loses « Erreur : ».
   */
  function fieldStillWrong(id) {
    var messages = byId(id + '-messages');
    // A target without a message group (a section of the summary page) is never checked live: its entry stays.
    return messages ? !!messages.querySelector('.fr-message--error') : true;
  }
  function refreshErrorSummary() {
    var summary = byId('resume-erreurs');
    if (!summary) return;
    var entries = summary.querySelectorAll('li');
    for (var i = 0; i < entries.length; i += 1) {
      var link = entries[i].querySelector('a[href^="#"]');
      // An entry may stand for several fields (a whole contact): it stays while one of them is still wrong.
      var fields = entries[i].getAttribute('data-champs')
        ? entries[i].getAttribute('data-champs').split(' ')
        : link
          ? [link.getAttribute('href').slice(1)]
          : [];
      if (fields.length && !fields.some(fieldStillWrong)) entries[i].parentNode.removeChild(entries[i]);
    }
    var left = summary.querySelectorAll('li').length;
    var heading = summary.querySelector('.fr-alert__title');
    if (left === 0) {
      summary.parentNode.removeChild(summary);
      var prefix = summary.getAttribute('data-prefixe-titre') || '';
      if (prefix && document.title.indexOf(prefix) === 0) document.title = document.title.slice(prefix.length);
    } else if (heading) {
      heading.textContent =
        left === 1
          ? summary.getAttribute('data-titre-une')
          : summary.getAttribute('data-titre-plusieurs').replace('{n}', String(left));
    }
  }
  document.addEventListener('htmx:afterSettle', refreshErrorSummary);

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
    if (field && field.form && field.form.hasAttribute('data-hx-post') && field.id) lastField = field;
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
    if (busy) retry.setAttribute('aria-disabled', 'true');
    else retry.removeAttribute('aria-disabled');
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
    window.setTimeout(function () {
      if (!box.hidden) message.textContent = AUTOSAVE_FAILED;
    }, 50);
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
    var target =
      lastField && document.body.contains(lastField)
        ? lastField
        : form && form.querySelector('input:not([type="hidden"]), select, textarea');
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
    savesAnswered(event);
  });

  /*
   * Live announcements. A save is announced once per quiet period: when the person has not typed for a few seconds
   * after it, and only if it says something new (« Brouillon enregistré à 14 h 32 » once, not after every autosave of
   * the same minute); the visible « Brouillon enregistré à … » is always up to date. After a failure or a refusal, the
   * next save is announced again. An error is announced once, by its field's message group: the same message sent
   * again is not swapped in again.
   */
  var QUIET_MS = 4000;
  var lastAnnounced = '';
  var announceTimer = 0;
  function scheduleAnnouncement() {
    window.clearTimeout(announceTimer);
    announceTimer = window.setTimeout(announceSave, QUIET_MS);
  }
  function announceSave() {
    announceTimer = 0;
    var state = byId('brouillon-etat');
    var region = byId('statut-formulaire');
    if (!state || !region || state.textContent === lastAnnounced) return;
    lastAnnounced = state.textContent;
    region.textContent = lastAnnounced;
  }
  function savesAnswered(event) {
    if (event.detail.xhr && event.detail.xhr.status === 200) scheduleAnnouncement();
    else lastAnnounced = '';
  }
  // Typing again before the announcement: it waits for the next pause.
  document.addEventListener('input', function () {
    if (announceTimer) scheduleAnnouncement();
  });
  document.addEventListener('htmx:oobBeforeSwap', function (event) {
    var detail = event.detail;
    var target = detail && detail.target;
    if (!target || !target.id || target.id.slice(-9) !== '-messages' || !detail.fragment) return;
    var incoming = document.createElement('div');
    incoming.appendChild(detail.fragment.cloneNode(true));
    if (incoming.textContent.trim() === target.textContent.trim()) detail.shouldSwap = false;
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
    if (invalid) field.setAttribute('aria-invalid', 'true');
    else field.removeAttribute('aria-invalid');
  });

  document.addEventListener('htmx:sendError', function (event) {
    failed(
      event,
      'La vérification automatique n’a pas pu être faite. Vous pouvez continuer : le formulaire sera vérifié à l’envoi.'
    );
  });
  document.addEventListener('htmx:timeout', function (event) {
    failed(
      event,
      'La vérification automatique n’a pas pu être faite. Vous pouvez continuer : le formulaire sera vérifié à l’envoi.'
    );
  });
  document.addEventListener('htmx:responseError', function (event) {
    failed(
      event,
      'La vérification automatique a échoué. Vous pouvez continuer : le formulaire sera vérifié à l’envoi.'
    );
  });

  /*
   * Session expiry (WCAG 2.2.1). The session-timeout partial (#session-delai) gives the idle duration of the
   * session (data-session-idle-ms), counted from this page's arrival rather than from the server's clock. Two minutes
   * before the end, the modal alertdialog #session-alerte opens with focus on « Rester connecté » (POST
   * /session/prolonger, answered 204); Escape does the same. With no action, the session is
   * closed and the page leaves for « Vous êtes déconnecté ». Every answered htmx request (autosave) renews the
   * session: its X-Session-Expire header restarts the count. Tabs share the end through localStorage, so that
   * activity in one tab keeps the others from signing out. The countdown text is not a live region: the dialog is
   * announced once, when it opens.
   */
  var WARN_BEFORE_MS = 2 * 60 * 1000;
  var DEADLINE_KEY = 'signup-fin-de-session';
  var clock = new Intl.DateTimeFormat('fr-FR', { hour: 'numeric', minute: '2-digit', timeZone: 'Europe/Paris' });
  var expiry = { idleMs: 0, deadline: 0, timer: 0, returnFocus: null, ending: false };

  function startSessionWatch() {
    var holder = byId('session-delai');
    var dialog = byId('session-alerte');
    if (!holder || !dialog || typeof dialog.showModal !== 'function') return;
    expiry.idleMs = Number(holder.getAttribute('data-session-idle-ms'));
    if (!(expiry.idleMs > 0)) return;
    byId('session-rester').addEventListener('click', stayConnected);
    // Escape means « Rester connecté »: closing the warning without extending would only bring it back a second later.
    dialog.addEventListener('cancel', function (event) {
      event.preventDefault();
      stayConnected();
    });
    dialog.addEventListener('close', warningClosed);
    window.addEventListener('storage', function (event) {
      if (event.key === DEADLINE_KEY && Number(event.newValue) > expiry.deadline)
        setDeadline(Number(event.newValue), false);
    });
    document.addEventListener('visibilitychange', checkSession);
    sessionRenewed();
  }

  function sessionRenewed() {
    if (expiry.idleMs > 0 && !expiry.ending) setDeadline(Date.now() + expiry.idleMs, true);
  }

  function setDeadline(deadline, share) {
    expiry.deadline = deadline;
    if (share) {
      try {
        window.localStorage.setItem(DEADLINE_KEY, String(deadline));
      } catch (ignored) {
        /* storage refused: this tab alone */
      }
    }
    var time = byId('session-heure');
    if (time) time.textContent = clock.format(new Date(deadline)).replace(':', ' h ');
    var dialog = byId('session-alerte');
    if (dialog.open && deadline - Date.now() > WARN_BEFORE_MS) dialog.close();
    checkSession();
  }

  function checkSession() {
    window.clearTimeout(expiry.timer);
    if (expiry.ending || !expiry.deadline) return;
    var left = expiry.deadline - Date.now();
    if (left <= 0) return endSession();
    if (left <= WARN_BEFORE_MS) openWarning(left);
    expiry.timer = window.setTimeout(
      checkSession,
      left > WARN_BEFORE_MS ? left - WARN_BEFORE_MS : Math.min(left, 1000)
    );
  }

  function openWarning(left) {
    var seconds = Math.ceil(left / 1000);
    var rest = seconds % 60;
    byId('session-decompte').textContent =
      'Temps restant : ' + Math.floor(seconds / 60) + ' min ' + (rest < 10 ? '0' : '') + rest + ' s';
    var dialog = byId('session-alerte');
    if (dialog.open) return;
    byId('session-alerte-erreur').textContent = '';
    expiry.returnFocus = document.activeElement;
    dialog.showModal();
    byId('session-rester').focus();
  }

  /** « Rester connecté » (or Escape) once the session is renewed, or a renewal seen elsewhere: focus goes back to where it was. */
  function warningClosed() {
    var back = expiry.returnFocus;
    expiry.returnFocus = null;
    if (back && back !== document.body && document.body.contains(back) && typeof back.focus === 'function')
      back.focus();
  }

  function csrfBody() {
    var holder = byId('session-delai');
    var form = holder && holder.closest('form');
    var token = form ? form.querySelector('input[name="_csrf"]') : document.querySelector('input[name="_csrf"]');
    var body = new URLSearchParams();
    body.set('_csrf', token ? token.value : '');
    return body;
  }

  function stayConnected() {
    var button = byId('session-rester');
    if (button.getAttribute('aria-disabled') === 'true') return;
    button.setAttribute('aria-disabled', 'true');
    var failed = function () {
      button.removeAttribute('aria-disabled');
      byId('session-alerte-erreur').textContent =
        'La session n’a pas pu être prolongée : vérifiez votre connexion puis réessayez.';
    };
    window
      .fetch('/session/prolonger', {
        method: 'POST',
        body: csrfBody(),
        credentials: 'same-origin',
        redirect: 'manual',
        headers: { Accept: 'application/json' },
      })
      .then(function (response) {
        button.removeAttribute('aria-disabled');
        if (response.status === 204) return sessionRenewed();
        // Sent to the sign-in page, or refused for want of a session: it has already ended on the server.
        if (response.type === 'opaqueredirect' || response.status === 403) return endSession();
        failed();
      }, failed);
  }

  /** The end: the session is closed on the server too (if still open), so that the next page tells the truth. */
  function endSession() {
    if (expiry.ending) return;
    expiry.ending = true;
    window.clearTimeout(expiry.timer);
    // Unsaved input (the last autosave failed): sent the classic way; the server keeps it for after sign-in.
    var box = byId('brouillon-echec');
    var form = box && !box.hidden ? box.closest('form') : null;
    var save = form && form.querySelector('button[value="enregistrer"]');
    if (save) {
      if (form.requestSubmit) form.requestSubmit(save);
      else save.click();
      return;
    }
    var leave = function () {
      window.location.assign('/connexion/deconnecte');
    };
    window
      .fetch('/deconnexion', { method: 'POST', body: csrfBody(), credentials: 'same-origin', redirect: 'manual' })
      .then(leave, leave);
  }

  /*
   * While the warning is open the page behind is inert: the only htmx request that can leave is the autosave set off
   * by focus leaving a field for the dialog (a change event), with nothing new to save since the idle time began. Not
   * sent, so that it does not renew the session and shut the warning as soon as it opened; « Rester connecté » does.
   */
  document.addEventListener('htmx:confirm', function (event) {
    var dialog = byId('session-alerte');
    if (dialog && dialog.open) event.preventDefault();
  });
  document.addEventListener('DOMContentLoaded', startSessionWatch);
  document.addEventListener('htmx:afterRequest', function (event) {
    var xhr = event.detail && event.detail.xhr;
    if (xhr && xhr.status && xhr.getResponseHeader('X-Session-Expire')) sessionRenewed();
  });

  /*
   * « Copier le jeton »: a button the page leaves hidden (without JS, or without the clipboard API, the token is
   * selected by hand in its field); the result is said in the live region the page names.
   */
  document.addEventListener('DOMContentLoaded', function () {
    var buttons = document.querySelectorAll('[data-copier]');
    if (!navigator.clipboard || !navigator.clipboard.writeText) return;
    Array.prototype.forEach.call(buttons, function (button) {
      var field = byId(button.getAttribute('data-copier'));
      var status = byId(button.getAttribute('data-statut'));
      if (!field) return;
      button.hidden = false;
      button.addEventListener('click', function () {
        navigator.clipboard.writeText(field.value).then(
          function () {
            if (status) status.textContent = 'Jeton copié dans le presse-papiers.';
          },
          function () {
            field.select();
            if (status)
              status.textContent = 'La copie a échoué\u00a0: le jeton est sélectionné, copiez-le avec Ctrl+C.';
          }
        );
      });
    });
  });
})();
