// PX CONTACT texts as contacts (PxWebApi 2.0 `extension.contact`). Two forms exist:
// - structured (PX-edit / Paxiom): persons separated by `||`, each of eight `#`-separated fields: forename, surname,
//   phone prefix, phone number, e-mail, organization, department, unit. Read as Paxiom reads it: name is
//   "forename surname", phone the number without its prefix, and every field is present (empty when blank); `raw` is
//   the person as Paxiom formats it ("forename surname, organization# prefix number#e-mail").
// - free text: persons separated by `##` (or `||` when the pieces are not eight fields), within a person `#`
//   separates lines: the first is "Name, Organization", then phone, fax and e-mail lines, labelled ("Tel: ...",
//   "E-mail: ...") or not. `raw` is the person's text as written; the other fields are present only when found
//   (PxWebApi gives only `raw` here: the parsed fields are Statbank's addition, see docs/pxwebapi-differences.md).

export interface Contact {
  name?: string;
  organization?: string;
  phone?: string;
  mail?: string;
  raw: string;
}

/** Person texts of a free-text CONTACT value, blank ones left out. */
export function contactSegments(text: string): string[] {
  return text.split(/##|\|\|/).filter((s) => s.trim() !== '');
}

/** Number of `#` fields of a structured person. */
const STRUCTURED_FIELDS = 8;

/** The persons of a structured CONTACT value (`||` between persons, eight `#` fields each), else undefined. */
export function structuredContacts(text: string): Contact[] | undefined {
  if (!text.includes('||')) return undefined;
  const persons = text.split('||').filter((s) => s !== '');
  const fields = persons.map((p) => p.split('#'));
  if (!fields.length || fields.some((f) => f.length < STRUCTURED_FIELDS)) return undefined;
  return fields.map(([forename, surname, prefix, phone, mail, organization]) => {
    const name = forename && surname ? `${forename} ${surname}` : forename || surname;
    // the person as Paxiom writes it, up to the e-mail (a blank e-mail leaves no trailing "#")
    const raw = `${forename} ${surname}, ${organization}#${prefix} ${phone}#${mail}`.replace(/#+$/, '');
    return { name, organization, phone, mail, raw };
  });
}

const LABEL = /^\s*([A-Za-zÀ-ÿ.\- ]{1,20}?)\s*:\s*/;
const FAX = /^(fax|telefax|faks|telefaksi)$/i;
const PHONE_LABEL = /^(tel|tel\.|telephone|phone|telefon|puh|puhelin|sími|simi|tlf|tlf\.|mobile|mobil)$/i;
const MAIL_LABEL = /^(e-?mail|e-?post|epost|mail|sähköposti|netfang)$/i;
const MAIL = /[^\s<>"',;:]+@[^\s<>"',;:]+\.[A-Za-z]{2,}/;
/** A line that is an address and nothing else (a host without a dot too: "name@scb"). */
const MAIL_LINE = /^[^\s<>"',;:@]+@[^\s<>"',;:@]+$/;

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
    const mail = MAIL.exec(value) ?? MAIL_LINE.exec(value);
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

/**
 * Every person of the CONTACT texts given, in order, without duplicates: a structured person is a duplicate when
 * name, organization, phone and mail are the same (as PxWebApi compares them), a free-text one when its raw text is.
 */
export function parseContacts(texts: readonly string[]): Contact[] {
  const seen = new Set<string>();
  const out: Contact[] = [];
  const add = (key: string, c: () => Contact) => {
    if (seen.has(key)) return;
    seen.add(key);
    out.push(c());
  };
  for (const t of texts) {
    const structured = structuredContacts(t);
    if (structured) {
      for (const c of structured) add(JSON.stringify(['s', c.name, c.organization, c.phone, c.mail]), () => c);
      continue;
    }
    for (const seg of contactSegments(t)) add(JSON.stringify(['r', seg]), () => parseContact(seg));
  }
  return out;
}
