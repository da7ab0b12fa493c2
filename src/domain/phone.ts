/**
 * French phone numbers, metropolitan and overseas, normalised to E.164 (+33…). Accepted: national numbers
 * (01 23 45 67 89, 0692 12 34 56), +33, 0033, and the international prefixes of the overseas departments and
 * collectivities. Separators (spaces, dots, dashes, parentheses) are ignored.
 */
export const PHONE_EXAMPLE = '01 23 45 67 89';

type Plan = { prefix: string; digits: number };
// Overseas numbering plans with their own country code (ITU): subscriber number length after the code.
const OVERSEAS: Plan[] = [
  { prefix: '262', digits: 9 }, // La Réunion, Mayotte
  { prefix: '590', digits: 9 }, // Guadeloupe, Saint-Martin, Saint-Barthélemy
  { prefix: '594', digits: 9 }, // Guyane
  { prefix: '596', digits: 9 }, // Martinique
  { prefix: '269', digits: 9 }, // Mayotte (ancien indicatif)
  { prefix: '508', digits: 6 }, // Saint-Pierre-et-Miquelon
  { prefix: '681', digits: 6 }, // Wallis-et-Futuna
  { prefix: '687', digits: 6 }, // Nouvelle-Calédonie
  { prefix: '689', digits: 8 }, // Polynésie française
];

export type PhoneCheck = { ok: true; e164: string } | { ok: false; message: string };

/** `whose`: whose number it is, for the messages (« du responsable du traitement »), when a form has several. */
export function checkPhone(input: string, whose?: string): PhoneCheck {
  const number = whose ? `Le numéro de téléphone ${whose}` : 'Le numéro de téléphone';
  const compact = input
    .trim()
    .replace(/[\s.\-()\u00a0\u202f]/g, '')
    .replace(/^00/, '+');
  if (compact === '')
    return {
      ok: false,
      message: `Saisissez un numéro de téléphone${whose ? ` ${whose}` : ''}, par exemple ${PHONE_EXAMPLE}`,
    };
  if (!/^\+?\d+$/.test(compact)) {
    return { ok: false, message: `${number} ne doit contenir que des chiffres, par exemple ${PHONE_EXAMPLE}` };
  }
  if (/^0[1-9]\d{8}$/.test(compact)) return { ok: true, e164: `+33${compact.slice(1)}` };
  if (/^\+33[1-9]\d{8}$/.test(compact)) return { ok: true, e164: compact };
  for (const plan of OVERSEAS) {
    if (compact.startsWith(`+${plan.prefix}`) && compact.length === 1 + plan.prefix.length + plan.digits) {
      return { ok: true, e164: compact };
    }
  }
  return {
    ok: false,
    message: `${number} doit comporter 10 chiffres, par exemple ${PHONE_EXAMPLE}, ou commencer par un indicatif (+33, +262, +687…)`,
  };
}

/** "+33123456789" → "01 23 45 67 89"; other numbers keep their international form. */
export function formatPhone(e164: string): string {
  if (/^\+33\d{9}$/.test(e164)) return `0${e164.slice(3)}`.replace(/(\d{2})(?=\d)/g, '$1 ');
  return e164;
}
