/** SIRET rules: 14 digits, Luhn check digit, and La Poste's establishments, whose digit sum is a multiple of 5. */

export const SIRET_EXAMPLE = '13002526500013';
const LA_POSTE_SIREN = '356000000';

export type SiretCheck =
  { ok: true; siret: string } | { ok: false; siret: string; problem: 'empty' | 'characters' | 'length' | 'checksum' };

/** Removes the spaces, dots, dashes and non-breaking spaces people paste with a SIRET. */
export function normaliseSiret(input: string): string {
  return input.replace(/[\s.\-\u00a0\u202f]/g, '');
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

function laPosteValid(siret: string): boolean {
  const sum = [...siret].reduce((total, digit) => total + Number(digit), 0);
  return sum % 5 === 0;
}

export function checkSiret(input: string): SiretCheck {
  const siret = normaliseSiret(input);
  if (siret === '') return { ok: false, siret, problem: 'empty' };
  if (!/^\d+$/.test(siret)) return { ok: false, siret, problem: 'characters' };
  if (siret.length !== 14) return { ok: false, siret, problem: 'length' };
  const valid = siret.startsWith(LA_POSTE_SIREN) ? laPosteValid(siret) || luhnValid(siret) : luhnValid(siret);
  return valid ? { ok: true, siret } : { ok: false, siret, problem: 'checksum' };
}

const MESSAGES: Record<Exclude<SiretCheck, { ok: true }>['problem'], (siret: string) => string> = {
  empty: () => `Saisissez le numéro SIRET de votre organisation, par exemple ${SIRET_EXAMPLE}`,
  characters: () => `Le SIRET ne doit contenir que des chiffres, par exemple ${SIRET_EXAMPLE}`,
  length: (siret) =>
    `Le SIRET doit contenir 14 chiffres (vous en avez saisi ${siret.length}), par exemple ${SIRET_EXAMPLE}`,
  checksum: () =>
    `Ce numéro SIRET n’existe pas : un chiffre est probablement erroné. Vérifiez-le sur votre fiche Insee ou sur annuaire-entreprises.data.gouv.fr, par exemple ${SIRET_EXAMPLE}`,
};

export function siretMessage(check: Exclude<SiretCheck, { ok: true }>): string {
  return MESSAGES[check.problem](check.siret);
}
