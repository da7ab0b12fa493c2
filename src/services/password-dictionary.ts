import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
type Dictionary = { dictionary: Record<string, string[]> };

let cached: ReadonlySet<string> | undefined;

/**
 * Offline list of common and breached passwords and words, French and English (zxcvbn-ts dictionaries): ~190,000
 * entries, built once on first use.
 */
export function commonPasswords(): ReadonlySet<string> {
  if (cached) return cached;
  const common = (require('@zxcvbn-ts/language-common') as Dictionary).dictionary;
  const fr = (require('@zxcvbn-ts/language-fr') as Dictionary).dictionary;
  const en = (require('@zxcvbn-ts/language-en') as Dictionary).dictionary;
  const lists = [
    common['passwords-common'],
    fr['commonWords-fr'],
    fr['firstnames-fr'],
    en['commonWords-en'],
    en['firstnames-en'],
  ];
  const words = new Set<string>();
  for (const list of lists) for (const word of list ?? []) if (word.length >= 4) words.add(word.toLowerCase());
  cached = words;
  return words;
}
