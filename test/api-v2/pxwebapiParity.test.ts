// v2 `/tables/{id}` and `/tables/{id}/metadata` compared field by field with what PxWebApi 2.0 gives on the same PX
// input. The expected values follow PxWebApi's mappers (the Table object from its search index, the JSON-stat 2
// metadata from DatasetMapper over a Paxiom model) and its own controller tests:
// - tab4_fewcells.px (PxWebApi's test file, read from ../shared): every field, in both its languages;
// - PX texts written here with the structure of PxWebApi's test tables TAB001 (geo variable, elimination value,
//   free-text contacts), TAB003 (two contents values with every contents keyword, NEXT-UPDATE, SURVEY, LINK,
//   UPDATE-FREQUENCY) and TAB004 (structured `||` contacts, table, variable and value notes): their answers are
//   compared with PxWebApi's expected answers for TAB001/TAB003 (read from ../shared) in key order, present fields,
//   roles and extension fields, and with PxWebApi's rules for the TAB004 structure;
// - the differences Statbank keeps on purpose (docs/pxwebapi-differences.md), each asserted as Statbank's behaviour.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/app/config.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import { readPxSync } from '../../src/formats/px/reader.js';

const DIR = fileURLToPath(new URL('../../../shared/fixtures/pxweb/v2/pxwebapi-tests/', import.meta.url));
const HAVE = existsSync(DIR + 'tab4_fewcells.px');
const skip = HAVE ? false : 'shared PxWebApi test files not present';
const ref = (name: string) => JSON.parse(readFileSync(DIR + name, 'utf8').replace(/^\uFEFF/, ''));
const BASE = 'https://statbank.test/api/v2';

type J = Record<string, any>;

let app: FastifyInstance;
async function get(url: string): Promise<J> {
  return JSON.parse(await getRaw(url));
}
async function getRaw(url: string): Promise<string> {
  const r = await app.inject({ method: 'GET', url });
  assert.equal(r.statusCode, 200, `${url}: ${r.body.slice(0, 200)}`);
  return r.body;
}
const table = (id: string, lang: string) => get(`/api/v2/tables/${id}?lang=${lang}`);
const metadata = (id: string, lang: string) => get(`/api/v2/tables/${id}/metadata?lang=${lang}`);
const keys = (o: J) => Object.keys(o);
/** Keys of `o` in order, without those listed. */
const keysWithout = (o: J, leave: string[]) => Object.keys(o).filter((k) => !leave.includes(k));

/** PX text (UTF-8) as bytes. */
const px = (lines: string[]) => Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');
const cells = (n: number) => 'DATA=\r\n' + Array.from({ length: n }, (_, i) => String(i + 1)).join(' ') + ';';

// ------------------------------------------------------------------------------------------------------------------
// PX input written here (own texts, the structure of PxWebApi's test tables)

/** TAB001's structure: geo variable (VARIABLE-TYPE G and MAP), elimination by value, one contents value, free-text contacts. */
const POP = px([
  'CHARSET="ANSI";',
  'AXIS-VERSION="2010";',
  'CODEPAGE="utf-8";',
  'LANGUAGE="en";',
  'LANGUAGES="en","sv";',
  'CREATION-DATE="20240110 09:30";',
  'DECIMALS=0;',
  'SHOWDECIMALS=0;',
  'MATRIX="PARPOP";',
  'AGGREGALLOWED=NO;',
  'COPYRIGHT=NO;',
  'SUBJECT-CODE="BE";',
  'SUBJECT-AREA="Population";',
  'TITLE="Residents by region, sex, age, contents and year";',
  'CONTENTS="Residents";',
  'STUB="region","sex","age";',
  'HEADING="contents","year";',
  'CONTVARIABLE="contents";',
  'VARIABLECODE("region")="REGION";',
  'VALUES("region")="Oslo","Bergen";',
  'VARIABLECODE("sex")="SEX";',
  'VALUES("sex")="Women","Men","Both sexes";',
  'VARIABLECODE("age")="AGE";',
  'VALUES("age")="All ages","0-49 years","50 years or older";',
  'VARIABLECODE("contents")="ContentsCode";',
  'VALUES("contents")="Residents";',
  'VARIABLECODE("year")="TIME";',
  'VALUES("year")="2022","2023";',
  'TIMEVAL("year")=TLIST(A1),"2022","2023";',
  'CODES("region")="0301","4601";',
  'CODES("sex")="2","1","0";',
  'CODES("age")="TOT","Y0-49","Y_GE50";',
  'CODES("contents")="Bosatte";',
  'CODES("year")="2022","2023";',
  'PRESTEXT("year")=0;',
  'MAP("region")="municipalities";',
  'ELIMINATION("age")="All ages";',
  'UNITS="persons";',
  'LAST-UPDATED("Residents")="20240110 09:30";',
  'STOCKFA("Residents")="S";',
  'DAYADJ("Residents")=NO;',
  'SEASADJ("Residents")=NO;',
  'UNITS("Residents")="persons";',
  'SOURCE="Test office";',
  'CONTACT("Residents")="Kari Nordmann, Test office#Tel: 11 22 33 44#Fax: 55 66 77 88#E-mail: kari@example.org##Ola Nordmann, Test office#Tel: 22 33 44 55#E-mail: ola@example.org";',
  'INFOFILE="POPINFO";',
  'NOTE="Residents on 1 January";',
  'VARIABLE-TYPE("region")="G";',
  'VARIABLE-TYPE("sex")="V";',
  'VARIABLE-TYPE("age")="V";',
  'VARIABLE-TYPE("year")="T";',
  'META-ID("sex")="urn:test:sex:1";',
  'TITLE[sv]="Invånare efter region, kön, ålder, tabellinnehåll och år";',
  'CONTENTS[sv]="Invånare";',
  'SUBJECT-AREA[sv]="Befolkning";',
  'STUB[sv]="region","kön","ålder";',
  'HEADING[sv]="tabellinnehåll","år";',
  'CONTVARIABLE[sv]="tabellinnehåll";',
  'VARIABLECODE[sv]("region")="REGION";',
  'VALUES[sv]("region")="Oslo","Bergen";',
  'VARIABLECODE[sv]("kön")="SEX";',
  'VALUES[sv]("kön")="Kvinnor","Män","Båda könen";',
  'VARIABLECODE[sv]("ålder")="AGE";',
  'VALUES[sv]("ålder")="Alla åldrar","0-49 år","50 år eller äldre";',
  'VARIABLECODE[sv]("tabellinnehåll")="ContentsCode";',
  'VALUES[sv]("tabellinnehåll")="Invånare";',
  'VARIABLECODE[sv]("år")="TIME";',
  'VALUES[sv]("år")="2022","2023";',
  'TIMEVAL[sv]("år")=TLIST(A1),"2022","2023";',
  'CODES[sv]("region")="0301","4601";',
  'CODES[sv]("kön")="2","1","0";',
  'CODES[sv]("ålder")="TOT","Y0-49","Y_GE50";',
  'CODES[sv]("tabellinnehåll")="Bosatte";',
  'CODES[sv]("år")="2022","2023";',
  'PRESTEXT[sv]("år")=0;',
  'MAP[sv]("region")="municipalities";',
  'ELIMINATION[sv]("ålder")="Alla åldrar";',
  'UNITS[sv]="personer";',
  'LAST-UPDATED[sv]("Invånare")="20240110 09:30";',
  'STOCKFA[sv]("Invånare")="S";',
  'DAYADJ[sv]("Invånare")=NO;',
  'SEASADJ[sv]("Invånare")=NO;',
  'UNITS[sv]("Invånare")="personer";',
  'SOURCE[sv]="Testkontoret";',
  'CONTACT[sv]("Invånare")="Kari Nordmann, Testkontoret#Tel: 11 22 33 44#E-post: kari@example.org";',
  'NOTE[sv]="Invånare den 1 januari";',
  'VARIABLE-TYPE[sv]("region")="G";',
  'VARIABLE-TYPE[sv]("kön")="V";',
  'VARIABLE-TYPE[sv]("ålder")="V";',
  'VARIABLE-TYPE[sv]("år")="T";',
  cells(2 * 3 * 3 * 2),
]);

/** TAB003's structure: two contents values with every contents keyword, per-value contacts, NEXT-UPDATE, SURVEY, LINK, UPDATE-FREQUENCY. */
const WASTE = px([
  'CHARSET="ANSI";',
  'AXIS-VERSION="2010";',
  'CODEPAGE="utf-8";',
  'LANGUAGE="en";',
  'CREATION-DATE="20240601 10:00";',
  'DECIMALS=1;',
  'SHOWDECIMALS=0;',
  'MATRIX="PARWASTE";',
  'AGGREGALLOWED=NO;',
  'COPYRIGHT=NO;',
  'SUBJECT-CODE="MI";',
  'SUBJECT-AREA="Environment";',
  'TITLE="Treated waste by treatment category, waste category, contents and year";',
  'CONTENTS="Treated waste";',
  'STUB="treatment category","waste category";',
  'HEADING="contents","year";',
  'CONTVARIABLE="contents";',
  'VARIABLECODE("treatment category")="TREATMENT_CAT";',
  'VALUES("treatment category")="Recycling","Composting","Landfilling";',
  'VARIABLECODE("waste category")="WASTE_CAT";',
  'VALUES("waste category")="Glass","Paper","All waste";',
  'VARIABLECODE("contents")="ContentsCode";',
  'VALUES("contents")="Hazardous waste (tonnes)","Other waste (tonnes)";',
  'VARIABLECODE("year")="TIME";',
  'VALUES("year")="2020","2022";',
  'TIMEVAL("year")=TLIST(A1),"2020","2022";',
  'CODES("treatment category")="05","10","60";',
  'CODES("waste category")="07.1","07.2","TOT";',
  'CODES("contents")="Haz","Other";',
  'CODES("year")="2020","2022";',
  'PRESTEXT("year")=0;',
  'UNITS="tonnes";',
  'BASEPERIOD("Hazardous waste (tonnes)")="Base period of the hazardous series";',
  'LAST-UPDATED("Hazardous waste (tonnes)")="20240601 10:00";',
  'CFPRICES("Hazardous waste (tonnes)")="C";',
  'STOCKFA("Hazardous waste (tonnes)")="F";',
  'DAYADJ("Hazardous waste (tonnes)")=NO;',
  'SEASADJ("Hazardous waste (tonnes)")=YES;',
  'UNITS("Hazardous waste (tonnes)")="tonnes";',
  'BASEPERIOD("Other waste (tonnes)")="Base period of the other series";',
  'LAST-UPDATED("Other waste (tonnes)")="20240602 11:00";',
  'CFPRICES("Other waste (tonnes)")="F";',
  'STOCKFA("Other waste (tonnes)")="A";',
  'DAYADJ("Other waste (tonnes)")=YES;',
  'SEASADJ("Other waste (tonnes)")=NO;',
  'UNITS("Other waste (tonnes)")="tonnes";',
  'CONTACT("Hazardous waste (tonnes)")="Per Hansen, Test office#Tel: 10 20 30 40#E-mail: per@example.org##Pia Hansen, Test office#Tel: 10 20 30 41#E-mail: pia@example.org";',
  'CONTACT("Other waste (tonnes)")="Pål Olsen, Test office#Tel: 10 20 30 42#E-mail: paal@example.org";',
  'SOURCE="Test office";',
  'INFOFILE="WASTEINFO";',
  'NEXT-UPDATE="20250301 08:00";',
  'LINK="https://example.org/waste";',
  'SURVEY="Waste survey";',
  'UPDATE-FREQUENCY="Every second year";',
  'NOTE="Preliminary figures for the last year";',
  'VARIABLE-TYPE("treatment category")="V";',
  'VARIABLE-TYPE("waste category")="V";',
  'VARIABLE-TYPE("year")="T";',
  cells(3 * 3 * 2 * 2),
]);

/** TAB004's structure: structured `||` contacts (two alike), notes on the table, a variable and a value. */
const AIR = px([
  'CHARSET="ANSI";',
  'AXIS-VERSION="2010";',
  'CODEPAGE="utf-8";',
  'LANGUAGE="en";',
  'CREATION-DATE="20240301 12:00";',
  'DECIMALS=0;',
  'SHOWDECIMALS=0;',
  'MATRIX="PARAIR";',
  'AGGREGALLOWED=NO;',
  'COPYRIGHT=YES;',
  'SUBJECT-CODE="MI";',
  'SUBJECT-AREA="Environment";',
  'TITLE="Emissions to air by sector, gas, contents and year";',
  'CONTENTS="Emissions to air";',
  'STUB="sector","gas";',
  'HEADING="contents","year";',
  'CONTVARIABLE="contents";',
  'VARIABLECODE("sector")="SECTOR";',
  'VALUES("sector")="Road traffic","Industry";',
  'VARIABLECODE("gas")="GAS";',
  'VALUES("gas")="Methane","Carbon dioxide";',
  'VARIABLECODE("contents")="ContentsCode";',
  'VALUES("contents")="Emission";',
  'VARIABLECODE("year")="TIME";',
  'VALUES("year")="2022","2023";',
  'TIMEVAL("year")=TLIST(A1),"2022","2023";',
  'CODES("sector")="1.0","2.0";',
  'CODES("gas")="CH4","CO2";',
  'CODES("contents")="Em";',
  'CODES("year")="2022","2023";',
  'PRESTEXT("year")=0;',
  'UNITS="kilotonnes";',
  'LAST-UPDATED("Emission")="20240301 12:00";',
  'STOCKFA("Emission")="F";',
  'UNITS("Emission")="kilotonnes";',
  'CONTACT("Emission")="Kari#Nordmann#+47#11 22 33 44#kari@example#Test office##||Ola#Nordmann##22 33 44 55#ola@example#Test office##||#####Only organization##||#####Only organization##";',
  'SOURCE="Test office";',
  'NOTE="First table note##.. = not available";',
  'NOTE("sector")="Sector note";',
  'VALUENOTE("gas","Methane")="Methane note";',
  'VARIABLE-TYPE("year")="T";',
  cells(2 * 2 * 2),
]);

/** The inputs on which Statbank keeps a different answer (docs/pxwebapi-differences.md). */
const KEPT = px([
  'CHARSET="ANSI";',
  'CODEPAGE="utf-8";',
  'LANGUAGE="en";',
  'LANGUAGES="en","sv";',
  'CREATION-DATE="20240201 10:00";',
  'LAST-UPDATED="20240115 10:00";',
  'DECIMALS=0;',
  'MATRIX="PARKEPT";',
  'TITLE="Things by kind and year";',
  'DESCRIPTION="Counted things";',
  'CONTENTS="Things";',
  'STUB="kind";',
  'HEADING="contents","year";',
  'CONTVARIABLE="contents";',
  'VARIABLECODE("contents")="ContentsCode";',
  'VALUES("kind")="Small","Large";',
  'VALUES("contents")="Things";',
  'VALUES("year")="2023","2024";',
  'TIMEVAL("year")=TLIST(A1),"2023","2024";',
  'CODES("kind")="S","L";',
  'CODES("contents")="T";',
  'CODES("year")="2023","2024";',
  'UNITS="count";',
  'CONTACT="Table Contact, Test office#Tel: +47 99 88 77 66#E-mail: table@example.org";',
  'NOTE="Line one#line two## ##Second note";',
  'META-ID("kind")="urn:test:kind:1";',
  'CONTENTS[sv]="Saker";',
  'STUB[sv]="slag";',
  'HEADING[sv]="tabellinnehåll","år";',
  'CONTVARIABLE[sv]="tabellinnehåll";',
  'VARIABLECODE[sv]("tabellinnehåll")="ContentsCode";',
  'VALUES[sv]("slag")="Små","Stora";',
  'VALUES[sv]("tabellinnehåll")="Saker";',
  'VALUES[sv]("år")="2023","2024";',
  'TIMEVAL[sv]("år")=TLIST(A1),"2023","2024";',
  'CODES[sv]("slag")="S","L";',
  'CODES[sv]("tabellinnehåll")="T";',
  'CODES[sv]("år")="2023","2024";',
  'UNITS[sv]="antal";',
  cells(2 * 2),
]);

/** Quarters whose codes differ from their texts, and DISCONTINUED=YES. */
const QUARTERS = px([
  'CHARSET="ANSI";',
  'CODEPAGE="utf-8";',
  'LANGUAGE="en";',
  'DECIMALS=0;',
  'MATRIX="PARQ";',
  'TITLE="Things by quarter";',
  'CONTENTS="Things";',
  'HEADING="quarter";',
  'DISCONTINUED=YES;',
  'VALUES("quarter")="2023 Q1","2023 Q2";',
  'TIMEVAL("quarter")=TLIST(Q1),"20231","20232";',
  'CODES("quarter")="2023K1","2023K2";',
  'UNITS="count";',
  cells(2),
]);

before(async () => {
  const store = createMemoryStore();
  store.putFolder('EN', { en: 'Environment', sv: 'Miljö' }, 'Environment');
  store.putFolder('EN/EN02', { en: 'Miscellaneous', sv: 'Övrigt' }, 'Miscellaneous');
  if (HAVE) store.putTable(readPxSync(readFileSync(DIR + 'tab4_fewcells.px')).cube, { folders: ['EN/EN02'] });
  for (const [id, bytes] of [['PARPOP', POP], ['PARWASTE', WASTE], ['PARAIR', AIR], ['PARKEPT', KEPT], ['PARQ', QUARTERS]] as const) {
    const { cube } = readPxSync(bytes);
    assert.equal(cube.meta.id, id);
    store.putTable(cube);
  }
  // a Swedish office, as PxWebApi's tests run (LAST-UPDATED 15:42 local -> 13:42Z in summer)
  const config = loadConfig({ baseUrl: 'https://statbank.test', maxCalls: 0, logLevel: 'silent', timeZone: 'Europe/Stockholm' }, {});
  app = await buildApp({ store, config }, { logger: false });
});
after(async () => {
  await app?.close();
});

// ------------------------------------------------------------------------------------------------------------------

/** Table object keys in PxWebApi's order (TableResponse as its TableById test answers it). */
const TABLE_KEYS = [
  'language', 'id', 'label', 'description', 'sortCode', 'updated', 'firstPeriod', 'lastPeriod', 'category',
  'variableNames', 'source', 'subjectCode', 'timeUnit', 'paths', 'links',
];
/** Root keys of the JSON-stat 2 metadata (DatasetMapper): `link` only with resolved META-IDs. */
const ROOT_KEYS = ['version', 'class', 'label', 'source', 'updated', 'note', 'role', 'id', 'size', 'dimension', 'extension', 'value'];
const PX_KEYS = [
  'infofile', 'tableid', 'decimals', 'official-statistics', 'aggregallowed', 'copyright', 'language', 'contents',
  'descriptiondefault', 'heading', 'stub', 'matrix', 'subject-code', 'subject-area',
];

describe('tab4_fewcells.px (PxWebApi test file): /tables/{id}', { skip }, () => {
  test('en: every field as PxWebApi gives it', async () => {
    const t = await table('TAB004', 'en');
    assert.deepEqual(keys(t), TABLE_KEYS);
    assert.equal(t.language, 'en');
    assert.equal(t.id, 'TAB004');
    // PxWebApi: DESCRIPTION, else TITLE as written (this file's TITLE carries Paxiom's untranslated title words)
    assert.equal(t.label, 'Total air emissions PxcMetaTitleBy sector, greenhouse gas PxcMetaTitleAnd year');
    assert.equal(t.description, '');
    assert.equal(t.sortCode, 'TAB004');
    // the latest LAST-UPDATED of the contents values, local time of the office, in UTC
    assert.equal(t.updated, '2023-05-25T13:42:00Z');
    assert.equal(t.firstPeriod, '2017');
    assert.equal(t.lastPeriod, '2017');
    assert.equal(t.category, 'public');
    assert.deepEqual(t.variableNames, ['sector', 'greenhouse gas', 'contents', 'year']);
    assert.equal(t.source, 'Statistics Sweden');
    assert.equal(t.subjectCode, 'EN');
    assert.equal(t.timeUnit, 'Annual');
    assert.deepEqual(t.paths, [
      [
        { id: 'EN', label: 'Environment', sortCode: 'Environment' },
        { id: 'EN02', label: 'Miscellaneous', sortCode: 'Miscellaneous' },
      ],
    ]);
    // kept difference: absolute links (PxWebApi's test answer is relative because its test has no base URL)
    assert.deepEqual(
      t.links.map((l: J) => [l.rel, l.hreflang, l.href]),
      [
        ['self', 'en', `${BASE}/tables/TAB004?lang=en`],
        ['alternate', 'sv', `${BASE}/tables/TAB004?lang=sv`],
        ['metadata', 'en', `${BASE}/tables/TAB004/metadata?lang=en`],
        ['data', 'en', `${BASE}/tables/TAB004/data?lang=en&outputFormat=json-stat2`],
      ],
    );
    for (const l of t.links) assert.deepEqual(keys(l), ['rel', 'hreflang', 'href']);
  });

  test('sv: texts of the language, TITLE[sv] as written', async () => {
    const t = await table('TAB004', 'sv');
    assert.deepEqual(keys(t), TABLE_KEYS);
    assert.equal(t.language, 'sv');
    assert.equal(t.label, 'Totala utsläpp av växthusgaser PxcMetaTitleBy sektor, växthusgas PxcMetaTitleAnd år');
    assert.deepEqual(t.variableNames, ['sektor', 'växthusgas', 'tabellinnehåll', 'år']);
    assert.equal(t.source, 'Statistikmyndigheten');
    assert.equal(t.updated, '2023-05-25T13:42:00Z');
    assert.deepEqual(t.paths[0].map((p: J) => p.label), ['Miljö', 'Övrigt']);
    assert.deepEqual(
      t.links.map((l: J) => [l.rel, l.hreflang]),
      [['self', 'sv'], ['alternate', 'en'], ['metadata', 'sv'], ['data', 'sv']],
    );
  });
});

describe('tab4_fewcells.px (PxWebApi test file): /tables/{id}/metadata', { skip }, () => {
  test('en: root fields', async () => {
    const m = await metadata('TAB004', 'en');
    assert.deepEqual(keys(m), ROOT_KEYS);
    assert.equal(m.version, '2.0');
    assert.equal(m.class, 'dataset');
    // metadata label: the model's Title, i.e. TITLE as written
    assert.equal(m.label, 'Total air emissions PxcMetaTitleBy sector, greenhouse gas PxcMetaTitleAnd year');
    assert.equal(m.source, 'Statistics Sweden');
    assert.equal(m.updated, '2023-05-25T13:42:00Z');
    // NOTE split on ##; the variable's NOTE is not a table note
    assert.deepEqual(m.note, ['Footnote text', '.. = Data not available']);
    assert.deepEqual(m.role, { time: ['TIME'], metric: ['ContentsCode'] });
    assert.deepEqual(keys(m.role), ['time', 'metric']);
    assert.deepEqual(m.id, ['SECTOR', 'GREENHOUSEGAS', 'ContentsCode', 'TIME']);
    assert.deepEqual(m.size, [1, 1, 1, 1]);
    assert.deepEqual(keys(m.dimension), m.id);
    assert.deepEqual(m.value, []);
  });

  test('en: dimensions, notes, units and contents extensions', async () => {
    const d = (await metadata('TAB004', 'en')).dimension;
    assert.deepEqual(d.SECTOR, {
      label: 'sector',
      note: ['Footnote text'],
      category: { index: { '7.0': 0 }, label: { '7.0': 'SOLVENT USE AND OTHER PRODUCT USE, TOTAL' } },
      extension: { elimination: false, show: 'value', codelists: [] },
    });
    assert.deepEqual(keys(d.SECTOR), ['label', 'note', 'category', 'extension']);
    assert.deepEqual(keys(d.SECTOR.extension), ['elimination', 'show', 'codelists']);
    assert.deepEqual(d.GREENHOUSEGAS, {
      label: 'greenhouse gas',
      category: { index: { CO2: 0 }, label: { CO2: 'Carbon Dioxide (CO2) (kt)' } },
      extension: { elimination: false, show: 'value', codelists: [] },
    });
    assert.deepEqual(d.ContentsCode, {
      label: 'contents',
      category: {
        index: { Emission: 0 },
        label: { Emission: 'Substance' },
        unit: { Emission: { base: 'Device varies with the subject', decimals: 0 } },
      },
      extension: {
        elimination: false,
        show: 'value',
        codelists: [],
        measuringType: { Emission: 'Stock' },
        priceType: { Emission: 'NotApplicable' },
        adjustment: { Emission: 'None' },
      },
    });
    assert.deepEqual(keys(d.ContentsCode.category), ['index', 'label', 'unit']);
    assert.deepEqual(keys(d.ContentsCode.category.unit.Emission), ['base', 'decimals']);
    assert.deepEqual(keys(d.ContentsCode.extension), ['elimination', 'show', 'codelists', 'measuringType', 'priceType', 'adjustment']);
    // PRESTEXT 0: the time variable shows codes
    assert.deepEqual(d.TIME, {
      label: 'year',
      category: { index: { '2017': 0 }, label: { '2017': '2017' } },
      extension: { elimination: false, show: 'code', codelists: [] },
    });
  });

  test('en: extension.px field by field and in order', async () => {
    const px = (await metadata('TAB004', 'en')).extension.px;
    assert.deepEqual(keys(px), PX_KEYS);
    assert.deepEqual(px, {
      infofile: 'ENVIRONMENT',
      tableid: 'TAB004',
      decimals: 0,
      'official-statistics': false,
      aggregallowed: false,
      copyright: true,
      language: 'en',
      contents: 'Total air emissions',
      descriptiondefault: false,
      heading: ['ContentsCode', 'TIME'],
      stub: ['SECTOR', 'GREENHOUSEGAS'],
      matrix: 'TAB004',
      'subject-code': 'EN',
      'subject-area': 'Environment',
    });
    assert.deepEqual(keys((await metadata('TAB004', 'en')).extension), ['px', 'contact']);
  });

  test('en: contacts: the persons PxWebApi lists (split on ##, unique raw), with Statbank parsed fields', async () => {
    const c = (await metadata('TAB004', 'en')).extension.contact as J[];
    // PxWebApi: this CONTACT has no "||", so each ## piece is a contact with `raw` only, duplicates left out
    assert.deepEqual(
      c.map((x) => x.raw),
      [
        'Test Testsson, SCB# 08-111 222 33#test.testsson@scb',
        'Test2 Testsson2, SCB# 08-111 222 32#test.testsson2@scb',
        ' , just organization# ',
        '# , just organization# ',
        '#',
      ],
    );
    // kept difference: Statbank parses a free-text person into the fields it finds; raw stays last
    assert.deepEqual(c[0], {
      name: 'Test Testsson',
      organization: 'SCB',
      phone: '08-111 222 33',
      mail: 'test.testsson@scb',
      raw: 'Test Testsson, SCB# 08-111 222 33#test.testsson@scb',
    });
    assert.deepEqual(c[2], { organization: 'just organization', raw: ' , just organization# ' });
    assert.deepEqual(c[4], { raw: '#' });
    for (const x of c) assert.equal(keys(x).at(-1), 'raw');
  });

  test('sv: texts, notes, units and contacts of the language', async () => {
    const m = await metadata('TAB004', 'sv');
    assert.deepEqual(keys(m), ROOT_KEYS);
    assert.equal(m.label, 'Totala utsläpp av växthusgaser PxcMetaTitleBy sektor, växthusgas PxcMetaTitleAnd år');
    assert.equal(m.source, 'Statistikmyndigheten');
    assert.equal(m.updated, '2023-05-25T13:42:00Z');
    assert.deepEqual(m.note, ['Text för Fotnot', '.. = Data not available']);
    assert.deepEqual(m.id, ['SECTOR', 'GREENHOUSEGAS', 'ContentsCode', 'TIME']);
    assert.equal(m.dimension.SECTOR.label, 'sektor');
    assert.deepEqual(m.dimension.SECTOR.note, ['Text för Fotnot']);
    assert.deepEqual(m.dimension.ContentsCode.category.label, { Emission: 'Ämne' });
    assert.deepEqual(m.dimension.ContentsCode.category.unit, { Emission: { base: 'Enhet varierar med ämne', decimals: 0 } });
    // DOMAIN[sv] names no aggregation file: no codelists
    assert.deepEqual(m.dimension.SECTOR.extension.codelists, []);
    assert.equal(m.extension.px.language, 'sv');
    assert.equal(m.extension.px.contents, 'Totala utsläpp av växthusgaser');
    assert.equal(m.extension.px['subject-area'], 'Miljö');
    assert.equal(m.extension.px['subject-code'], 'EN');
    assert.deepEqual(
      m.extension.contact.map((x: J) => x.raw),
      [
        'Test Testsson, SCB#Tel: 08-111 222 33#Fax: 08-222 333 44#E-mail: test.testsson@scb.se',
        'Test2 Testsson2, SCB#Tel: 08-333 444 55#Fax: 08-444 555 66#E-mail: test2.testsson2@scb.se',
      ],
    );
    // parsed (kept difference): the fax line is not the phone
    assert.equal(m.extension.contact[0].phone, '08-111 222 33');
    assert.equal(m.extension.contact[0].mail, 'test.testsson@scb.se');
  });
});

// ------------------------------------------------------------------------------------------------------------------
// The structure of TAB001 and TAB003 against PxWebApi's expected answers for them

/** Dictionaries keyed by value codes: their keys are the table's codes, not structure. */
const BY_CODE = new Set(['index', 'unit', 'measuringType', 'priceType', 'adjustment', 'basePeriod', 'refperiod', 'categoryNoteMandatory']);

/**
 * Keys in order, recursively where both have an object, leaving out `link` (META-ID links, a kept difference); a
 * code-keyed dictionary is compared by the shape of its first entry.
 */
function assertSameShape(ours: unknown, theirs: unknown, path: string): void {
  const isObj = (x: unknown): x is J => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (!isObj(ours) || !isObj(theirs)) {
    assert.equal(Array.isArray(ours), Array.isArray(theirs), `${path}: array or not`);
    assert.equal(typeof ours, typeof theirs, `${path}: type`);
    return;
  }
  const last = path.slice(path.lastIndexOf('.') + 1);
  if (BY_CODE.has(last) || (last === 'label' && path.endsWith('category.label'))) {
    assert.equal(keys(ours).length > 0, keys(theirs).length > 0, `${path}: entries`);
    if (keys(ours).length && keys(theirs).length) assertSameShape(Object.values(ours)[0], Object.values(theirs)[0], `${path}[0]`);
    return;
  }
  assert.deepEqual(keysWithout(ours, ['link']), keysWithout(theirs, ['link']), `keys at ${path}`);
  for (const k of keysWithout(theirs, ['link'])) assertSameShape(ours[k], theirs[k], `${path}.${k}`);
}

describe('TAB001 structure (geo, elimination value, free-text contacts) against MetadataById_tab001_js2.json', { skip }, () => {
  test('root fields, roles and ids as PxWebApi gives them', async () => {
    const m = await metadata('PARPOP', 'en');
    const r = ref('MetadataById_tab001_js2.json');
    assert.deepEqual(keysWithout(m, ['link']), keysWithout(r, ['link']));
    assert.deepEqual(keys(m.role), keys(r.role));
    assert.deepEqual(m.role, r.role, 'time, geo (VARIABLE-TYPE G / MAP) and metric');
    assert.deepEqual(m.id, r.id);
    assert.deepEqual(m.size, [2, 3, 3, 1, 2]);
    assert.deepEqual(keys(m.dimension), keys(r.dimension));
    assert.equal(m.label, 'Residents by region, sex, age, contents and year');
    assert.equal(m.source, 'Test office');
    assert.equal(m.updated, '2024-01-10T08:30:00Z');
    assert.match(r.updated, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(m.note, ['Residents on 1 January']);
    assert.equal(m.note.length, r.note.length);
  });

  test('dimensions: same keys, extension fields and elimination value', async () => {
    const m = await metadata('PARPOP', 'en');
    const r = ref('MetadataById_tab001_js2.json');
    for (const code of r.id) {
      assertSameShape(m.dimension[code].extension, r.dimension[code].extension, `${code}.extension`);
      assert.deepEqual(keysWithout(m.dimension[code], ['link']), keysWithout(r.dimension[code], ['link']), code);
      assert.deepEqual(keys(m.dimension[code].category), keys(r.dimension[code].category), `${code}.category`);
      assert.equal(m.dimension[code].extension.show, r.dimension[code].extension.show, `${code} show`);
      assert.equal(m.dimension[code].extension.elimination, r.dimension[code].extension.elimination, `${code} elimination`);
    }
    // ELIMINATION("age") names a value label: its code is the elimination value
    assert.equal(m.dimension.AGE.extension.eliminationValueCode, 'TOT');
    assert.ok('eliminationValueCode' in r.dimension.AGE.extension);
    // codes that look like numbers keep the file's order (in the bytes: JSON.parse would reorder them)
    assert.ok((await getRaw('/api/v2/tables/PARPOP/metadata?lang=en')).includes('"index":{"2":0,"1":1,"0":2}'));
    assert.deepEqual(m.dimension.ContentsCode.extension.measuringType, { Bosatte: 'Stock' });
    assert.deepEqual(Object.values(r.dimension.ContentsCode.extension.measuringType), ['Stock']);
    assert.deepEqual(m.dimension.ContentsCode.category.unit, { Bosatte: { base: 'persons', decimals: 0 } });
    // kept difference: META-ID is not resolved into links (no `link` on SEX; PxWebApi resolves it by its metaid.config)
    assert.ok('link' in r.dimension.SEX);
    assert.equal('link' in m.dimension.SEX, false);
    assert.equal('link' in m, false);
  });

  test('extension: px fields in order; contacts with raw (and the fields Statbank parses)', async () => {
    const m = await metadata('PARPOP', 'en');
    const r = ref('MetadataById_tab001_js2.json');
    assert.deepEqual(keys(m.extension), keys(r.extension));
    assert.deepEqual(keys(m.extension.px), keys(r.extension.px));
    assert.deepEqual(
      { ...m.extension.px },
      {
        infofile: 'POPINFO', tableid: 'PARPOP', decimals: 0, 'official-statistics': false, aggregallowed: false, copyright: false,
        language: 'en', contents: 'Residents', descriptiondefault: false, heading: ['ContentsCode', 'TIME'],
        stub: ['REGION', 'SEX', 'AGE'], matrix: 'PARPOP', 'subject-code': 'BE', 'subject-area': 'Population',
      },
    );
    assert.equal(m.extension.contact.length, r.extension.contact.length);
    assert.deepEqual(keys(r.extension.contact[0]), ['raw']);
    assert.deepEqual(m.extension.contact[0], {
      name: 'Kari Nordmann',
      organization: 'Test office',
      phone: '11 22 33 44',
      mail: 'kari@example.org',
      raw: 'Kari Nordmann, Test office#Tel: 11 22 33 44#Fax: 55 66 77 88#E-mail: kari@example.org',
    });
    assert.equal(m.extension.contact[1].raw, 'Ola Nordmann, Test office#Tel: 22 33 44 55#E-mail: ola@example.org');
  });

  test('sv: the same structure in the other language', async () => {
    const en = await metadata('PARPOP', 'en');
    const sv = await metadata('PARPOP', 'sv');
    assertSameShape(sv, en, '$');
    assert.equal(sv.label, 'Invånare efter region, kön, ålder, tabellinnehåll och år');
    assert.equal(sv.dimension.AGE.extension.eliminationValueCode, 'TOT');
    assert.deepEqual(sv.role, en.role);
    assert.deepEqual(sv.extension.contact.map((c: J) => c.mail), ['kari@example.org']);
  });
});

describe('TAB003 structure (two contents values, NEXT-UPDATE, SURVEY, LINK, UPDATE-FREQUENCY) against MetadataById_tab003_js2.json', { skip }, () => {
  test('same keys everywhere, roles without geo', async () => {
    const m = await metadata('PARWASTE', 'en');
    const r = ref('MetadataById_tab003_js2.json');
    assertSameShape(m, r, '$');
    assert.deepEqual(m.role, r.role);
    assert.deepEqual(m.id, r.id);
    assert.deepEqual(m.size, [3, 3, 2, 2]);
    // the latest LAST-UPDATED of the contents values
    assert.equal(m.updated, '2024-06-02T09:00:00Z');
    assert.ok((await getRaw('/api/v2/tables/PARWASTE/metadata?lang=en')).includes('"index":{"05":0,"10":1,"60":2}'));
  });

  test('contents extensions per value as PxWebApi maps STOCKFA, CFPRICES, DAYADJ/SEASADJ and BASEPERIOD', async () => {
    const c = (await metadata('PARWASTE', 'en')).dimension.ContentsCode;
    const r = ref('MetadataById_tab003_js2.json').dimension.ContentsCode;
    assert.deepEqual(keys(c.extension), keys(r.extension));
    for (const k of ['measuringType', 'priceType', 'adjustment']) assert.deepEqual(Object.values(c.extension[k]), Object.values(r.extension[k]), k);
    assert.deepEqual(c.extension.basePeriod, { Haz: 'Base period of the hazardous series', Other: 'Base period of the other series' });
    // unit decimals: SHOWDECIMALS (0), not DECIMALS (1)
    assert.deepEqual(c.category.unit, { Haz: { base: 'tonnes', decimals: 0 }, Other: { base: 'tonnes', decimals: 0 } });
    assert.deepEqual(Object.values(r.category.unit).map((u) => (u as J).decimals), [0, 0]);
  });

  test('extension.px: NEXT-UPDATE in UTC, then SURVEY, LINK, UPDATE-FREQUENCY; contacts of both values', async () => {
    const m = await metadata('PARWASTE', 'en');
    const r = ref('MetadataById_tab003_js2.json');
    assert.deepEqual(keys(m.extension.px), keys(r.extension.px));
    assert.equal(m.extension.px.decimals, 0);
    assert.equal(m.extension.px.nextUpdate, '2025-03-01T07:00:00Z');
    assert.match(r.extension.px.nextUpdate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(m.extension.px.survey, 'Waste survey');
    assert.equal(m.extension.px.link, 'https://example.org/waste');
    assert.equal(m.extension.px.updateFrequency, 'Every second year');
    assert.equal(m.extension.contact.length, r.extension.contact.length);
    assert.deepEqual(
      m.extension.contact.map((c: J) => c.name),
      ['Per Hansen', 'Pia Hansen', 'Pål Olsen'],
    );
  });
});

// ------------------------------------------------------------------------------------------------------------------
// TAB004's structure: PxWebApi's rules for structured contacts and note placement

describe('TAB004 structure (structured contacts, notes)', () => {
  test('structured CONTACT: every field, name from forename and surname, phone without prefix, duplicates out', async () => {
    const c = (await metadata('PARAIR', 'en')).extension.contact;
    assert.deepEqual(c, [
      { name: 'Kari Nordmann', organization: 'Test office', phone: '11 22 33 44', mail: 'kari@example', raw: 'Kari Nordmann, Test office#+47 11 22 33 44#kari@example' },
      { name: 'Ola Nordmann', organization: 'Test office', phone: '22 33 44 55', mail: 'ola@example', raw: 'Ola Nordmann, Test office# 22 33 44 55#ola@example' },
      { name: '', organization: 'Only organization', phone: '', mail: '', raw: ' , Only organization# ' },
    ]);
    for (const x of c) assert.deepEqual(keys(x), ['name', 'organization', 'phone', 'mail', 'raw']);
  });

  test('notes: table notes split on ##, a variable note on its dimension, a value note on its category', async () => {
    const m = await metadata('PARAIR', 'en');
    assert.deepEqual(m.note, ['First table note', '.. = not available']);
    assert.deepEqual(m.dimension.SECTOR.note, ['Sector note']);
    assert.deepEqual(keys(m.dimension.SECTOR), ['label', 'note', 'category', 'extension']);
    assert.deepEqual(m.dimension.GAS.category.note, { CH4: ['Methane note'] });
    assert.deepEqual(keys(m.dimension.GAS.category), ['index', 'label', 'note']);
    assert.equal('note' in m.dimension.GAS, false);
    assert.equal(m.extension.px.copyright, true);
    assert.deepEqual(m.dimension.ContentsCode.extension.measuringType, { Em: 'Flow' });
    // DAYADJ/SEASADJ/CFPRICES absent: None and NotApplicable
    assert.deepEqual(m.dimension.ContentsCode.extension.adjustment, { Em: 'None' });
    assert.deepEqual(m.dimension.ContentsCode.extension.priceType, { Em: 'NotApplicable' });
  });
});

// ------------------------------------------------------------------------------------------------------------------
// Differences kept on purpose (docs/pxwebapi-differences.md): Statbank's behaviour asserted

describe('kept differences', () => {
  test('/tables label is TITLE even when the file has a DESCRIPTION (PxWebApi lists DESCRIPTION)', async () => {
    const t = await table('PARKEPT', 'en');
    assert.equal(t.label, 'Things by kind and year');
    assert.equal(t.description, 'Counted things');
    assert.equal((await metadata('PARKEPT', 'en')).label, 'Things by kind and year');
  });

  test('a language without TITLE gets a title made in its own words', async () => {
    assert.equal((await table('PARKEPT', 'sv')).label, 'Saker efter slag, tabellinnehåll och år');
    assert.equal((await metadata('PARKEPT', 'sv')).label, 'Saker efter slag, tabellinnehåll och år');
  });

  test('updated: a table LAST-UPDATED beats CREATION-DATE when no contents value has one', async () => {
    // PxWebApi: CREATION-DATE (2024-02-01 10:00 local) first
    assert.equal((await metadata('PARKEPT', 'en')).updated, '2024-01-15T09:00:00Z');
  });

  test('a table-level CONTACT is listed also when the table has a contents variable; +47 is left out of the phone', async () => {
    // PxWebApi lists only the contents values' CONTACT here: none
    assert.deepEqual((await metadata('PARKEPT', 'en')).extension.contact, [
      {
        name: 'Table Contact',
        organization: 'Test office',
        phone: '99 88 77 66',
        mail: 'table@example.org',
        raw: 'Table Contact, Test office#Tel: +47 99 88 77 66#E-mail: table@example.org',
      },
    ]);
  });

  test('notes: a single # stays, pieces are trimmed and blank ones left out', async () => {
    // PxWebApi: ["Line one\r\nline two", " ", "Second note"]
    assert.deepEqual((await metadata('PARKEPT', 'en')).note, ['Line one#line two', 'Second note']);
  });

  test('a time variable without PRESTEXT shows codes; META-ID gives no links', async () => {
    const m = await metadata('PARKEPT', 'en');
    // PxWebApi (Paxiom's default PRESTEXT 1): "value"
    assert.equal(m.dimension.year.extension.show, 'code');
    assert.equal(m.dimension.kind.extension.show, 'value');
    assert.equal('link' in m.dimension.kind, false);
  });

  test('firstPeriod/lastPeriod are time codes; DISCONTINUED=YES in the file does not discontinue', async () => {
    const t = await table('PARQ', 'en');
    // PxWebApi: the smallest and largest value text ("2023 Q1", "2023 Q2") and discontinued: true
    assert.equal(t.firstPeriod, '2023K1');
    assert.equal(t.lastPeriod, '2023K2');
    assert.equal(t.timeUnit, 'Quarterly');
    assert.equal('discontinued' in t, false);
  });
});
