// The codepage module: exact encoders (no silent '?'), decode tables, the UTF-8 fallback policy, and labels in
// several scripts surviving a round trip through every text format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { UTF8, canEncode, chooseCodepage, codepageNames, findCodepage } from '../../src/formats/codepages.js';
import { cubeCodepage } from '../../src/formats/encoding.js';
import { readPxSync } from '../../src/formats/px/reader.js';
import { getSerializer, type Api } from '../../src/formats/registry.js';
import { SCRIPTS, scriptCube } from './streamCubes.js';

test('known codepages decode every byte and encode back to the same byte', () => {
  for (const name of ['windows-1250', 'windows-1251', 'windows-1252', 'windows-1257', 'iso-8859-1', 'iso-8859-2', 'iso-8859-15']) {
    const cp = findCodepage(name)!;
    assert.equal(cp.name, name);
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const text = cp.decode(bytes);
    for (let b = 0; b < 256; b++) {
      if (text[b] === '\ufffd') continue; // unassigned in this codepage
      assert.deepEqual([...cp.encode(text[b])], [b], `${name} byte ${b.toString(16)}`);
    }
  }
  assert.ok(codepageNames().includes('utf-8'));
});

test('facts of single codepages', () => {
  assert.equal(findCodepage('windows-1252')!.decode(Uint8Array.of(0x80, 0x93, 0x94)), '€“”');
  assert.equal(findCodepage('iso-8859-1')!.decode(Uint8Array.of(0x80, 0xe6)), '\u0080æ');
  assert.equal(findCodepage('windows-1251')!.decode(Uint8Array.of(0xcc, 0xee, 0xf1)), 'Мос');
  assert.equal(findCodepage('windows-1257')!.decode(Uint8Array.of(0xd0, 0xe2)), 'Šā');
  assert.equal(findCodepage('iso-8859-15')!.decode(Uint8Array.of(0xa4)), '€');
  assert.equal(findCodepage('cp1250')?.name, 'windows-1250');
  assert.equal(findCodepage('ISO8859-2')?.name, 'iso-8859-2');
  assert.equal(findCodepage('klingon'), undefined);
});

test('never a silent ?: canEncode, tryEncode and encode report what a codepage cannot hold', () => {
  assert.equal(canEncode('iso-8859-1', 'Þórshöfn'), true);
  assert.equal(canEncode('iso-8859-1', 'Москва'), false);
  assert.equal(canEncode('windows-1251', 'Москва'), true);
  assert.equal(canEncode('windows-1252', '€'), true);
  assert.equal(canEncode('iso-8859-1', '€'), false);
  assert.equal(findCodepage('iso-8859-1')!.tryEncode('a€'), null);
  assert.throws(() => findCodepage('windows-1257')!.encode('Москва'), /cannot encode U\+041C/);
  assert.equal(chooseCodepage('iso-8859-1', ['Oslo', 'Москва']), UTF8);
  assert.equal(chooseCodepage('windows-1251', ['Oslo', 'Москва']).name, 'windows-1251');
  assert.equal(cubeCodepage(scriptCube(SCRIPTS[0].labels, 'iso-8859-1').meta), UTF8);
  assert.equal(cubeCodepage(scriptCube(SCRIPTS[3].labels, 'windows-1257').meta).name, 'windows-1257');
});

function decodeWith(contentType: string, body: Buffer, fallback: string): string {
  const charset = /charset=([^;\s]+)/i.exec(contentType)?.[1];
  const cp = findCodepage(charset && !/windows-1252/i.test(charset) ? charset : fallback)!;
  const hasBom = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf;
  if (hasBom) assert.equal(cp.name, 'utf-8', 'a BOM only on UTF-8');
  return cp.decode(hasBom ? body.subarray(3) : body);
}

test('Cyrillic, Icelandic, Greenlandic, Baltic and Central European labels survive every text format', async () => {
  for (const script of SCRIPTS) {
    for (const declared of [script.codepage, 'iso-8859-1']) {
      const cube = scriptCube(script.labels, declared);
      const fits = canEncode(declared, script.labels.join(''));
      const what = `${script.name} declared ${declared}`;
      for (const [api, id] of [['v1', 'csv'], ['v1', 'csv2'], ['v2', 'csv'], ['v2', 'html']] as [Api, string][]) {
        const out = await getSerializer(id, api)!.serialize(cube, { lang: 'en', labels: 'texts' });
        const expected = fits ? declared : 'utf-8';
        const legacy = api === 'v1' && expected === 'iso-8859-1';
        assert.match(out.contentType, new RegExp(`charset=${legacy ? 'Windows-1252' : expected}$`), `${what} ${api} ${id}`);
        const text = decodeWith(out.contentType, out.body, declared);
        for (const l of script.labels) assert.ok(text.includes(l), `${what} ${api} ${id}: ${l}`);
      }
      const px = await getSerializer('px', 'v2')!.serialize(cube, { lang: 'en' });
      const back = readPxSync(px.body);
      assert.deepEqual(back.cube.meta.variables[0].values.map((v) => v.label.en), script.labels, `${what} px`);
      const js = await getSerializer('json-stat2', 'v2')!.serialize(cube, { lang: 'en' });
      for (const l of script.labels) assert.ok(js.body.toString('utf8').includes(l), `${what} json-stat2`);
      const xlsx = await getSerializer('xlsx', 'v2')!.serialize(cube, { lang: 'en' });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
      const cells: unknown[] = [];
      wb.worksheets[0].eachRow((row) => row.eachCell((c) => cells.push(c.value)));
      for (const l of script.labels) assert.ok(cells.includes(l), `${what} xlsx: ${l}`);
    }
  }
});
