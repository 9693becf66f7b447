// The HAL JSON resources of the Klass API, field for field in Klass's order (the XML and CSV writers reuse them).
// Links are absolute, built on `root` (".../api/klass/v1").

import { periodOf, type KlassCatalog } from '../../klass/catalog.js';
import { LANGUAGES, textIn, type Classification, type ClassificationVariant, type ClassificationVersion, type Changelog, type CorrespondenceTable, type KlassItem, type KlassLevel, type Lang } from '../../klass/model.js';
import { alphanumCompare, classificationTypeName } from '../../klass/names.js';
import type { FamilySummary, SearchHit } from '../../klass/listing.js';

export interface ResourceContext {
  cat: KlassCatalog;
  /** Absolute URL of the API root, no trailing slash. */
  root: string;
  today: string;
}

type Link = { href: string; templated?: true };
const link = (href: string): Link => ({ href });
const template = (href: string): Link => ({ href, templated: true });

/** Klass's timestamp form: 2024-01-02T08:00:00.000+0000 (UTC). */
export function timestamp(iso: string): string {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? new Date(t).toISOString().replace('Z', '+0000') : iso;
}

const contact = (c: { name: string; email: string }) => ({ name: c.name, email: c.email, phone: '' });
const published = (langs: Lang[]) => LANGUAGES.filter((l) => langs.includes(l));
const changelogs = (list: Changelog[] | undefined) => (list ?? []).map((c) => ({ changeOccured: timestamp(c.changeOccured), description: c.description }));
const levels = (list: KlassLevel[], lang: Lang) => list.map((l) => ({ levelNumber: l.levelNumber, levelName: textIn(l.levelName, lang) }));

// --- classifications ---------------------------------------------------------------------------------------------

export function classificationSummary(ctx: ResourceContext, c: Classification, lang: Lang | undefined, includeDescription = false) {
  const l = lang ?? c.primaryLanguage;
  return {
    name: textIn(c.name, l),
    id: c.id,
    classificationType: classificationTypeName(c.type, l),
    classificationFamilyId: c.familyId,
    lastModified: timestamp(c.lastModified),
    ...(includeDescription ? { description: textIn(c.description, l) } : {}),
    _links: { self: link(`${ctx.root}/classifications/${c.id}`) },
  };
}

function versionSummaryFields(ctx: ResourceContext, v: ClassificationVersion, lang: Lang, includeFuture: boolean) {
  // The current version's end is not shown unless future versions are: it would reveal the next version.
  const hideEnd = v.validTo === null || (ctx.cat.isCurrent(v, ctx.today) && !includeFuture);
  return {
    name: ctx.cat.versionName(v, lang),
    id: v.id,
    validFrom: v.validFrom,
    ...(hideEnd ? {} : { validTo: v.validTo }),
    lastModified: timestamp(v.lastModified),
    published: published(v.published),
  };
}

export function classificationResource(ctx: ResourceContext, c: Classification, lang: Lang, includeFuture: boolean) {
  const id = c.id;
  const base = `${ctx.root}/classifications/${id}`;
  const versions = ctx.cat
    .publicVersions(id)
    .filter((v) => includeFuture || !ctx.cat.isFuture(v, ctx.today))
    .map((v) => ({ ...versionSummaryFields(ctx, v, lang, includeFuture), _links: { self: link(`${ctx.root}/versions/${v.id}`) } }));
  return {
    name: textIn(c.name, lang),
    id,
    classificationType: classificationTypeName(c.type, lang),
    lastModified: timestamp(c.lastModified),
    description: textIn(c.description, lang),
    primaryLanguage: c.primaryLanguage,
    copyrighted: c.copyrighted,
    includeShortName: c.includeShortName,
    includeNotes: c.includeNotes,
    contactPerson: contact(c.contactPerson),
    owningSection: ctx.cat.sectionLabel(c.owningSection, lang),
    statisticalUnits: c.statisticalUnits.map((u) => textIn(u, lang)),
    versions,
    classificationFamilyId: c.familyId,
    _links: {
      self: link(base),
      codes: template(`${base}/codes{?from=<yyyy-MM-dd>,to=<yyyy-MM-dd>,csvSeparator,level,selectCodes,presentationNamePattern}`),
      codesAt: template(`${base}/codesAt{?date=<yyyy-MM-dd>,csvSeparator,level,selectCodes,presentationNamePattern}`),
      variant: template(`${base}/variant{?variantName,from=<yyyy-MM-dd>,to=<yyyy-MM-dd>,csvSeparator,level,selectCodes,presentationNamePattern}`),
      variantAt: template(`${base}/variantAt{?variantName,date=<yyyy-MM-dd>,csvSeparator,level,selectCodes,presentationNamePattern}`),
      corresponds: template(`${base}/corresponds{?targetClassificationId,from=<yyyy-MM-dd>,to=<yyyy-MM-dd>,csvSeparator}`),
      correspondsAt: template(`${base}/correspondsAt{?targetClassificationId,date=<yyyy-MM-dd>,csvSeparator}`),
      changes: template(`${base}/changes{?from=<yyyy-MM-dd>,to=<yyyy-MM-dd>,csvSeparator}`),
    },
  };
}

export function searchHit(ctx: ResourceContext, h: SearchHit) {
  return {
    name: h.name,
    id: h.classification.id,
    language: h.language,
    snippet: h.snippet,
    searchScore: h.score,
    _links: { self: link(`${ctx.root}/classifications/${h.classification.id}`) },
  };
}

// --- versions, variants, correspondence tables -------------------------------------------------------------------

function items(owner: { items: KlassItem[] }, lang: Lang, opts: { shortName: boolean; notes: boolean; validity: boolean }) {
  return [...owner.items]
    .sort((a, b) => alphanumCompare(a.code, b.code))
    .map((it) => ({
      code: it.code,
      parentCode: it.parentCode ?? '',
      level: String(it.level),
      name: textIn(it.name, lang),
      shortName: opts.shortName ? textIn(it.shortName, lang) : null,
      notes: opts.notes ? textIn(it.notes, lang) : null,
      ...(opts.validity && it.validFrom ? { validFrom: it.validFrom } : {}),
      ...(opts.validity && it.validFrom && it.validTo ? { validTo: it.validTo } : {}),
    }));
}

export function tableSummary(ctx: ResourceContext, t: CorrespondenceTable, lang: Lang) {
  return { ...tableHead(ctx, t, lang, t.owningSection), _links: tableLinks(ctx, t) };
}

function tableHead(ctx: ResourceContext, t: CorrespondenceTable, lang: Lang, owningSection: string) {
  const source = ctx.cat.version(t.sourceVersionId);
  const target = ctx.cat.version(t.targetVersionId);
  const level = (owner: ClassificationVersion, n: number | null) => {
    const l = n === null ? undefined : owner.levels.find((x) => x.levelNumber === n);
    return l ? { levelNumber: l.levelNumber, levelName: textIn(l.levelName, lang) } : null;
  };
  return {
    name: ctx.cat.tableName(t, lang),
    id: t.id,
    contactPerson: contact(t.contactPerson),
    owningSection,
    source: ctx.cat.versionName(source, lang),
    sourceId: source.id,
    target: ctx.cat.versionName(target, lang),
    targetId: target.id,
    changeTable: source.classificationId === target.classificationId,
    lastModified: timestamp(t.lastModified),
    published: published(t.published),
    sourceLevel: level(source, t.sourceLevel),
    targetLevel: level(target, t.targetLevel),
  };
}

function tableLinks(ctx: ResourceContext, t: CorrespondenceTable) {
  return {
    self: link(`${ctx.root}/correspondencetables/${t.id}`),
    source: template(`${ctx.root}/versions/${t.sourceVersionId}{?language,includeFuture}`),
    target: template(`${ctx.root}/versions/${t.targetVersionId}{?language,includeFuture}`),
  };
}

export function variantSummary(ctx: ResourceContext, v: ClassificationVariant, lang: Lang) {
  return {
    name: ctx.cat.variantFullName(v, lang),
    id: v.id,
    contactPerson: contact(v.contactPerson),
    owningSection: v.owningSection,
    lastModified: timestamp(v.lastModified),
    published: published(v.published),
    _links: { self: link(`${ctx.root}/variants/${v.id}`) },
  };
}

export function versionResource(ctx: ResourceContext, v: ClassificationVersion, lang: Lang, includeFuture: boolean) {
  const cat = ctx.cat;
  const c = cat.classificationOf(v);
  const byName = (a: CorrespondenceTable, b: CorrespondenceTable) => alphanumCompare(cat.tableNameInPrimary(a), cat.tableNameInPrimary(b), true);
  const notFuture = (t: CorrespondenceTable) =>
    includeFuture || !(cat.isFuture(cat.version(t.sourceVersionId), ctx.today) || cat.isFuture(cat.version(t.targetVersionId), ctx.today));
  const tables = [
    ...cat.tablesFrom(v.id).filter((t) => cat.isPublicTable(t)).sort(byName),
    ...cat.tablesTo(v.id).filter((t) => cat.isPublicTable(t)).sort(byName),
  ].filter(notFuture);
  return {
    ...versionSummaryFields(ctx, v, lang, includeFuture),
    introduction: textIn(v.introduction, lang),
    contactPerson: contact(c.contactPerson),
    owningSection: cat.sectionLabel(c.owningSection, lang),
    legalBase: textIn(v.legalBase, lang),
    publications: textIn(v.publications, lang),
    derivedFrom: textIn(v.derivedFrom, lang),
    correspondenceTables: tables.map((t) => tableSummary(ctx, t, lang)),
    classificationVariants: cat.publicVariants(v.id).map((x) => variantSummary(ctx, x, lang)),
    changelogs: changelogs(v.changelogs),
    levels: levels(v.levels, lang),
    classificationItems: items(v, lang, { shortName: c.includeShortName, notes: c.includeNotes, validity: !!v.includeValidity }),
    _links: { self: link(`${ctx.root}/versions/${v.id}`) },
  };
}

export function variantResource(ctx: ResourceContext, v: ClassificationVariant, lang: Lang) {
  const p = periodOf(v);
  return {
    name: ctx.cat.variantFullName(v, lang),
    id: v.id,
    contactPerson: contact(v.contactPerson),
    owningSection: ctx.cat.sectionLabel(v.owningSection, lang),
    lastModified: timestamp(v.lastModified),
    published: published(v.published),
    validFrom: p.from,
    ...(v.validTo === null ? {} : { validTo: v.validTo }),
    introduction: textIn(v.introduction, lang),
    correspondenceTables: [] as unknown[],
    changelogs: changelogs(v.changelogs),
    levels: levels(v.levels, lang),
    classificationItems: items(v, lang, { shortName: false, notes: false, validity: false }),
    _links: { self: link(`${ctx.root}/variants/${v.id}`) },
  };
}

export function correspondenceTableResource(ctx: ResourceContext, t: CorrespondenceTable, lang: Lang) {
  const source = ctx.cat.version(t.sourceVersionId);
  const target = ctx.cat.version(t.targetVersionId);
  const side = (owner: ClassificationVersion, code: string | null) => {
    const it = code === null ? undefined : ctx.cat.item(owner, code);
    return { code, name: it ? textIn(it.name, lang) : null };
  };
  const maps = t.maps
    .map(([s, g]) => {
      const a = side(source, s);
      const b = side(target, g);
      return { sourceCode: a.code, sourceName: a.name, targetCode: b.code, targetName: b.name };
    })
    .sort((x, y) => cmp(x.sourceCode ?? '', y.sourceCode ?? '') || cmp(x.targetCode ?? '', y.targetCode ?? ''));
  return {
    ...tableHead(ctx, t, lang, ctx.cat.sectionLabel(t.owningSection, lang)),
    description: textIn(t.description, lang),
    changelogs: changelogs(t.changelogs),
    correspondenceMaps: maps,
    _links: tableLinks(ctx, t),
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// --- families and sections ---------------------------------------------------------------------------------------

export function familySummary(ctx: ResourceContext, f: FamilySummary, lang: Lang) {
  return {
    name: textIn(f.family.name, lang),
    id: f.family.id,
    numberOfClassifications: f.classifications.length,
    _links: { self: link(`${ctx.root}/classificationfamilies/${f.family.id}`) },
  };
}

export function familyResource(ctx: ResourceContext, f: FamilySummary, lang: Lang) {
  return {
    name: textIn(f.family.name, lang),
    id: f.family.id,
    classifications: f.classifications.map((c) => classificationSummary(ctx, c, lang)),
    _links: { self: link(`${ctx.root}/classificationfamilies/${f.family.id}`) },
  };
}
