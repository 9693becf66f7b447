// /api/klass/v1/api-guide.html: where /api/klass/v1/ redirects, as in Klass. A short page listing what this server
// answers, with a working example per endpoint on the demo classifications.

import { escapeHtml as escape } from '../../formats/html.js';

const ENDPOINTS: Array<[string, string]> = [
  ['classifications?size=200', 'all classifications (paged: page, size; includeCodelists, changedSince, language)'],
  ['classifications/search?query=kommune', 'search (query, includeCodelists, ssbSection)'],
  ['classifications/131', 'one classification with its versions (language, includeFuture)'],
  ['classifications/131/codesAt?date=2024-01-01', 'codes valid at a date (selectCodes, selectLevel, presentationNamePattern, csvSeparator, csvFields)'],
  ['classifications/131/codes?from=2019-01-01&to=2021-01-01', 'codes valid in [from, to), with the period each was valid'],
  ['classifications/131/changes?from=2019-01-01', 'code changes between the versions in the range'],
  ['classifications/104/correspondsAt?targetClassificationId=131&date=2024-01-01', 'correspondences at a date (inverted)'],
  ['classifications/131/corresponds?targetClassificationId=104&from=2020-01-01', 'correspondences over a range'],
  ['classifications/6/variantAt?variantName=Hovedn%C3%A6ringer&date=2024-01-01', 'a variant at a date (level, selectCodes)'],
  ['classifications/6/variant?variantName=Hovedn%C3%A6ringer&from=2020-01-01', 'a variant over a range'],
  ['versions/13124', 'one version with its items (also .csv)'],
  ['variants/606', 'one variant'],
  ['correspondencetables/10603', 'one correspondence table'],
  ['classificationfamilies', 'classification families (ssbSection, includeCodelists)'],
  ['ssbsections', 'the sections owning classifications'],
];

export function klassGuideHtml(root: string): string {
  const rows = ENDPOINTS.map(([path, what]) => `<tr><td><a href="${escape(`${root}/${path}`)}">${escape(path)}</a></td><td>${escape(what)}</td></tr>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Klass API (Statbank)</title></head>
<body>
<h1>Klass classification API</h1>
<p>The Klass API of Statistics Norway (<code>/api/klass/v1</code>) on Statbank's own classifications, which are
<strong>demo data</strong>: real codes and names, made-up descriptions, notes and ids.</p>
<p>Every endpoint answers JSON by default, XML with <code>Accept: application/xml</code> or <code>text/xml</code>,
and the code lists also CSV with <code>Accept: text/csv</code> (ISO-8859-1; <code>text/csv; charset=UTF-8</code> for
UTF-8). A <code>.json</code>, <code>.xml</code> or <code>.csv</code> suffix on the path overrides the header. Dates are
<code>yyyy-MM-dd</code>; <code>from</code> is inclusive, <code>to</code> exclusive.</p>
<table>
${rows}
</table>
</body></html>
`;
}
