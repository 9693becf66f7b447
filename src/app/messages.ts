// Texts the server writes itself (feed titles, notes in saved-query text), one catalogue per language. A language
// without a catalogue falls back to its macro language (nb, nn -> no), then to English. Adding a language is adding
// one entry here; no code compares language codes.

export interface Messages {
  updatedFeed: string;
  updatedFeedAbout: string;
  comingFeed: string;
  comingFeedAbout: string;
  table: string;
  version: string;
  published: string;
  release: string;
  savedExpressionNote(variable: string, expression: string): string;
  savedFormatNote(format: string): string;
}

const en: Messages = {
  updatedFeed: 'Statbank: updated tables',
  updatedFeedAbout: 'Tables in the Statbank, most recently updated first.',
  comingFeed: 'Statbank: coming releases',
  comingFeedAbout: 'Tables to be released, with the time of release.',
  table: 'Table',
  version: 'version',
  published: 'published',
  release: 'Release',
  savedExpressionNote: (v, x) => `Note: ${v} is saved as ${x}, which API v1 cannot express; its values as of now are listed.`,
  savedFormatNote: (f) => `Note: the format ${f} does not exist in API v1; the query asks for json-stat2.`,
};

const no: Messages = {
  updatedFeed: 'Statistikkbanken: oppdaterte tabeller',
  updatedFeedAbout: 'Tabeller i Statistikkbanken, sist oppdaterte først.',
  comingFeed: 'Statistikkbanken: kommende publiseringer',
  comingFeedAbout: 'Tabeller som blir publisert, med tidspunkt.',
  table: 'Tabell',
  version: 'versjon',
  published: 'publisert',
  release: 'Publiseres',
  savedExpressionNote: (v, x) => `Merk: ${v} er lagret som ${x}, som API v1 ikke kan uttrykke; her står verdiene det gir nå.`,
  savedFormatNote: (f) => `Merk: formatet ${f} finnes ikke i API v1; spørringen ber om json-stat2.`,
};

const sv: Messages = {
  updatedFeed: 'Statistikdatabasen: uppdaterade tabeller',
  updatedFeedAbout: 'Tabeller i statistikdatabasen, senast uppdaterade först.',
  comingFeed: 'Statistikdatabasen: kommande publiceringar',
  comingFeedAbout: 'Tabeller som kommer att publiceras, med tidpunkt.',
  table: 'Tabell',
  version: 'version',
  published: 'publicerad',
  release: 'Publiceras',
  savedExpressionNote: (v, x) => `Obs: ${v} är sparad som ${x}, som API v1 inte kan uttrycka; här visas värdena det ger nu.`,
  savedFormatNote: (f) => `Obs: formatet ${f} finns inte i API v1; frågan ber om json-stat2.`,
};

const CATALOGUES: Record<string, Messages> = { en, no, sv };
const MACRO: Record<string, string> = { nb: 'no', nn: 'no' };

export function messages(lang: string): Messages {
  const l = lang.toLowerCase();
  return CATALOGUES[l] ?? CATALOGUES[MACRO[l] ?? ''] ?? CATALOGUES[l.split('-')[0]] ?? en;
}
