// PX metadata as PxWebApi 2.0 gives it: notes split on `##`, CONTACT parsed into contacts, LAST-UPDATED read in the
// office's time zone and shown in UTC, generated titles in the language's own words (TITLE[lang] preferred for the
// table title), and the split symbol written on a free DATASYMBOL slot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Status, symbolText, type Cube } from '../../src/core/model.js';
import { parseContact, parseContacts } from '../../src/formats/contact.js';
import { noteTexts, splitNote, updatedOf } from '../../src/formats/cubeText.js';
import { jsonStat2Data, jsonStat2Metadata } from '../../src/formats/jsonStat2.js';
import { readPxSync } from '../../src/formats/px/reader.js';
import { splitSlot, writePx } from '../../src/formats/px/writer.js';
import { getSerializer } from '../../src/formats/registry.js';
import { generatedTitle, hasTitleWords, tableTitle, titleWords } from '../../src/formats/title.js';
import { toUtcIso } from '../../src/formats/timeZone.js';

function px(lines: string[]): Buffer {
  return Buffer.from(lines.join('\r\n') + '\r\n', 'latin1');
}

const BASE = [
  'CHARSET="ANSI";',
  'AXIS-VERSION="2013";',
  'CODEPAGE="iso-8859-1";',
  'LANGUAGE="en";',
  'DECIMALS=0;',
  'MATRIX="T1";',
  'SUBJECT-CODE="be";',
  'SUBJECT-AREA="Population";',
  'TITLE="Population by region and year";',
  'CONTENTS="Population";',
  'UNITS="persons";',
  'STUB="region";',
  'HEADING="year";',
  'VALUES("region")="North","South";',
  'VALUES("year")="2024","2025";',
  'TIMEVAL("year")=TLIST(A1),"2024","2025";',
];

function read(extra: string[], data = '1 2 3 4', opts = {}) {
  return readPxSync(px([...BASE, ...extra, `DATA=`, data + ';']), opts).cube;
}

function metadata(cube: Cube, lang = 'en', timeZone?: string) {
  return JSON.parse(jsonStat2Metadata(cube.meta, { lang, timeZone }).toString('utf8'));
}

test('NOTE and NOTEX: one note per ## paragraph, mandatory flags follow their pieces', () => {
  const cube = read(['NOTE="First## Second #line";', 'NOTEX="Must ##Also must";']);
  assert.deepEqual(noteTexts(cube.meta, cube.meta.notes, 'en'), ['First', 'Second #line', 'Must', 'Also must']);
  const doc = metadata(cube);
  assert.deepEqual(doc.note, ['First', 'Second #line', 'Must', 'Also must']);
  assert.deepEqual(doc.extension.noteMandatory, { '2': true, '3': true });
  // the data document lists the same notes
  const data = JSON.parse(jsonStat2Data(cube, { lang: 'en' }).toString('utf8'));
  assert.deepEqual(data.note, doc.note);
  // a value note is split too
  const v = read(['VALUENOTE("region","North")="a##b";']);
  assert.deepEqual(metadata(v).dimension.region.category.note, { North: ['a', 'b'] });
  assert.deepEqual(splitNote('##'), []);
  assert.deepEqual(splitNote('one'), ['one']);
});

test('CONTACT: persons on ## or ||, fields on #, raw kept', () => {
  assert.deepEqual(parseContact(' Utenrikshandel, Statistics Norway# +47 62 88 50 00#utenrikshandel@ssb.no'), {
    raw: ' Utenrikshandel, Statistics Norway# +47 62 88 50 00#utenrikshandel@ssb.no',
    name: 'Utenrikshandel',
    organization: 'Statistics Norway',
    phone: '62 88 50 00',
    mail: 'utenrikshandel@ssb.no',
  });
  const scb = parseContact('Ewa Eriksson, SCB#Tel: 019-17 67 43#Fax: 019-17 69 42#E-mail: befolkning@scb.se');
  assert.equal(scb.phone, '019-17 67 43', 'the fax line is not the phone');
  assert.equal(scb.mail, 'befolkning@scb.se');
  assert.equal(parseContact('Jón Jónsson, Hagstofa Íslands#Sími: (+354) 528 1000#Netfang: jon@hagstofa.is').phone, '(+354) 528 1000');
  assert.equal(parseContact('Jón Jónsson, Hagstofa Íslands#Sími: (+354) 528 1000#Netfang: jon@hagstofa.is').mail, 'jon@hagstofa.is');
  assert.equal(parseContact('Org#<A HREF=http://x.fi/a.html>Further information</A>').phone, undefined);
  assert.deepEqual(parseContact('Lars Pedersen, LARP@stat.gl'), { raw: 'Lars Pedersen, LARP@stat.gl', name: 'Lars Pedersen', mail: 'LARP@stat.gl' });
  const two = parseContacts(['A One, Org A#111 22 333#a@a.no||B Two, Org B#b@b.no', 'A One, Org A#111 22 333#a@a.no##C#c@c.no']);
  assert.deepEqual(two.map((c) => c.name), ['A One', 'B Two', 'C']);
  assert.equal(two[1].phone, undefined);

  const cube = read(['CONTACT="Kari Nordmann, SSB# +47 11 22 33 44#kari@ssb.no##Ola, SSB#Tel: 55 66 77 88#E-mail: ola@ssb.no";']);
  const doc = metadata(cube);
  assert.deepEqual(doc.extension.contact, [
    { name: 'Kari Nordmann', organization: 'SSB', phone: '11 22 33 44', mail: 'kari@ssb.no', raw: 'Kari Nordmann, SSB# +47 11 22 33 44#kari@ssb.no' },
    { name: 'Ola', organization: 'SSB', phone: '55 66 77 88', mail: 'ola@ssb.no', raw: 'Ola, SSB#Tel: 55 66 77 88#E-mail: ola@ssb.no' },
  ]);
  // key order as PxWebApi writes it
  assert.deepEqual(Object.keys(doc.extension.contact[0]), ['name', 'organization', 'phone', 'mail', 'raw']);
});

test('LAST-UPDATED is local time of the office, shown in UTC (default Europe/Oslo; a setting)', () => {
  const winter = read(['LAST-UPDATED="20251203 08:00";']);
  assert.equal(metadata(winter).updated, '2025-12-03T07:00:00Z');
  const summer = read(['LAST-UPDATED="20250603 08:00";']);
  assert.equal(metadata(summer).updated, '2025-06-03T06:00:00Z');
  assert.equal(metadata(summer, 'en', 'Atlantic/Reykjavik').updated, '2025-06-03T08:00:00Z');
  assert.equal(metadata(summer, 'en', 'Europe/Helsinki').updated, '2025-06-03T05:00:00Z');
  assert.equal(updatedOf(summer.meta, 'America/Nuuk'), '2025-06-03T09:00:00Z');
  // the serializer option reaches the data documents
  for (const [api, id] of [['v2', 'json-stat2'], ['v1', 'json-stat'], ['v1', 'json']] as const) {
    const body = (getSerializer(id, api)!.serialize(summer, { lang: 'en', timeZone: 'Atlantic/Reykjavik' }) as { body: Buffer }).body.toString('utf8');
    assert.match(body, /"updated":"2025-06-03T08:00:00Z"/, `${api} ${id}`);
  }
  // an instant with a zone is kept
  assert.equal(toUtcIso('2025-06-03T08:00:00+02:00', 'UTC'), '2025-06-03T06:00:00Z');
  // contents-level LAST-UPDATED: the latest wins, read in the same zone
  const ci = read(['CONTVARIABLE="region";', 'LAST-UPDATED("North")="20250101 09:00";', 'LAST-UPDATED("South")="20250102 09:00";']);
  assert.equal(metadata(ci).updated, '2025-01-02T08:00:00Z');
});

test('the reader stores office dates as UTC when given the zone; the PX writer writes them back in local time', () => {
  const cube = read(['LAST-UPDATED="20250603 08:00";', 'CREATION-DATE="20250101 12:30";'], '1 2 3 4', { timeZone: 'Europe/Oslo' });
  assert.equal(cube.meta.updated, '2025-06-03T06:00:00Z');
  assert.equal(cube.meta.created, '2025-01-01T11:30:00Z');
  assert.equal(metadata(cube, 'en', 'UTC').updated, '2025-06-03T06:00:00Z', 'an instant does not move with the zone');
  const text = writePx(cube).toString('latin1');
  assert.match(text, /LAST-UPDATED="20250603 08:00:00";/);
  assert.match(text, /CREATION-DATE="20250101 12:30:00";/);
  const local = read(['LAST-UPDATED="20250603 08:00";']);
  assert.equal(local.meta.updated, '2025-06-03T08:00', 'without the option the local time is kept as read');
  assert.match(writePx(local).toString('latin1'), /LAST-UPDATED="20250603 08:00";/);
});

test('generated titles use the words of their language', () => {
  const cube = read([]);
  const meta = cube.meta;
  const expect: Record<string, string> = {
    en: 'Population by region and year',
    no: 'Population etter region og year',
    nb: 'Population etter region og year',
    nn: 'Population etter region og year',
    sv: 'Population efter region och year',
    da: 'Population efter region og year',
    fi: 'Population muuttujina region ja year',
    is: 'Population eftir region og year',
    de: 'Population nach region und year',
    fr: 'Population par region et year',
    es: 'Population por region y year',
    et: 'Population region ja year järgi',
    lv: 'Population pēc region un year',
    lt: 'Population pagal region ir year',
    uk: 'Population за region та year',
    kl: 'Population kingorna region aamma year',
  };
  for (const [lang, title] of Object.entries(expect)) {
    assert.equal(generatedTitle(meta, lang), title, lang);
    assert.ok(hasTitleWords(lang), lang);
  }
  assert.deepEqual(titleWords('nb-NO'), ['etter', 'og']);
  assert.equal(hasTitleWords('zz'), false);
  assert.equal(generatedTitle(meta, 'zz'), 'Population by region and year');
});

test('table titles: the TITLE of that language, else generated in its words (never another language TITLE)', () => {
  const cube = readPxSync(
    px([
      ...BASE.filter((l) => !l.startsWith('LANGUAGE=')),
      'LANGUAGE="en";',
      'LANGUAGES="en","da","kl";',
      'TITLE[da]="Befolkning efter område og år (udgivet)";',
      'CONTENTS[da]="Befolkning";',
      'STUB[da]="område";',
      'HEADING[da]="år";',
      'VALUES[da]("område")="Nord","Syd";',
      'VALUES[da]("år")="2024","2025";',
      'CONTENTS[kl]="Innuttaasut";',
      'STUB[kl]="najugaq";',
      'HEADING[kl]="ukioq";',
      'VALUES[kl]("najugaq")="Avannaa","Kujataa";',
      'VALUES[kl]("ukioq")="2024","2025";',
      'DATA=',
      '1 2 3 4;',
    ]),
  ).cube;
  assert.equal(tableTitle(cube.meta, 'da'), 'Befolkning efter område og år (udgivet)');
  assert.equal(tableTitle(cube.meta, 'kl'), 'Innuttaasut kingorna najugaq aamma ukioq');
  assert.equal(metadata(cube, 'kl').label, 'Innuttaasut kingorna najugaq aamma ukioq');
  assert.equal(metadata(cube, 'da').label, 'Befolkning efter område og år (udgivet)');
  // data answers carry the generated title of the selection, in the language's words
  assert.equal(JSON.parse(jsonStat2Data(cube, { lang: 'kl' }).toString('utf8')).label, 'Innuttaasut kingorna najugaq aamma ukioq');
});

test('PX writer: split cells go to a free DATASYMBOL slot with the split text; the sum token when none is free', () => {
  const base = read([]);
  const status = Uint8Array.of(0, Status.Split, Status.Dot2, 0);
  const cube: Cube = { meta: base.meta, values: Float64Array.of(1, 0, 0, 4), status };
  assert.equal(splitSlot(cube), Status.Dot6);
  const text = writePx(cube).toString('latin1');
  assert.match(text, /DATASYMBOL6="x";/);
  assert.match(text, /DATA=\r\n1 "\.{6}"\r\n"\.\." 4;/);
  const back = readPxSync(Buffer.from(text, 'latin1')).cube;
  assert.equal(back.status![1], Status.Dot6);
  assert.equal(symbolText(back.meta, back.status![1], 'en'), 'x');
  assert.equal(symbolText(back.meta, back.status![2], 'en'), '..');

  // the table's own split text, per language
  const own: Cube = { ...cube, meta: { ...cube.meta, symbols: { [Status.Split]: { en: 'split' } } } };
  assert.match(writePx(own).toString('latin1'), /DATASYMBOL6="split";/);

  // slot 6 taken by a cell, 5 by a text: the next free one is 4
  const busy: Cube = {
    meta: { ...cube.meta, symbols: { [Status.Dot5]: { en: 'n/a' } } },
    values: Float64Array.of(0, 0, 0, 0),
    status: Uint8Array.of(Status.Dot6, Status.Split, 0, 0),
  };
  assert.equal(splitSlot(busy), Status.Dot4);
  assert.match(writePx(busy).toString('latin1'), /DATASYMBOL4="x";/);

  // every slot taken: the sum token
  const full: Cube = {
    meta: cube.meta,
    values: new Float64Array(7),
    status: Uint8Array.of(1, 2, 3, 4, 5, 6, Status.Split),
  };
  const fullMeta = { ...cube.meta, variables: [{ ...cube.meta.variables[0], values: Array.from({ length: 7 }, (_, i) => ({ code: 'r' + i, label: { en: 'r' + i } })) }] };
  const fullCube: Cube = { ...full, meta: { ...fullMeta, stub: ['region'], heading: [] } };
  assert.equal(splitSlot(fullCube), undefined);
  assert.match(writePx(fullCube).toString('latin1'), /"\.\.\.\.\.\.\."/);
  // no split cell: nothing changes
  assert.equal(splitSlot(base), undefined);
  assert.doesNotMatch(writePx(base).toString('latin1'), /DATASYMBOL/);
});
