// SDMX-ML 2.0 GenericData (API v1 `sdmx`), shaped like PxWeb's SdmxDataSerializer: a header, one
// g:Series per combination of the non-time variables (FREQ first in the key), one g:Obs per time
// period with g:Time, g:ObsValue and an OBS_STATUS attribute, table notes as annotations.
// UTF-8 with BOM, two-space indentation.

import { Status, type Cube, type TableMeta, type TimeUnit } from '../core/model.js';
import { advance, comboOffsets, contentsOf, noteTexts, tx, unitText } from './cubeText.js';
import { MAX_NUMBER_BYTES, cellDecimals, roundingRule, writeJsonNumber } from './numberFormat.js';
import type { SerializeOptions, SerializedBody, SerializedStream, Serializer } from './serializer.js';
import { CHUNK_BYTES, collect, paced } from './streaming.js';
import { escapeXmlText } from './xmlText.js';

const FREQ: Partial<Record<TimeUnit, string>> = { A: 'A', H: 'S', Q: 'Q', M: 'M', W: 'W', D: 'D' };

export function escapeXml(s: string): string {
  return escapeXmlText(s);
}

/** Codes and variable names as SDMX identifiers: letters, digits, '_' and '-' only. */
export function sdmxId(s: string): string {
  const out = s.replace(/[^A-Za-z0-9_-]/g, '');
  return out === '' ? '_' : out;
}

/** A PX time code in SDMX 2.0 notation: 2006M01 -> 2006-01, 2006K1/2006Q1 -> 2006-Q1, 2006U05 -> 2006-W05. */
export function sdmxTime(code: string, unit: TimeUnit | undefined): string {
  const m = /^(\d{4})([A-Za-z])(\d{1,2})$/.exec(code);
  if (!m) return code;
  const [, y, letter, n] = m;
  const L = letter.toUpperCase();
  if (unit === 'M' || L === 'M') return `${y}-${n.padStart(2, '0')}`;
  if (unit === 'Q' || L === 'Q' || L === 'K') return `${y}-Q${Number(n)}`;
  if (unit === 'H' || L === 'H') return `${y}-B${Number(n)}`;
  if (unit === 'W' || L === 'U' || L === 'W') return `${y}-W${n.padStart(2, '0')}`;
  if (unit === 'T' || L === 'T') return `${y}-T${Number(n)}`;
  return code;
}

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

export function sdmxGenericData(cube: Cube, options: SerializeOptions & { prepared?: Date }): Buffer {
  return collect(sdmxChunks(cube, options));
}

/**
 * Bytes into chunk buffers of about CHUNK_BYTES. The fixed pieces of an observation (its head per period, the two
 * tails) are encoded once and kept in the tail of every chunk buffer, so each copy is a move inside one buffer.
 */
class XmlBytes {
  buf: Buffer;
  pos = 0;
  private readonly limit: number;
  constructor(
    private readonly pieces: Buffer,
    private readonly slack: number,
  ) {
    this.limit = CHUNK_BYTES;
    this.buf = this.fresh(CHUNK_BYTES + slack);
  }
  private fresh(room: number): Buffer {
    const b = Buffer.allocUnsafe(room + this.pieces.length);
    this.pieces.copy(b, room);
    return b;
  }
  /** Where the pieces start in the current buffer. */
  get piecesAt(): number {
    return this.buf.length - this.pieces.length;
  }
  /** Room for n more bytes in front of the pieces (a long text may need a bigger buffer). */
  room(n: number): void {
    if (this.pos + n > this.piecesAt) {
      const b = this.fresh(Math.max(this.piecesAt * 2, this.pos + n));
      this.buf.copy(b, 0, 0, this.pos);
      this.buf = b;
    }
  }
  text(s: string): void {
    this.room(s.length * 3);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }
  full(): boolean {
    return this.pos >= this.limit;
  }
  take(): Buffer {
    const b = this.buf.subarray(0, this.pos);
    this.buf = this.fresh(CHUNK_BYTES + this.slack);
    this.pos = 0;
    return b;
  }
}

/** The document in chunks: a BOM, then UTF-8 text, lines joined by '\n'. */
export function* sdmxChunks(cube: Cube, options: SerializeOptions & { prepared?: Date }): Generator<Buffer, void, undefined> {
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

  const rows = comboOffsets(meta, seriesPos);
  const obs = time ? comboOffsets(meta, [timePos]) : Float64Array.of(0);
  const sizes = seriesPos.map((p) => meta.variables[p].values.length);
  const ids = seriesPos.map((p) => sdmxId(meta.variables[p].code));
  const codes = seriesPos.map((p) => meta.variables[p].values.map((x) => escapeXml(sdmxId(x.code))));
  const times = time ? time.values.map((x) => escapeXml(sdmxTime(x.code, time.timeUnit))) : [];
  const counter = new Int32Array(sizes.length);
  const contentsLevel = contents ? seriesPos.indexOf(contents.pos) : -1;

  // fixed pieces, encoded once: the head of an observation per period, then the tails with status A and M
  const obsTail = (flag: string) => `" />\n        <g:Attributes>\n          <g:Value concept="OBS_STATUS" value="${flag}" />\n        </g:Attributes>\n      </g:Obs>`;
  const pieceList = [
    ...Array.from({ length: obs.length }, (_, t) => '\n      <g:Obs>' + (time ? `\n        <g:Time>${times[t]}</g:Time>` : '') + '\n        <g:ObsValue value="'),
    obsTail('A'),
    obsTail('M'),
  ].map((s) => Buffer.from(s, 'utf8'));
  const pieceAt = new Int32Array(pieceList.length);
  const pieceLen = new Int32Array(pieceList.length);
  let maxPiece = 0;
  for (let i = 0, at = 0; i < pieceList.length; i++) {
    pieceAt[i] = at;
    pieceLen[i] = pieceList[i].length;
    at += pieceList[i].length;
    if (pieceList[i].length > maxPiece) maxPiece = pieceList[i].length;
  }
  const TAIL_A = obs.length;
  const TAIL_M = obs.length + 1;
  const obsMax = 2 * maxPiece + MAX_NUMBER_BYTES;
  const out = new XmlBytes(Buffer.concat(pieceList), obsMax);

  let first = true;
  const lines = (...ls: string[]) => {
    for (const l of ls) {
      out.text(first ? l : '\n' + l);
      first = false;
    }
  };
  lines('<?xml version="1.0" encoding="utf-8"?>');
  lines(
    '<GenericData xmlns:g="http://www.SDMX.org/resources/SDMXML/schemas/v2_0/generic" xmlns:c="http://www.SDMX.org/resources/SDMXML/schemas/v2_0/common" xmlns="http://www.SDMX.org/resources/SDMXML/schemas/v2_0/message">',
  );
  lines('  <Header>', `    <ID>${escapeXml(sdmxId(matrix))}_DATA</ID>`, '    <Test>false</Test>', `    <Prepared>${prepared}</Prepared>`);
  lines('    <Sender id="Statbank">', `      <Name xml:lang="${escapeXml(lang)}">${escapeXml(tx(meta, meta.source, lang))}</Name>`, '    </Sender>');
  lines('    <KeyFamilyRef>N_x002F_A</KeyFamilyRef>', `    <DataSetID>${escapeXml(sdmxId(matrix))}</DataSetID>`, '  </Header>');
  lines('  <DataSet>', `    <g:KeyFamilyRef>${escapeXml(sdmxId(matrix))}</g:KeyFamilyRef>`);
  if (oneContents) lines(...attributes(meta, contents?.variable.values[0]?.code, cd.decimals[0] ?? 0, lang, '    '));

  const nObs = obs.length;
  for (let r = 0; r < rows.length; r++) {
    let head = '\n    <g:Series>\n      <g:SeriesKey>';
    if (freq) head += `\n        <g:Value concept="FREQ" value="${freq}" />`;
    for (let k = 0; k < sizes.length; k++) head += `\n        <g:Value concept="${escapeXml(ids[k])}" value="${codes[k][counter[k]]}" />`;
    head += '\n      </g:SeriesKey>';
    if (!oneContents && contentsLevel >= 0) {
      const ci = counter[contentsLevel];
      head += '\n' + attributes(meta, contents!.variable.values[ci].code, cd.decimals[ci], lang, '      ').join('\n');
    }
    out.text(head);
    const rowAt = rows[r];
    for (let t = 0; t < nObs; t++) {
      if (out.pos + obsMax > out.piecesAt) {
        if (out.full()) yield out.take();
        out.room(obsMax);
      }
      const buf = out.buf;
      const base = out.piecesAt;
      const at = rowAt + obs[t];
      const s = status ? status[at] : 0;
      let pos = out.pos;
      buf.copyWithin(pos, base + pieceAt[t], base + pieceAt[t] + pieceLen[t]);
      pos += pieceLen[t];
      let tail = TAIL_A;
      if (s === Status.Value) {
        const v = values[at];
        const d = cd.uniform ? cd.decimals[0] : cd.decimals[Math.floor(at / cd.stride) % cd.size];
        if (v === v && v !== Infinity && v !== -Infinity) pos = writeJsonNumber(buf, pos, v, d, rule);
        else pos += buf.write('null', pos, 'latin1');
      } else if (s === Status.Nil) buf[pos++] = 0x30;
      else {
        pos += buf.write('NaN', pos, 'latin1');
        tail = TAIL_M;
      }
      buf.copyWithin(pos, base + pieceAt[tail], base + pieceAt[tail] + pieceLen[tail]);
      out.pos = pos + pieceLen[tail];
    }
    out.text('\n    </g:Series>');
    if (sizes.length) advance(counter, sizes);
    if (out.full()) yield out.take();
  }
  const notes = noteTexts(meta, meta.notes, lang);
  if (notes.length) {
    lines('    <g:Annotations>');
    for (const n of notes) lines('      <c:Annotation>', `        <c:AnnotationText xml:lang="${escapeXml(lang)}">${escapeXml(n)}</c:AnnotationText>`, '      </c:Annotation>');
    lines('    </g:Annotations>');
  }
  lines('  </DataSet>', '</GenericData>');
  yield out.take();
}

const SDMX_CONTENT_TYPE = 'text/xml; charset=Windows-1252';

export const sdmxSerializer: Serializer = {
  id: 'sdmx',
  serialize: (cube: Cube, options: SerializeOptions): SerializedBody => ({
    body: sdmxGenericData(cube, options),
    contentType: SDMX_CONTENT_TYPE,
    extension: 'xml',
  }),
  stream: (cube: Cube, options: SerializeOptions): SerializedStream => ({
    contentType: SDMX_CONTENT_TYPE,
    extension: 'xml',
    chunks: paced(sdmxChunks(cube, options), options.signal),
  }),
};
