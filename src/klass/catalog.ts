// The read model of the Klass data: indexes by id, the relations (classification -> versions -> variants, tables
// by source and target version), generated names and the visibility rules (deleted, draft, published, future).
// Built once from a KlassData value; construction checks the data (unique ids, references, parents, overlapping
// versions) so a broken demo or import fails at start instead of answering nonsense.

import { MAX_DATE, type DateRange } from './dates.js';
import { KlassError } from './errors.js';
import {
  textIn,
  type Classification,
  type ClassificationFamily,
  type ClassificationVariant,
  type ClassificationVersion,
  type CorrespondenceTable,
  type KlassData,
  type KlassItem,
  type Lang,
} from './model.js';
import { alphanumCompare, capitalize, datePostfix, nameWithoutPrefix, variantSeparator } from './names.js';

/** Klass resolves section codes through the classification with this (nb) name. */
export const SECTION_CLASSIFICATION_NAME = 'Standard for seksjonsinndeling';

export type ItemOwner = ClassificationVersion | ClassificationVariant;

export class KlassCatalog {
  private readonly classificationsById = new Map<number, Classification>();
  private readonly versionsById = new Map<number, ClassificationVersion>();
  private readonly variantsById = new Map<number, ClassificationVariant>();
  private readonly tablesById = new Map<number, CorrespondenceTable>();
  private readonly familiesById = new Map<number, ClassificationFamily>();
  private readonly versionsByClassification = new Map<number, ClassificationVersion[]>();
  private readonly variantsByVersion = new Map<number, ClassificationVariant[]>();
  private readonly tablesBySource = new Map<number, CorrespondenceTable[]>();
  private readonly tablesByTarget = new Map<number, CorrespondenceTable[]>();
  private readonly itemIndex = new WeakMap<ItemOwner, Map<string, KlassItem>>();
  /** versions() in Klass order, computed once per classification (the data never changes). */
  private readonly sortedVersions = new Map<number, ClassificationVersion[]>();

  constructor(readonly data: KlassData) {
    const unique = <T extends { id: number }>(kind: string, list: T[], into: Map<number, T>) => {
      for (const x of list) {
        if (!Number.isSafeInteger(x.id)) throw new Error(`klass data: ${kind} id ${x.id} is not an integer`);
        if (into.has(x.id)) throw new Error(`klass data: duplicate ${kind} id ${x.id}`);
        into.set(x.id, x);
      }
    };
    unique('family', data.families, this.familiesById);
    unique('classification', data.classifications, this.classificationsById);
    unique('version', data.versions, this.versionsById);
    unique('variant', data.variants, this.variantsById);
    unique('correspondence table', data.correspondenceTables, this.tablesById);

    for (const c of data.classifications) {
      if (c.familyId !== null && !this.familiesById.has(c.familyId)) throw new Error(`klass data: classification ${c.id}: unknown family ${c.familyId}`);
      this.versionsByClassification.set(c.id, []);
    }
    for (const v of data.versions) {
      const list = this.versionsByClassification.get(v.classificationId);
      if (!list) throw new Error(`klass data: version ${v.id}: unknown classification ${v.classificationId}`);
      list.push(v);
      this.checkItems(`version ${v.id}`, v);
      if (v.validTo !== null && v.validTo <= v.validFrom) throw new Error(`klass data: version ${v.id}: validTo before validFrom`);
    }
    for (const v of data.variants) {
      const list = this.variantsByVersion.get(v.versionId) ?? [];
      if (!this.versionsById.has(v.versionId)) throw new Error(`klass data: variant ${v.id}: unknown version ${v.versionId}`);
      list.push(v);
      this.variantsByVersion.set(v.versionId, list);
      this.checkItems(`variant ${v.id}`, v);
    }
    for (const t of data.correspondenceTables) {
      const source = this.versionsById.get(t.sourceVersionId);
      const target = this.versionsById.get(t.targetVersionId);
      if (!source || !target) throw new Error(`klass data: correspondence table ${t.id}: unknown source or target version`);
      for (const [s, g] of t.maps) {
        if (s === null && g === null) throw new Error(`klass data: correspondence table ${t.id}: a map with neither side`);
        if (s !== null && !this.item(source, s)) throw new Error(`klass data: correspondence table ${t.id}: no code ${s} in version ${source.id}`);
        if (g !== null && !this.item(target, g)) throw new Error(`klass data: correspondence table ${t.id}: no code ${g} in version ${target.id}`);
      }
      push(this.tablesBySource, t.sourceVersionId, t);
      push(this.tablesByTarget, t.targetVersionId, t);
    }
    // Versions of one classification never overlap (drafts have no real period).
    for (const [id, list] of this.versionsByClassification) {
      const live = list.filter((v) => !v.deleted && !v.draft).sort((a, b) => (a.validFrom < b.validFrom ? -1 : 1));
      for (let i = 1; i < live.length; i++) {
        if ((live[i - 1].validTo ?? MAX_DATE) > live[i].validFrom) throw new Error(`klass data: classification ${id}: versions ${live[i - 1].id} and ${live[i].id} overlap`);
      }
    }
  }

  private checkItems(what: string, owner: ItemOwner): void {
    const map = new Map<string, KlassItem>();
    for (const it of owner.items) {
      if (map.has(it.code)) throw new Error(`klass data: ${what}: duplicate code ${it.code}`);
      map.set(it.code, it);
    }
    const levels = new Set(owner.levels.map((l) => l.levelNumber));
    for (const it of owner.items) {
      if (!levels.has(it.level)) throw new Error(`klass data: ${what}: code ${it.code} on undeclared level ${it.level}`);
      if (it.parentCode !== null) {
        const parent = map.get(it.parentCode);
        if (!parent) throw new Error(`klass data: ${what}: code ${it.code}: unknown parent ${it.parentCode}`);
        if (parent.level !== it.level - 1) throw new Error(`klass data: ${what}: code ${it.code}: parent not one level up`);
      } else if (it.level !== 1) {
        throw new Error(`klass data: ${what}: code ${it.code} on level ${it.level} has no parent`);
      }
    }
    this.itemIndex.set(owner, map);
  }

  // --- lookups (deleted things do not exist) ---------------------------------------------------------------

  classification(id: number): Classification {
    const c = this.classificationsById.get(id);
    if (!c || c.deleted) throw new KlassError(404, `Classification not found with id = ${id}`);
    return c;
  }

  version(id: number): ClassificationVersion {
    const v = this.versionsById.get(id);
    if (!v || v.deleted || this.classificationsById.get(v.classificationId)?.deleted) {
      throw new KlassError(404, `Classification Version not found with id = ${id}`);
    }
    return v;
  }

  variant(id: number): ClassificationVariant {
    const v = this.variantsById.get(id);
    if (!v || v.deleted || this.versionsById.get(v.versionId)?.deleted) throw new KlassError(404, `Classification Variant not found with id = ${id}`);
    return v;
  }

  correspondenceTable(id: number): CorrespondenceTable {
    const t = this.tablesById.get(id);
    if (!t || t.deleted || this.versionsById.get(t.sourceVersionId)?.deleted || this.versionsById.get(t.targetVersionId)?.deleted) {
      throw new KlassError(404, `Correspondence Table not found with id = ${id}`);
    }
    return t;
  }

  family(id: number): ClassificationFamily {
    const f = this.familiesById.get(id);
    if (!f) throw new KlassError(404, `ClassificationFamily not found with id = ${id}`);
    return f;
  }

  families(): ClassificationFamily[] {
    return [...this.data.families];
  }

  /** Non-deleted classifications, by id. */
  classifications(): Classification[] {
    return this.data.classifications.filter((c) => !c.deleted).sort((a, b) => a.id - b.id);
  }

  classificationOf(v: ClassificationVersion): Classification {
    return this.classificationsById.get(v.classificationId)!;
  }

  versionOf(v: ClassificationVariant): ClassificationVersion {
    return this.versionsById.get(v.versionId)!;
  }

  /** Non-deleted versions (drafts included), in Klass order: by name, newest year first. */
  versions(classificationId: number): ClassificationVersion[] {
    const c = this.classification(classificationId);
    let sorted = this.sortedVersions.get(classificationId);
    if (!sorted) {
      const named = (this.versionsByClassification.get(classificationId) ?? [])
        .filter((v) => !v.deleted)
        .map((v) => ({ v, name: this.versionName(v, c.primaryLanguage) }));
      sorted = named.sort((a, b) => alphanumCompare(a.name, b.name, true)).map((x) => x.v);
      this.sortedVersions.set(classificationId, sorted);
    }
    return [...sorted];
  }

  /** Versions a client may see: not deleted, not drafts, published in some language. */
  publicVersions(classificationId: number): ClassificationVersion[] {
    return this.versions(classificationId).filter((v) => !v.draft && v.published.length > 0);
  }

  variants(versionId: number): ClassificationVariant[] {
    return (this.variantsByVersion.get(versionId) ?? []).filter((v) => !v.deleted);
  }

  publicVariants(versionId: number): ClassificationVariant[] {
    return this.variants(versionId).filter((v) => !v.draft && v.published.length > 0);
  }

  tablesFrom(versionId: number): CorrespondenceTable[] {
    return (this.tablesBySource.get(versionId) ?? []).filter((t) => !t.deleted && !this.versionsById.get(t.targetVersionId)!.deleted);
  }

  tablesTo(versionId: number): CorrespondenceTable[] {
    return (this.tablesByTarget.get(versionId) ?? []).filter((t) => !t.deleted && !this.versionsById.get(t.sourceVersionId)!.deleted);
  }

  isPublicTable(t: CorrespondenceTable): boolean {
    return !t.draft && t.published.length > 0;
  }

  item(owner: ItemOwner, code: string): KlassItem | undefined {
    return this.itemIndex.get(owner)?.get(code);
  }

  // --- names -------------------------------------------------------------------------------------------------

  versionName(v: ClassificationVersion, lang: Lang): string {
    if (v.alias && Object.keys(v.alias).length > 0) return textIn(v.alias, lang);
    const postfix = v.draft ? '(utkast)' : datePostfix(v.validFrom, v.validTo);
    return `${capitalize(nameWithoutPrefix(this.classificationOf(v), lang))} ${postfix}`;
  }

  versionNameInPrimary(v: ClassificationVersion): string {
    return this.versionName(v, this.classificationOf(v).primaryLanguage);
  }

  /** "<base> <yyyy|yyyy-MM>  - variant av <version name>" (the double space is Klass's). */
  variantFullName(v: ClassificationVariant, lang: Lang): string {
    const postfix = v.draft ? '(utkast)' : datePostfix(v.validFrom, v.validTo);
    return `${textIn(v.nameBase, lang)} ${postfix} ${variantSeparator(lang)}${this.versionName(this.versionOf(v), lang)}`;
  }

  tableName(t: CorrespondenceTable, lang: Lang): string {
    const name = `${this.versionName(this.version(t.sourceVersionId), lang)} - ${this.versionName(this.version(t.targetVersionId), lang)}`;
    return t.draft ? `${name} (utkast)` : name;
  }

  tableNameInPrimary(t: CorrespondenceTable): string {
    const s = this.version(t.sourceVersionId);
    const g = this.version(t.targetVersionId);
    const name = `${this.versionNameInPrimary(s)} - ${this.versionNameInPrimary(g)}`;
    return t.draft ? `${name} (utkast)` : name;
  }

  /** "320 - Seksjon for befolkningsstatistikk" from the newest version of the section classification, in `lang`,
   *  else in nb, else the bare code. */
  sectionLabel(code: string, lang: Lang): string {
    const sections = this.data.classifications.find((c) => !c.deleted && textIn(c.name, 'nb') === SECTION_CLASSIFICATION_NAME);
    if (sections) {
      const newest = this.versions(sections.id)
        .filter((v) => !v.draft)
        .sort((a, b) => (a.validFrom < b.validFrom ? 1 : -1))[0];
      const item = newest && this.item(newest, code);
      if (item) {
        const name = textIn(item.name, lang) || textIn(item.name, 'nb');
        if (name) return `${code} - ${name}`;
      }
    }
    return code;
  }

  // --- validity ----------------------------------------------------------------------------------------------

  isFuture(v: { validFrom: string }, today: string): boolean {
    return v.validFrom > today;
  }

  /** A non-draft version whose period contains today. */
  isCurrent(v: ClassificationVersion, today: string): boolean {
    return !v.draft && v.validFrom <= today && today < (v.validTo ?? MAX_DATE);
  }
}

export function periodOf(v: { validFrom: string; validTo: string | null }): DateRange {
  return { from: v.validFrom, to: v.validTo ?? MAX_DATE };
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
