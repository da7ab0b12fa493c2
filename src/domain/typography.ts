/**
 * French typography for text shown to people: a no-break space (U+00A0) before « : », a narrow no-break space
 * (U+202F) before « ; », « ? », « ! » and inside « », and the typographic apostrophe (’). Applied to reference data
 * as it is loaded (the catalogue is written with straight apostrophes and ordinary spaces); templates and messages
 * are written that way. `typographyProblems` is what the page checks look for.
 */
const NBSP = '\u00a0';
const NNBSP = '\u202f';

export function frenchTypography(text: string): string {
  return text
    .replace(/(\p{L})'(?=\p{L})/gu, '$1’')
    .replace(/[ \u00a0\u202f]*:(?=\s|$)/g, `${NBSP}:`)
    .replace(/(\S)[ \u00a0\u202f]*([;?!])(?=\s|$)/g, `$1${NNBSP}$2`)
    .replace(/«[ \u00a0\u202f]*/g, `«${NNBSP}`)
    .replace(/[ \u00a0\u202f]*»/g, `${NNBSP}»`);
}

/** The places in `text` where an ordinary space stands before « : ; ? ! » » or after « «, with a little context. */
export function typographyProblems(text: string): string[] {
  const problems: string[] = [];
  for (const match of text.matchAll(/.{0,20}(?: [:;?!»]|« ).{0,20}/gsu))
    problems.push(match[0].replace(/\s+/g, ' ').trim());
  return problems;
}
