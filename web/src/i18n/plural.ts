// Plural forms through Intl.PluralRules: a message gives a text per plural category of its language
// (`one`, `other`, and `few`/`many` where the language has them); `other` is the fallback.

export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

export function plural(locale: string): (n: number, forms: PluralForms) => string {
  const rules = new Intl.PluralRules(locale);
  return (n, forms) => forms[rules.select(n)] ?? forms.other;
}
