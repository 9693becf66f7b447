// XML as Klass writes it (Jackson XML): the JSON resource with element names from Klass's annotations. Scalars are
// elements, null an empty element, lists get a wrapper element named per field (or none, for the code, change and
// correspondence lists), HAL `_embedded` lists become <contents><content>, and every link a <link> with <rel> and
// <href> children directly inside its owner (no wrapper, no "templated"). No XML declaration.

import { escapeXml as escapeMarkup } from '../../formats/sdmx.js';

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** Field name -> [wrapper element or null, item element]. */
const LISTS: Record<string, [string | null, string]> = {
  versions: ['classificationVersions', 'classificationVersion'],
  statisticalUnits: ['statisticalUnits', 'statisticalUnit'],
  published: ['publishedLanguages', 'published'],
  correspondenceTables: ['correspondenceTables', 'correspondenceTable'],
  classificationVariants: ['classificationVariants', 'classificationVariant'],
  changelogs: ['changelogs', 'changelog'],
  levels: ['levels', 'level'],
  classificationItems: ['classificationItems', 'classificationItem'],
  correspondenceMaps: ['correspondenceMaps', 'correspondenceMap'],
  classifications: ['classifications', 'classification'],
  codes: [null, 'codeItem'],
  correspondenceItems: [null, 'correspondenceItem'],
  codeChanges: [null, 'codeChangeItem'],
};

/** Characters XML 1.0 cannot carry are dropped rather than producing a document no parser accepts. */
export function escapeXml(s: string): string {
  return escapeMarkup(s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, ''));
}

function scalar(name: string, v: string | number | boolean | null): string {
  if (v === null) return `<${name}/>`;
  return `<${name}>${escapeXml(String(v))}</${name}>`;
}

function links(value: Json): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return '';
  let out = '';
  for (const [rel, link] of Object.entries(value)) {
    const href = link && typeof link === 'object' && !Array.isArray(link) ? link.href : null;
    out += `<link><rel>${escapeXml(rel)}</rel><href>${escapeXml(String(href ?? ''))}</href></link>`;
  }
  return out;
}

function element(name: string, value: Json): string {
  if (value === null || typeof value !== 'object') return scalar(name, value);
  if (Array.isArray(value)) {
    const [wrapper, item] = LISTS[name] ?? [name, name];
    const inner = value.map((v) => element(item, v)).join('');
    return wrapper === null ? inner : inner === '' ? `<${wrapper}/>` : `<${wrapper}>${inner}</${wrapper}>`;
  }
  return `<${name}>${children(value)}</${name}>`;
}

function children(obj: { [k: string]: Json }): string {
  let out = '';
  for (const [k, v] of Object.entries(obj)) {
    if (k === '_links') out += links(v);
    else if (k === '_embedded') {
      const lists = v && typeof v === 'object' && !Array.isArray(v) ? Object.values(v) : [];
      const items = lists.flatMap((l) => (Array.isArray(l) ? l : []));
      out += `<contents>${items.map((it) => element('content', it)).join('')}</contents>`;
    } else out += element(k, v);
  }
  return out;
}

/** The resource as an XML document with the given root element. */
export function toXml(root: string, resource: object): string {
  return `<${root}>${children(resource as { [k: string]: Json })}</${root}>`;
}

/** RFC 7807 problem as Klass writes it in XML. */
export function problemXml(p: { type: string; title: string; status: number; detail?: string; instance: string }): string {
  const detail = p.detail === undefined ? '' : scalar('detail', p.detail);
  return `<problem xmlns="urn:ietf:rfc:7807">${scalar('type', p.type)}${scalar('title', p.title)}${scalar('status', p.status)}${detail}${scalar('instance', p.instance)}</problem>`;
}
