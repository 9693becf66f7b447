// Lists over the catalog: the public classifications (/classifications), search (/classifications/search),
// families (/classificationfamilies) and the responsible SSB sections (/ssbsections).

import type { KlassCatalog } from './catalog.js';
import { LANGUAGES, textIn, type Classification, type ClassificationFamily, type Lang } from './model.js';
import { alphanumCompare } from './names.js';

/** Public = not deleted, not copyrighted, with a non-draft version published in some language. */
export function isPublicClassification(cat: KlassCatalog, c: Classification): boolean {
  return !c.deleted && !c.copyrighted && cat.publicVersions(c.id).length > 0;
}

export interface ListOptions {
  includeCodelists: boolean;
  /** Epoch milliseconds; only classifications modified strictly after it. */
  changedSince?: number;
}

/** /classifications: public classifications (codelists on request), by id. */
export function listClassifications(cat: KlassCatalog, opts: ListOptions): Classification[] {
  return cat
    .classifications()
    .filter((c) => isPublicClassification(cat, c))
    .filter((c) => opts.includeCodelists || c.type === 'CLASSIFICATION')
    .filter((c) => opts.changedSince === undefined || Date.parse(c.lastModified) > opts.changedSince);
}

export interface SearchHit {
  classification: Classification;
  language: Lang;
  name: string;
  snippet: string;
  score: number;
}

export interface SearchOptions {
  includeCodelists: boolean;
  /** Section code filter. */
  ssbSection?: string;
}

/**
 * /classifications/search. Klass indexes one document per classification and published language and scores with
 * OpenSearch; this ranks by the same signals, simplified: the title starting with the query (10), title words
 * matching query words within one edit (5 each), description words (1 each) and code names (0.5 each). Hits with
 * no signal are dropped. Same id may come once per language.
 */
export function searchClassifications(cat: KlassCatalog, query: string, opts: SearchOptions): SearchHit[] {
  const terms = words(query);
  const phrase = normalize(query).trim();
  if (terms.length === 0) return [];
  const hits: SearchHit[] = [];
  for (const c of cat.classifications()) {
    if (!isPublicClassification(cat, c)) continue;
    if (!opts.includeCodelists && c.type !== 'CLASSIFICATION') continue;
    if (opts.ssbSection && c.owningSection !== opts.ssbSection) continue;
    const versions = cat.publicVersions(c.id);
    for (const lang of LANGUAGES) {
      if (!versions.some((v) => v.published.includes(lang))) continue;
      const title = textIn(c.name, lang);
      if (!title) continue;
      const description = textIn(c.description, lang);
      const titleWords = words(title);
      const descWords = words(description);
      let score = 0;
      if (normalize(title).startsWith(phrase) || titleWords.some((w) => w.startsWith(phrase))) score += 10;
      for (const t of terms) {
        if (titleWords.some((w) => fuzzy(w, t))) score += 5;
        if (descWords.some((w) => fuzzy(w, t))) score += 1;
      }
      const newest = versions.filter((v) => v.published.includes(lang)).sort((a, b) => (a.validFrom < b.validFrom ? 1 : -1))[0];
      let codeHits = 0;
      for (const it of newest.items) {
        const name = normalize(textIn(it.name, lang));
        if (terms.some((t) => name.includes(t) || it.code === t)) codeHits++;
      }
      score += 0.5 * Math.min(codeHits, 10);
      if (score > 0) hits.push({ classification: c, language: lang, name: title, snippet: description, score });
    }
  }
  return hits.sort((a, b) => b.score - a.score || a.classification.id - b.classification.id || LANGUAGES.indexOf(a.language) - LANGUAGES.indexOf(b.language));
}

function normalize(s: string): string {
  return s.toLowerCase().normalize('NFC');
}

function words(s: string): string[] {
  return normalize(s)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Equal, a prefix (for words of 3+ letters), or one edit apart with the first two letters equal. */
function fuzzy(word: string, term: string): boolean {
  if (word === term) return true;
  if (term.length >= 3 && word.startsWith(term)) return true;
  if (term.length < 3 || word.slice(0, 2) !== term.slice(0, 2) || Math.abs(word.length - term.length) > 1) return false;
  return editDistanceAtMostOne(word, term);
}

function editDistanceAtMostOne(a: string, b: string): boolean {
  if (a.length < b.length) [a, b] = [b, a];
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length === b.length) j++;
    i++;
  }
  return edits + (a.length - i) <= 1;
}

export interface FamilyOptions {
  includeCodelists: boolean;
  ssbSection?: string;
}

export interface FamilySummary {
  family: ClassificationFamily;
  /** The public matching classifications, in stored order. */
  classifications: Classification[];
}

function matchesFamilyFilter(c: Classification, opts: FamilyOptions): boolean {
  return !c.deleted && (opts.includeCodelists || c.type === 'CLASSIFICATION') && (!opts.ssbSection || c.owningSection === opts.ssbSection);
}

/** /classificationfamilies: families with any classification matching the filters (public or not); the count is
 *  of the public ones, so it can be 0. */
export function listFamilies(cat: KlassCatalog, opts: FamilyOptions): FamilySummary[] {
  const out: FamilySummary[] = [];
  for (const f of cat.families()) {
    const members = cat.data.classifications.filter((c) => c.familyId === f.id && matchesFamilyFilter(c, opts));
    if (members.length === 0) continue;
    out.push({ family: f, classifications: members.filter((c) => isPublicClassification(cat, c)) });
  }
  return out;
}

/** /classificationfamilies/{id} */
export function familyWithClassifications(cat: KlassCatalog, id: number, opts: FamilyOptions): FamilySummary {
  const family = cat.family(id);
  const classifications = cat.data.classifications.filter((c) => c.familyId === id && matchesFamilyFilter(c, opts) && isPublicClassification(cat, c));
  return { family, classifications };
}

/** /ssbsections: labels of the sections owning a classification with a published version, natural order. */
export function responsibleSections(cat: KlassCatalog): string[] {
  const codes = new Set<string>();
  for (const c of cat.classifications()) {
    if (cat.publicVersions(c.id).length > 0) codes.add(c.owningSection);
  }
  return [...codes].map((code) => cat.sectionLabel(code, 'nb')).sort((a, b) => alphanumCompare(a, b));
}

/** "320 - Seksjon for befolkningsstatistikk" or "320" -> "320". */
export function sectionCode(param: string | undefined): string | undefined {
  if (param === undefined) return undefined;
  const code = param.split(' - ')[0].trim();
  return code === '' ? undefined : code;
}
