// Generated catalogues of Statistics Norway's shape for bench/scale.ts: tables of 2-6 variables (region up to 460
// values, a time variable that is annual, quarterly or monthly, contents, sex, age …), cell counts heavy-tailed
// (Pareto) and scaled to a total, titles and labels in Norwegian and English from a small vocabulary. Cubes are
// built directly (no PX text), deterministic for a seed.

import type { Cube, TableMeta, Variable } from '../src/core/model.js';

/** Small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const SUBJECTS: [string, string, string][] = [
  ['al', 'Arbeid og lønn', 'Labour market and earnings'],
  ['be', 'Befolkning', 'Population'],
  ['bf', 'Bank og finansmarked', 'Banking and financial markets'],
  ['bb', 'Bygg, bolig og eiendom', 'Construction, housing and property'],
  ['el', 'Energi og industri', 'Energy and manufacturing'],
  ['ei', 'Priser og prisindekser', 'Prices and price indices'],
  ['hu', 'Helse', 'Health'],
  ['if', 'Inntekt og forbruk', 'Income and consumption'],
  ['jo', 'Jord, skog, jakt og fiskeri', 'Agriculture, forestry, hunting and fishing'],
  ['kf', 'Kultur og fritid', 'Culture and recreation'],
  ['nr', 'Nasjonalregnskap og konjunkturer', 'National accounts and business cycles'],
  ['ne', 'Natur og miljø', 'Nature and the environment'],
  ['of', 'Offentlig sektor', 'Public sector'],
  ['sk', 'Sosiale forhold og kriminalitet', 'Social conditions and crime'],
  ['sv', 'Svalbard', 'Svalbard'],
  ['tr', 'Transport og reiseliv', 'Transport and tourism'],
  ['ud', 'Utdanning', 'Education'],
  ['ut', 'Utenriksøkonomi', 'External economy'],
  ['vt', 'Varehandel og tjenesteyting', 'Wholesale and retail trade and service activities'],
  ['vf', 'Virksomheter, foretak og regnskap', 'Establishments, enterprises and accounts'],
];

const WORDS: [string, string][] = [
  ['folkemengde', 'population'], ['sysselsatte', 'employed persons'], ['arbeidsledige', 'unemployed'], ['boliger', 'dwellings'],
  ['priser', 'prices'], ['konsumprisindeks', 'consumer price index'], ['inntekt', 'income'], ['husholdninger', 'households'],
  ['utslipp', 'emissions'], ['kommuner', 'municipalities'], ['fylker', 'counties'], ['dødsfall', 'deaths'], ['fødte', 'births'],
  ['innvandrere', 'immigrants'], ['elever', 'pupils'], ['studenter', 'students'], ['lønn', 'earnings'], ['omsetning', 'turnover'],
  ['eksport', 'exports'], ['import', 'imports'], ['overnattinger', 'overnight stays'], ['kjøretøy', 'vehicles'],
  ['strøm', 'electricity'], ['avfall', 'waste'], ['straffesaker', 'criminal cases'], ['sykefravær', 'sickness absence'],
  ['barnehager', 'kindergartens'], ['foretak', 'enterprises'], ['investeringer', 'investments'], ['gjeld', 'debt'],
];

const REGION_SIZES = [1, 11, 15, 356, 460];
const NAMES = ['Oslo', 'Bergen', 'Trondheim', 'Stavanger', 'Tromsø', 'Bodø', 'Ålesund', 'Drammen', 'Kristiansand', 'Fredrikstad'];

function texts(no: string, en: string) {
  return { no, en };
}

function values(codes: string[], label: (c: string, i: number) => [string, string]) {
  return codes.map((code, i) => {
    const [no, en] = label(code, i);
    return { code, label: texts(no, en) };
  });
}

/** Per-table target cells: Pareto(alpha) scaled so the targets add up to `totalCells`, none above `maxCells`. */
export function cellTargets(tables: number, totalCells: number, seed: number, maxCells = 17_000_000): number[] {
  const r = rng(seed);
  const alpha = 1.15;
  const raw = Array.from({ length: tables }, () => 1 / Math.pow(1 - r() * 0.999999, 1 / alpha));
  let scale = totalCells / raw.reduce((a, b) => a + b, 0);
  // capping moves mass away: rescale the uncapped ones a few times
  let t = raw.map((x) => Math.min(maxCells, Math.max(2, x * scale)));
  for (let k = 0; k < 6; k++) {
    const sum = t.reduce((a, b) => a + b, 0);
    scale *= totalCells / sum;
    t = raw.map((x) => Math.min(maxCells, Math.max(2, x * scale)));
  }
  return t.map(Math.round);
}

/** One generated table with about `target` cells. */
export function makeTable(index: number, target: number, seed: number): { cube: Cube; folder: string } {
  const r = rng(seed * 1_000_003 + index);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const id = String(10000 + index).padStart(5, '0');
  const subject = SUBJECTS[index % SUBJECTS.length];
  const folder = `${subject[0]}/${subject[0]}${String(1 + (Math.floor(index / SUBJECTS.length) % 8)).padStart(2, '0')}`;
  const w1 = pick(WORDS);
  const w2 = pick(WORDS);
  const kind = pick(['A', 'A', 'A', 'Q', 'M'] as const);
  const vars: Variable[] = [];
  let left = Math.max(1, target);
  // region
  let regions = REGION_SIZES.filter((n) => n <= left).pop() ?? 1;
  if (r() < 0.15) regions = 1;
  if (regions > 1) {
    const codes = Array.from({ length: regions }, (_, i) => (i === 0 ? '0' : String(100 + i * 7).padStart(4, '0')));
    vars.push({
      code: 'Region',
      label: texts('region', 'region'),
      elimination: true,
      values: values(codes, (c, i) => (i === 0 ? ['Hele landet', 'The whole country'] : i <= NAMES.length ? [NAMES[i - 1], NAMES[i - 1]] : [`Kommune ${c}`, `Municipality ${c}`])),
    });
    left /= regions;
  }
  // other variables until the target is reached (at most 4 more before time)
  const extras: [string, string, string, number][] = [
    ['ContentsCode', 'statistikkvariabel', 'contents', 1 + Math.floor(r() * 4)],
    ['Kjonn', 'kjønn', 'sex', 2],
    ['Alder', 'alder', 'age', pick([5, 10, 21, 100])],
    ['Naering', 'næring', 'industry', pick([10, 21, 88])],
  ];
  const perPeriod = kind === 'A' ? 1 : kind === 'Q' ? 4 : 12;
  const minPeriods = 4 * perPeriod;
  for (const [code, no, en, n] of extras) {
    if (vars.length >= 4 || left / n < minPeriods) continue;
    vars.push({
      code,
      label: texts(no, en),
      role: code === 'ContentsCode' ? 'contents' : undefined,
      elimination: code !== 'ContentsCode',
      values: values(
        Array.from({ length: n }, (_, i) => String(i + 1).padStart(2, '0')),
        (c) => (code === 'ContentsCode' ? [`${w1[0]} ${c}`, `${w1[1]} ${c}`] : [`${no} ${c}`, `${en} ${c}`]),
      ),
    });
    left /= n;
  }
  const periods = Math.max(1, Math.min(kind === 'A' ? 60 : kind === 'Q' ? 200 : 600, Math.round(left)));
  const lastYear = 2025;
  const codes: string[] = [];
  for (let k = periods - 1; k >= 0; k--) {
    const y = lastYear - Math.floor(k / perPeriod);
    const p = perPeriod - (k % perPeriod);
    codes.push(kind === 'A' ? String(y) : `${y}${kind}${kind === 'M' ? String(p).padStart(2, '0') : p}`);
  }
  vars.push({ code: 'Tid', label: texts('tid', 'time'), role: 'time', timeUnit: kind, elimination: false, values: values(codes, (c) => [c, c]) });
  const title = `${id}: ${cap(w1[0])} og ${w2[0]}, etter ${vars.map((v) => v.label.no).join(', ')}`;
  const titleEn = `${id}: ${cap(w1[1])} and ${w2[1]}, by ${vars.map((v) => v.label.en).join(', ')}`;
  const meta: TableMeta = {
    id,
    title: texts(title, titleEn),
    contents: texts(cap(w1[0]), cap(w1[1])),
    languages: ['no', 'en'],
    defaultLanguage: 'no',
    variables: vars,
    stub: vars.slice(0, -1).map((v) => v.code),
    heading: ['Tid'],
    decimals: r() < 0.3 ? 1 : 0,
    subjectCode: subject[0],
    subjectArea: texts(subject[1], subject[2]),
    updated: `2025-0${1 + (index % 9)}-1${index % 10}T08:00:00Z`,
    source: texts('Statistisk sentralbyrå', 'Statistics Norway'),
  };
  const n = vars.reduce((a, v) => a * v.values.length, 1);
  const vals = new Float64Array(n);
  const decimals = meta.decimals === 1;
  let x = Math.floor(r() * 1000);
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    vals[i] = decimals ? (x % 100_000) / 10 : x % 100_000;
  }
  return { cube: { meta, values: vals, status: null }, folder };
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Search words the probe asks for (all occur in the generated catalogue). */
export const SEARCH_WORDS = [...WORDS.map((w) => w[0]), 'oslo', 'bergen', 'kommune', 'alder', 'kjønn', 'næring', 'region', 'befolkning*', '"hele landet"', 'title:priser', 'folkemengde AND oslo', 'lønn OR inntekt'];
