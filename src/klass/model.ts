// The Klass domain: classifications (series), their versions with validity periods, codes (items) with levels
// and parents, variants, correspondence tables (a change table is one between two versions of the same
// classification) and classification families. Plain data, no I/O: the read side (catalog.ts) indexes it and the
// pure functions in codes.ts, correspondences.ts and changes.ts answer the date questions.
//
// Dates are ISO `yyyy-MM-dd` strings; every period is half-open [validFrom, validTo) and an open end is null.

export const LANGUAGES = ['nb', 'nn', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];

/** A text in some of the three Klass languages. A missing language reads as "" (Klass has no fallback). */
export type Text = Partial<Record<Lang, string>>;

export type ClassificationType = 'CLASSIFICATION' | 'CODELIST';

export interface ContactPerson {
  name: string;
  email: string;
}

export interface Changelog {
  /** Timestamp, ISO 8601 UTC ("2024-01-02T08:00:00Z"). */
  changeOccured: string;
  description: string;
}

export interface KlassLevel {
  levelNumber: number;
  levelName: Text;
}

export interface KlassItem {
  code: string;
  /** Code of the parent item in the same version or variant; null at the top level. */
  parentCode: string | null;
  level: number;
  name: Text;
  shortName?: Text;
  notes?: Text;
  /** Item-level validity, only meaningful in versions with includeValidity. */
  validFrom?: string;
  validTo?: string | null;
}

export interface Classification {
  id: number;
  name: Text;
  description: Text;
  type: ClassificationType;
  primaryLanguage: Lang;
  copyrighted: boolean;
  includeShortName: boolean;
  includeNotes: boolean;
  contactPerson: ContactPerson;
  /** SSB section code ("320"); its label comes from the section classification. */
  owningSection: string;
  statisticalUnits: Text[];
  familyId: number | null;
  /** Timestamp, ISO 8601 UTC. */
  lastModified: string;
  deleted?: boolean;
}

export interface ClassificationVersion {
  id: number;
  classificationId: number;
  /** Explicit version name; otherwise the name is built from the classification name and the start date. */
  alias?: Text;
  validFrom: string;
  validTo: string | null;
  draft?: boolean;
  deleted?: boolean;
  published: Lang[];
  lastModified: string;
  introduction: Text;
  legalBase?: Text;
  publications?: Text;
  derivedFrom?: Text;
  includeValidity?: boolean;
  levels: KlassLevel[];
  items: KlassItem[];
  changelogs?: Changelog[];
}

export interface ClassificationVariant {
  id: number;
  versionId: number;
  /** Name without the date and "- variant av ..." postfix. */
  nameBase: Text;
  validFrom: string;
  validTo: string | null;
  draft?: boolean;
  deleted?: boolean;
  published: Lang[];
  lastModified: string;
  introduction: Text;
  contactPerson: ContactPerson;
  owningSection: string;
  levels: KlassLevel[];
  items: KlassItem[];
  changelogs?: Changelog[];
}

/** One row of a correspondence table: either side may be missing (a code that appears or ceases). */
export type CorrespondenceMap = readonly [source: string | null, target: string | null];

export interface CorrespondenceTable {
  id: number;
  sourceVersionId: number;
  targetVersionId: number;
  draft?: boolean;
  deleted?: boolean;
  published: Lang[];
  lastModified: string;
  description: Text;
  contactPerson: ContactPerson;
  owningSection: string;
  sourceLevel: number | null;
  targetLevel: number | null;
  changelogs?: Changelog[];
  maps: CorrespondenceMap[];
}

export interface ClassificationFamily {
  id: number;
  name: Text;
}

export interface KlassData {
  families: ClassificationFamily[];
  classifications: Classification[];
  versions: ClassificationVersion[];
  variants: ClassificationVariant[];
  correspondenceTables: CorrespondenceTable[];
}

/** The text in `lang`, "" when missing. */
export function textIn(t: Text | undefined, lang: Lang): string {
  return t?.[lang] ?? '';
}

export function isLang(s: string): s is Lang {
  return (LANGUAGES as readonly string[]).includes(s);
}
