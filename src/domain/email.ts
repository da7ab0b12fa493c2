/** Email addresses as identifiers: normalised for comparison, split to find the organisation's domain. */

// Free mail providers: their domain says nothing about the organisation, so it never proves membership.
const FREE_MAIL_DOMAINS = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.fr',
  'yahoo.com',
  'hotmail.fr',
  'hotmail.com',
  'outlook.fr',
  'outlook.com',
  'live.fr',
  'live.com',
  'msn.com',
  'orange.fr',
  'wanadoo.fr',
  'free.fr',
  'sfr.fr',
  'neuf.fr',
  'laposte.net',
  'bbox.fr',
  'numericable.fr',
  'aol.com',
  'aol.fr',
  'icloud.com',
  'me.com',
  'gmx.fr',
  'gmx.com',
  'protonmail.com',
  'proton.me',
  'yandex.com',
  'mail.com',
  'club-internet.fr',
  'aliceadsl.fr',
  'tutanota.com',
]);

export function normaliseEmail(input: string): string {
  return input.normalize('NFC').trim().toLowerCase();
}

export function emailDomain(email: string): string {
  return normaliseEmail(email).split('@').pop() ?? '';
}

export function isFreeMailDomain(domain: string): boolean {
  return FREE_MAIL_DOMAINS.has(domain.toLowerCase());
}
