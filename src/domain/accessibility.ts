/**
 * The mandatory accessibility mention (RGAA, art. 47 loi 2005-102), derived from one number: the share of RGAA
 * criteria met in the last audit, or null when no audit was made.
 */
export type AccessibilityStatus = {
  label: 'totalement conforme' | 'partiellement conforme' | 'non conforme';
  rate: number | null;
};

export function accessibilityStatus(rate: number | null): AccessibilityStatus {
  if (rate === null || rate < 50) return { label: 'non conforme', rate };
  if (rate >= 100) return { label: 'totalement conforme', rate };
  return { label: 'partiellement conforme', rate };
}
