// JSON, XML and CSV of the same Klass answers agree: CSV and XML are read back with independent parsers and
// compared with the JSON. Also content negotiation (suffix over Accept, text/xml echoed, browsers get XML) and the
// CSV charsets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type XmlNode, child, childrenNamed, csvObjects, get, klassApp, parseCsv, parseXml, textOf } from './helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const P = '/api/klass/v1';

async function jsonOf(app: Awaited<ReturnType<typeof klassApp>>, url: string): Promise<Json> {
  const r = await get(app, url, 'application/json');
  assert.equal(r.statusCode, 200, url);
  return JSON.parse(r.body) as Json;
}

/** XML leaf -> the JSON value it stands for: an empty element is null or "" (XML cannot tell them apart). */
function sameScalar(node: XmlNode | undefined, value: unknown, what: string) {
  assert.ok(node, `${what}: element missing`);
  if (value === null || value === '') assert.equal(node.text, '', what);
  else assert.equal(node.text, String(value), what);
}

test('CSV of the code lists reads back to the JSON (UTF-8 when asked), with ; and tab separators and csvFields', async () => {
  const app = await klassApp();
  try {
    const cases = [
      `${P}/classifications/131/codes?from=2019-01-01&to=2021-01-01`,
      `${P}/classifications/131/codesAt?date=2024-01-01&presentationNamePattern=%22%7Bcode%7D%22%20%7Bname%7D`,
      `${P}/classifications/6/codesAt?date=2020-01-01`,
      `${P}/classifications/6/variant?variantName=Hovedn%C3%A6ringer&from=2020-01-01`,
      `${P}/classifications/104/corresponds?targetClassificationId=131&from=2019-01-01`,
      `${P}/classifications/131/correspondsAt?targetClassificationId=104&date=2024-01-01`,
      `${P}/classifications/131/changes?from=2019-01-01`,
      `${P}/classifications/19/changes?from=1990-01-01`,
    ];
    for (const url of cases) {
      const json = await jsonOf(app, url);
      const list = (json.codes ?? json.correspondenceItems ?? json.codeChanges) as Json[];
      for (const [sep, enc] of [[',', ''], [';', '&csvSeparator=%3B'], ['\t', '&csvSeparator=%09']]) {
        const r = await get(app, url + enc, 'text/csv; charset=UTF-8');
        assert.equal(r.statusCode, 200, url);
        assert.equal(r.headers['content-type'], 'text/csv;charset=UTF-8');
        const rows = csvObjects(r.body, sep);
        assert.equal(rows.length, list.length, url);
        const cleaned = list.map((row) => ('notes' in row ? { ...row, notes: String(row.notes).replace(/\r\n|\r|\n/g, ' ').replaceAll('"', "'") } : row));
        assert.deepEqual(rows, cleaned, `${url} sep ${JSON.stringify(sep)}`);
        assert.ok(r.body.endsWith('\n') && !r.body.includes('\r'));
      }
    }
    // csvFields: exactly these columns in this order
    const r = await get(app, `${P}/classifications/131/codesAt.csv?date=2024-01-01&csvFields=name,code&selectCodes=0301,1103`);
    assert.equal(r.body, '"name","code"\n"Oslo","0301"\n"Stavanger","1103"\n');
    const ch = await get(app, `${P}/classifications/19/changes.csv?from=1990-01-01&csvFields=newCode,oldCode`);
    assert.deepEqual(parseCsv(ch.body).slice(1).map((f) => [f[0].text, f[1].quoted]), [['6', false], ['7', false], ['8', false], ['9', false]]);
  } finally {
    await app.close();
  }
});

test('CSV notes: line breaks and double quotes cleaned in CSV only; JSON keeps the quotes', async () => {
  const app = await klassApp();
  try {
    const json = await jsonOf(app, `${P}/classifications/6/codesAt?date=2020-01-01&selectCodes=62.010`);
    assert.equal(json.codes[0].notes, 'Demo: Omfatter utvikling og testing av programvare. Ekskluderer: "Utgivelse av programvare", se 58.2.');
    const csv = await get(app, `${P}/classifications/6/codesAt.csv?date=2020-01-01&selectCodes=62.010`);
    assert.equal(csvObjects(csv.body)[0].notes, "Demo: Omfatter utvikling og testing av programvare. Ekskluderer: 'Utgivelse av programvare', se 58.2.");
    const v = await get(app, `${P}/versions/501.csv`);
    const row = csvObjects(v.body, ';').find((x) => x.code === '62.010')!;
    assert.equal(row.notes, "Demo: Omfatter utvikling og testing av programvare. Ekskluderer: 'Utgivelse av programvare', se 58.2.");
    // the version resource itself keeps the note as written
    const vj = await jsonOf(app, `${P}/versions/501`);
    assert.match(vj.classificationItems.find((i: Json) => i.code === '62.010').notes, /programvare\.\nEkskluderer: "Utgivelse/);
  } finally {
    await app.close();
  }
});

test('CSV charset: ISO-8859-1 by default and with a suffix; UTF-8 on request, or when a name needs it (never "?")', async () => {
  const app = await klassApp();
  try {
    const url = `${P}/classifications/131/codesAt?date=2024-01-01&selectCodes=1853,1119,5001`;
    const names = (await jsonOf(app, url)).codes.map((c: Json) => c.name);
    assert.deepEqual(names, ['Hå', 'Evenes - Evenášši', 'Trondheim - Tråante']);
    const latin = url.replace('1853,1119,5001', '1119,5001');
    for (const [u, accept] of [[latin, 'text/csv'], [latin.replace('codesAt', 'codesAt.csv'), undefined], [latin.replace('codesAt', 'codesAt.csv'), 'text/csv;charset=UTF-8']] as Array<[string, string | undefined]>) {
      const r = await get(app, u, accept);
      assert.equal(r.headers['content-type'], 'text/csv;charset=ISO-8859-1', `${u} ${accept}`);
      const rows = csvObjects(r.rawPayload.toString('latin1'));
      assert.deepEqual(rows.map((x) => x.name), ['Hå', 'Trondheim - Tråante']);
      assert.ok(r.rawPayload.includes(Buffer.from([0xe5])), 'å as one byte');
    }
    // Evenášši: 'š' is not in ISO-8859-1, so the answer is UTF-8 and says so
    for (const [u, accept] of [[url, 'text/csv'], [url.replace('codesAt', 'codesAt.csv'), undefined]] as Array<[string, string | undefined]>) {
      const r = await get(app, u, accept);
      assert.equal(r.headers['content-type'], 'text/csv;charset=UTF-8', `${u} ${accept}`);
      assert.deepEqual(csvObjects(r.rawPayload.toString('utf8')).map((x) => x.name), names);
    }
    const utf8 = await get(app, url, 'text/csv; charset="utf-8"');
    assert.equal(utf8.headers['content-type'], 'text/csv;charset=UTF-8');
    assert.deepEqual(csvObjects(utf8.rawPayload.toString('utf8')).map((x) => x.name), names);
  } finally {
    await app.close();
  }
});

test('versions, variants and correspondence tables as CSV: ";" always, tail columns omitted, read back equal', async () => {
  const app = await klassApp();
  try {
    for (const [url, list] of [
      [`${P}/versions/501`, 'classificationItems'],
      [`${P}/versions/13124`, 'classificationItems'],
      [`${P}/variants/606`, 'classificationItems'],
      [`${P}/correspondencetables/10604`, 'correspondenceMaps'],
      [`${P}/correspondencetables/447`, 'correspondenceMaps'],
    ]) {
      const json = await jsonOf(app, url);
      const r = await get(app, `${url}?csvSeparator=,`, 'text/csv;charset=UTF-8');
      const [header, ...rows] = parseCsv(r.body, ';');
      assert.deepEqual(header.map((h) => h.text), list === 'classificationItems' ? ['code', 'parentCode', 'level', 'name', 'shortName', 'notes', 'validFrom', 'validTo'] : ['sourceCode', 'sourceName', 'targetCode', 'targetName']);
      assert.equal(rows.length, json[list].length);
      if (list === 'classificationItems') assert.ok(rows.every((row) => row.length === 6), 'validFrom/validTo left out when absent');
      const back = csvObjects(r.body, ';').map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));
      const cleaned = (json[list] as Json[]).map((o) => (typeof o.notes === 'string' ? { ...o, notes: o.notes.replace(/\r\n|\r|\n/g, ' ').replaceAll('"', "'") } : o));
      assert.deepEqual(back, cleaned, url);
    }
  } finally {
    await app.close();
  }
});

test('XML reads back to the JSON: lists, classification, version, codes, correspondences, changes, families', async () => {
  const app = await klassApp();
  try {
    // paged list
    const list = await jsonOf(app, `${P}/classifications?includeCodelists=true&size=2&page=1`);
    const lx = parseXml((await get(app, `${P}/classifications?includeCodelists=true&size=2&page=1`, 'application/xml')).body);
    assert.equal(lx.name, 'pagedEntities');
    const contents = childrenNamed(child(lx, 'contents')!, 'content');
    assert.equal(contents.length, list._embedded.classifications.length);
    contents.forEach((c, i) => {
      const j = list._embedded.classifications[i];
      for (const k of ['name', 'id', 'classificationType', 'classificationFamilyId', 'lastModified']) sameScalar(child(c, k), j[k], k);
      assert.equal(textOf(childrenNamed(c, 'link')[0], 'href'), j._links.self.href);
    });
    assert.deepEqual(childrenNamed(lx, 'link').map((l) => [textOf(l, 'rel'), textOf(l, 'href')]), Object.entries(list._links).map(([rel, l]) => [rel, (l as Json).href]));
    assert.deepEqual(Object.fromEntries(child(lx, 'page')!.children.map((c) => [c.name, Number(c.text)])), list.page);

    // classification with versions and statistical units
    const c = await jsonOf(app, `${P}/classifications/6`);
    const cx = parseXml((await get(app, `${P}/classifications/6.xml`)).body);
    assert.equal(cx.name, 'classification');
    assert.deepEqual(childrenNamed(child(cx, 'statisticalUnits')!, 'statisticalUnit').map((u) => u.text), c.statisticalUnits);
    const vx = childrenNamed(child(cx, 'classificationVersions')!, 'classificationVersion');
    assert.deepEqual(vx.map((v) => textOf(v, 'name')), c.versions.map((v: Json) => v.name));
    assert.deepEqual(childrenNamed(child(vx[0], 'publishedLanguages')!, 'published').map((p) => p.text), c.versions[0].published);
    assert.equal(childrenNamed(cx, 'link').length, Object.keys(c._links).length);
    assert.equal(textOf(child(cx, 'contactPerson')!, 'phone'), '');

    // version with items
    const v = await jsonOf(app, `${P}/versions/501`);
    const vdoc = parseXml((await get(app, `${P}/versions/501`, 'text/xml')).body);
    assert.equal(vdoc.name, 'classificationVersion');
    const items = childrenNamed(child(vdoc, 'classificationItems')!, 'classificationItem');
    assert.equal(items.length, v.classificationItems.length);
    items.forEach((it, i) => {
      for (const k of ['code', 'parentCode', 'level', 'name', 'shortName', 'notes']) sameScalar(child(it, k), v.classificationItems[i][k], `${k} ${i}`);
    });
    assert.deepEqual(childrenNamed(child(vdoc, 'levels')!, 'level').map((l) => [Number(textOf(l, 'levelNumber')), textOf(l, 'levelName')]), v.levels.map((l: Json) => [l.levelNumber, l.levelName]));
    const variants = childrenNamed(child(vdoc, 'classificationVariants')!, 'classificationVariant');
    assert.equal(textOf(variants[0], 'name'), v.classificationVariants[0].name);

    // the plain lists: items straight under the root
    for (const [url, root, item, key] of [
      [`${P}/classifications/131/codes?from=2023-01-01&to=2024-06-01`, 'codeList', 'codeItem', 'codes'],
      [`${P}/classifications/104/correspondsAt?targetClassificationId=131&date=2022-01-01`, 'correspondenceItemList', 'correspondenceItem', 'correspondenceItems'],
      [`${P}/classifications/19/changes?from=1990-01-01`, 'codeChangeList', 'codeChangeItem', 'codeChanges'],
    ]) {
      const j = (await jsonOf(app, url))[key] as Json[];
      const doc = parseXml((await get(app, url, 'application/xml')).body);
      assert.equal(doc.name, root);
      assert.ok(doc.children.every((n) => n.name === item), url);
      assert.equal(doc.children.length, j.length, url);
      doc.children.forEach((n, i) => {
        assert.deepEqual(n.children.map((x) => x.name), Object.keys(j[i]), url);
        for (const [k, val] of Object.entries(j[i])) sameScalar(child(n, k), val, `${url} ${i} ${k}`);
      });
    }

    // entities without paging
    const fx = parseXml((await get(app, `${P}/classificationfamilies.xml`)).body);
    assert.equal(fx.name, 'entities');
    assert.equal(childrenNamed(child(fx, 'contents')!, 'content').length, 3);
    const sx = parseXml((await get(app, `${P}/ssbsections.xml`)).body);
    assert.deepEqual(childrenNamed(child(sx, 'contents')!, 'content').map((s) => textOf(s, 'name')), (await jsonOf(app, `${P}/ssbsections`))._embedded.ssbSections.map((s: Json) => s.name));
    const famx = parseXml((await get(app, `${P}/classificationfamilies/2.xml`)).body);
    assert.equal(famx.name, 'classificationFamily');
    assert.equal(childrenNamed(child(famx, 'classifications')!, 'classification').length, 2);
  } finally {
    await app.close();
  }
});

test('negotiation: suffix beats Accept, text/xml is echoed, */* and no Accept give JSON, a browser gets XML', async () => {
  const app = await klassApp();
  try {
    const type = async (url: string, accept?: string) => String((await get(app, url, accept)).headers['content-type']);
    const u = `${P}/classifications/131/codesAt`;
    assert.equal(await type(`${u}.json?date=2024-01-01`, 'text/csv'), 'application/json');
    assert.equal(await type(`${u}.xml?date=2024-01-01`, 'application/json'), 'application/xml;charset=UTF-8');
    assert.equal(await type(`${u}.csv?date=2024-01-01&selectCodes=0301`, 'application/xml'), 'text/csv;charset=ISO-8859-1');
    assert.equal(await type(`${u}?date=2024-01-01`, 'text/xml'), 'text/xml;charset=UTF-8');
    assert.equal(await type(`${u}?date=2024-01-01`, 'application/xml'), 'application/xml;charset=UTF-8');
    assert.equal(await type(`${u}?date=2024-01-01`, '*/*'), 'application/json');
    assert.equal(await type(`${u}?date=2024-01-01`), 'application/json');
    assert.equal(await type(`${u}?date=2024-01-01`, 'application/json, text/xml, application/xml, */*'), 'application/json'); // R httr
    assert.equal(await type(`${u}?date=2024-01-01`, 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'), 'application/xml;charset=UTF-8');
    assert.equal(await type(`${u}?date=2024-01-01&selectCodes=0301`, 'text/csv;q=0.4, application/json;q=0.3'), 'text/csv;charset=ISO-8859-1');
    assert.equal(await type(`${P}/classifications/131`, 'text/*'), 'text/xml;charset=UTF-8');
    // the SAS macro's URL: suffix, upper-case language, a leading "&"
    const sas = await get(app, `${u}.csv?date=2024-01-01&csvSeparator=;&presentationNamePattern=%7bcode%7d%20%7bname%7d&language=NB&selectCodes=0301`);
    assert.equal(sas.statusCode, 200);
    assert.equal(sas.body, '"code";"parentCode";"level";"name";"shortName";"presentationName";"validFrom";"validTo";"notes"\n"0301";;"1";"Oslo";"";"0301 Oslo";;;""\n');
    const lead = await get(app, `${P}/variants/606.csv?&language=NB`);
    assert.equal(lead.statusCode, 200);
    // an empty CSV list is an empty body
    const empty = await get(app, `${P}/classifications/131/codes.csv?from=1900-01-01&to=1901-01-01`);
    assert.equal(empty.statusCode, 200);
    assert.equal(empty.body, '');
  } finally {
    await app.close();
  }
});
