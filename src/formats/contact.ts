// PX CONTACT texts as contacts (PxWebApi 2.0 `extension.contact`). A CONTACT holds one or more persons, separated by
// `##` (PxWeb) or `||`; within a person `#` separates lines: the first is "Name, Organization", then phone, fax and
// e-mail lines, labelled ("Tel: ...", "E-mail: ...") or not. `raw` is the person's text as written; the other fields
// are present only when found.

export interface Contact {
  name?: string;
  organization?: string;
  phone?: string;
  mail?: string;
  raw: string;
}

/** Person texts of a CONTACT value, blank ones left out. */
export function contactSegments(text: string): string[] {
  return text.split(/##|\|\|/).filter((s) => s.trim() !== '');
}

const LABEL = /^\s*([A-Za-zÀ-ÿ.\- ]{1,20}?)\s*:\s*/;
const FAX = /^(fax|telefax|faks|telefaksi)$/i;
const PHONE_LABEL = /^(tel|tel\.|telephone|phone|telefon|puh|puhelin|sími|simi|tlf|tlf\.|mobile|mobil)$/i;
const MAIL_LABEL = /^(e-?mail|e-?post|epost|mail|sähköposti|netfang)$/i;
const MAIL = /[^\s<>"',;:]+@[^\s<>"',;:]+\.[A-Za-z]{2,}/;

/** One person's fields from its text. */
export function parseContact(raw: string): Contact {
  const out: Contact = { raw };
  const lines = raw.split('#').map((l) => l.trim());
  const [first, ...rest] = lines;
  if (first) {
    const mail = MAIL.exec(first);
    // "Name, Organization" (a mail address on the first line is not a name part: "Lars Pedersen, LARP@stat.gl")
    const head = mail ? first.replace(mail[0], '').replace(/[,\s]+$/, '').trim() : first;
    const comma = head.indexOf(',');
    const name = (comma < 0 ? head : head.slice(0, comma)).trim();
    const org = comma < 0 ? '' : head.slice(comma + 1).trim();
    if (name) out.name = name;
    if (org) out.organization = org;
    if (mail) out.mail = mail[0];
  }
  for (const line of rest) {
    if (!line) continue;
    const label = LABEL.exec(line);
    const word = label?.[1].trim() ?? '';
    const value = label ? line.slice(label[0].length).trim() : line;
    if (FAX.test(word)) continue;
    const mail = MAIL.exec(value);
    if (mail && (word === '' || MAIL_LABEL.test(word))) {
      out.mail ??= mail[0];
      continue;
    }
    if ((word === '' || PHONE_LABEL.test(word)) && /^[+\d\s().\-/]{5,}$/.test(value)) {
      // the national number: a leading international prefix ("+47 ") is dropped, as Statistics Norway shows it
      out.phone ??= value.replace(/^\+\d{1,3}\s+(?=\d)/, '');
    }
  }
  return out;
}

/** Every person of the CONTACT texts given, in order, without duplicate persons (same raw text). */
export function parseContacts(texts: readonly string[]): Contact[] {
  const seen = new Set<string>();
  const out: Contact[] = [];
  for (const t of texts) {
    for (const seg of contactSegments(t)) {
      if (seen.has(seg)) continue;
      seen.add(seg);
      out.push(parseContact(seg));
    }
  }
  return out;
}
