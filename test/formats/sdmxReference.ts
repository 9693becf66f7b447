// The SDMX writer as it was before the byte-level rewrite (string lines joined, then encoded): kept as the oracle
// the byte writer's output is compared with in sdmxBytes.test.ts.
import { Status, type Cube, type TableMeta } from '../../src/core/model.js';
import { advance, comboOffsets, contentsOf, noteTexts, tx, unitText } from '../../src/formats/cubeText.js';
import { cellDecimals, formatJsonNumber, roundingRule } from '../../src/formats/numberFormat.js';
import type { SerializeOptions } from '../../src/formats/serializer.js';
import { TextChunker } from '../../src/formats/streaming.js';
import { escapeXml, sdmxId, sdmxTime } from '../../src/formats/sdmx.js';

const FREQ: Record<string, string> = { A: 'A', H: 'S', Q: 'Q', M: 'M', W: 'W', D: 'D' };

function attributes(meta: TableMeta, contentsCode: string | undefined, decimals: number, lang: string, indent: string): string[] {
  const ci = contentsCode !== undefined ? meta.contentInfo?.[contentsCode] : undefined;
  const out: string[] = [];
  const unit = unitText(meta, contentsCode, lang);
  if (unit) out.push(`${indent}  <g:Value concept="UNIT_MEASURE" value="${escapeXml(unit)}" />`);
  out.push(`${indent}  <g:Value concept="DECIMALS" value="${decimals}" />`);
  if (ci?.stockFa) out.push(`${indent}  <g:Value concept="SFA_INDICATOR" value="${escapeXml(ci.stockFa)}" />`);
  const base = tx(meta, ci?.basePeriod, lang);
  if (base) out.push(`${indent}  <g:Value concept="BASE_PER" value="${escapeXml(base)}" />`);
  return [`${indent}<g:Attributes>`, ...out, `${indent}</g:Attributes>`];
}

/** Lines joined by '\n', gathered into chunks. */
class Lines extends TextChunker {
  private first = true;
  /** Text that brings its own line breaks (after the first line). */
  raw(s: string): void {
    super.push(s);
    this.first = false;
  }
  override push(...lines: string[]): void {
    for (const l of lines) {
      super.push(this.first ? l : '\n' + l);
      this.first = false;
    }
  }
}

/** The document in chunks: a BOM, then UTF-8 text. */
export function* referenceSdmxChunks(cube: Cube, options: SerializeOptions & { prepared?: Date }): Generator<Buffer, void, undefined> {
  yield Buffer.from([0xef, 0xbb, 0xbf]);
  const { meta, values, status } = cube;
  const lang = options.lang || meta.defaultLanguage;
  const rule = roundingRule(meta);
  const cd = cellDecimals(meta);
  const contents = contentsOf(meta);
  const timePos = meta.variables.findIndex((v) => v.role === 'time');
  const time = timePos >= 0 ? meta.variables[timePos] : undefined;
  const seriesPos = meta.variables.map((_, i) => i).filter((i) => i !== timePos);
  const matrix = meta.matrix ?? meta.id;
  const prepared = (options.prepared ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const freq = time?.timeUnit ? FREQ[time.timeUnit] : undefined;
  const oneContents = !contents || contents.variable.values.length === 1;

  const L = new Lines();
  L.push('<?xml version="1.0" encoding="utf-8"?>');
  L.push(
    '<GenericData xmlns:g="http://www.SDMX.org/resources/SDMXML/schemas/v2_0/generic" xmlns:c="http://www.SDMX.org/resources/SDMXML/schemas/v2_0/common" xmlns="http://www.SDMX.org/resources/SDMXML/schemas/v2_0/message">',
  );
  L.push('  <Header>', `    <ID>${escapeXml(sdmxId(matrix))}_DATA</ID>`, '    <Test>false</Test>', `    <Prepared>${prepared}</Prepared>`);
  L.push('    <Sender id="Statbank">', `      <Name xml:lang="${escapeXml(lang)}">${escapeXml(tx(meta, meta.source, lang))}</Name>`, '    </Sender>');
  L.push('    <KeyFamilyRef>N_x002F_A</KeyFamilyRef>', `    <DataSetID>${escapeXml(sdmxId(matrix))}</DataSetID>`, '  </Header>');
  L.push('  <DataSet>', `    <g:KeyFamilyRef>${escapeXml(sdmxId(matrix))}</g:KeyFamilyRef>`);
  if (oneContents) L.push(...attributes(meta, contents?.variable.values[0]?.code, cd.decimals[0] ?? 0, lang, '    '));

  const rows = comboOffsets(meta, seriesPos);
  const obs = time ? comboOffsets(meta, [timePos]) : Float64Array.of(0);
  const sizes = seriesPos.map((p) => meta.variables[p].values.length);
  const ids = seriesPos.map((p) => sdmxId(meta.variables[p].code));
  const codes = seriesPos.map((p) => meta.variables[p].values.map((x) => escapeXml(sdmxId(x.code))));
  const times = time ? time.values.map((x) => escapeXml(sdmxTime(x.code, time.timeUnit))) : [];
  const counter = new Int32Array(sizes.length);
  const contentsLevel = contents ? seriesPos.indexOf(contents.pos) : -1;
  const obsHead = Array.from({ length: obs.length }, (_, t) => '\n      <g:Obs>' + (time ? `\n        <g:Time>${times[t]}</g:Time>` : '') + '\n        <g:ObsValue value="');
  const obsTail = (flag: string) => `" />\n        <g:Attributes>\n          <g:Value concept="OBS_STATUS" value="${flag}" />\n        </g:Attributes>\n      </g:Obs>`;
  const OBS_TAIL_A = obsTail('A');
  const OBS_TAIL_M = obsTail('M');
  for (let r = 0; r < rows.length; r++) {
    L.push('    <g:Series>', '      <g:SeriesKey>');
    if (freq) L.push(`        <g:Value concept="FREQ" value="${freq}" />`);
    for (let k = 0; k < sizes.length; k++) L.push(`        <g:Value concept="${escapeXml(ids[k])}" value="${codes[k][counter[k]]}" />`);
    L.push('      </g:SeriesKey>');
    if (!oneContents && contentsLevel >= 0) {
      const ci = counter[contentsLevel];
      L.push(...attributes(meta, contents!.variable.values[ci].code, cd.decimals[ci], lang, '      '));
    }
    for (let t = 0; t < obs.length; t++) {
      const at = rows[r] + obs[t];
      const s = status ? status[at] : 0;
      const d = cd.uniform ? cd.decimals[0] : cd.decimals[Math.floor(at / cd.stride) % cd.size];
      // one string per observation: the same lines as pushing them one by one
      const value = s === Status.Value ? formatJsonNumber(values[at], d, rule) : s === Status.Nil ? '0' : 'NaN';
      L.raw(obsHead[t] + value + (s === Status.Value || s === Status.Nil ? OBS_TAIL_A : OBS_TAIL_M));
      if ((t & 1023) === 1023) {
        const chunk = L.take();
        if (chunk) yield chunk;
      }
    }
    L.push('    </g:Series>');
    if (sizes.length) advance(counter, sizes);
    const chunk = L.take();
    if (chunk) yield chunk;
  }
  const notes = noteTexts(meta, meta.notes, lang);
  if (notes.length) {
    L.push('    <g:Annotations>');
    for (const n of notes) L.push('      <c:Annotation>', `        <c:AnnotationText xml:lang="${escapeXml(lang)}">${escapeXml(n)}</c:AnnotationText>`, '      </c:Annotation>');
    L.push('    </g:Annotations>');
  }
  L.push('  </DataSet>', '</GenericData>');
  yield L.flush();
}

