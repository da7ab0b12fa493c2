/**
 * Password rules (ASVS 2.1, CNIL 2022-100 with rate limiting): 12 to 128 characters counted as Unicode code points,
 * any character, no composition rule, no truncation; refused when it is (or is, once leading and trailing digits
 * and symbols are removed) a common or breached password or word, a single repeated character, or the user's own
 * name or email.
 */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

export type PasswordCheck = { ok: true } | { ok: false; message: string };

export function passwordLength(password: string): number {
  return [...password.normalize('NFC')].length;
}

function core(password: string): string {
  return password.toLowerCase().replace(/^[\d\W_]+|[\d\W_]+$/gu, '');
}

export function checkPassword(
  password: string,
  dictionary: ReadonlySet<string>,
  personal: string[] = [],
): PasswordCheck {
  const length = passwordLength(password);
  if (length === 0) return { ok: false, message: 'Saisissez un mot de passe' };
  if (length < PASSWORD_MIN) {
    return {
      ok: false,
      message: `Le mot de passe doit contenir au moins ${PASSWORD_MIN} caractères (vous en avez saisi ${length}). Une phrase de plusieurs mots, par exemple « quatre chevaux mangent du foin », est facile à retenir.`,
    };
  }
  if (length > PASSWORD_MAX) {
    return {
      ok: false,
      message: `Le mot de passe ne doit pas dépasser ${PASSWORD_MAX} caractères (vous en avez saisi ${length})`,
    };
  }
  const lower = password.toLowerCase();
  const stripped = core(password);
  if (
    dictionary.has(lower) ||
    dictionary.has(stripped) ||
    /^(.)\1+$/u.test(lower) ||
    /^(0123456789|1234567890|azertyuiop|qwertyuiop)+/.test(lower)
  ) {
    return {
      ok: false,
      message:
        'Ce mot de passe est trop courant : il figure dans les listes utilisées par les pirates. Choisissez-en un autre, par exemple une phrase de plusieurs mots.',
    };
  }
  // What is left once the user's names and email parts are removed must not be a mere suffix.
  const personalParts = personal.flatMap((p) => p.toLowerCase().split(/[@.\s_-]+/)).filter((p) => p.length >= 4);
  const remainder = personalParts.reduce((rest, part) => rest.replaceAll(part, ''), lower).replace(/[^\p{L}]/gu, '');
  if (personalParts.some((part) => lower.includes(part)) && remainder.length < 6) {
    return { ok: false, message: 'Le mot de passe ne doit pas reprendre votre nom ou votre adresse électronique' };
  }
  return { ok: true };
}
