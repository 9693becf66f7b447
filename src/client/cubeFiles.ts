// Cube files for the command line (`statbank convert`, `statbank fetch -o`): which format a path means, reading
// PX (streamed from disk by the PX reader) and JSON-stat 1.x/2.0, and writing PX, JSON-stat 2, CSV, Arrow,
// Parquet or xlsx through the format serializers.

import { readFile, writeFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Cube } from '../core/model.js';
import { readJsonStat } from '../formats/jsonStatReader.js';
import { readPxFile } from '../formats/px/reader.js';
import { formatOfExtension } from '../formats/formatFacts.js';
import { formatInfo, getSerializer } from '../formats/registry.js';
import type { CodesOrTexts, Serializer } from '../formats/serializer.js';

import { INPUT_FORMATS, OUTPUT_FORMATS, type InputFormat, type OutputFormat } from './outputFormats.js';

export { INPUT_FORMATS, OUTPUT_FORMATS, type InputFormat, type OutputFormat };

/** Other names of an extension (the registry knows each format's own: .px, .json, .csv, .xlsx, .parquet, .arrow ...). */
const EXTENSION_ALIASES: Record<string, string> = { '.jsonstat': 'json', '.feather': 'arrow', '.ipc': 'arrow', '.htm': 'html' };

const INPUT_BY_EXTENSION: Record<string, InputFormat> = { '.px': 'px', '.json': 'json-stat', '.jsonstat': 'json-stat' };

export class CubeFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CubeFileError';
  }
}

export function outputFormatOf(path: string, given?: string): OutputFormat {
  if (given) {
    const f = given.toLowerCase() === 'json' ? 'json-stat2' : given.toLowerCase();
    if (!(OUTPUT_FORMATS as readonly string[]).includes(f)) throw new CubeFileError(`unknown output format ${given} (one of ${OUTPUT_FORMATS.join(', ')})`);
    return f as OutputFormat;
  }
  const ext = extname(path).toLowerCase();
  const f = formatOfExtension(EXTENSION_ALIASES[ext] ?? ext);
  if (!f) {
    const known = [...new Set(OUTPUT_FORMATS.map((id) => '.' + formatInfo(id)!.extension))].join(', ');
    throw new CubeFileError(`cannot tell the output format from ${basename(path)}: name it ${known}, or say --to`);
  }
  return f;
}

export function inputFormatOf(path: string, given?: string): InputFormat {
  if (given) {
    const f = given.toLowerCase().startsWith('json') ? 'json-stat' : given.toLowerCase();
    if (!(INPUT_FORMATS as readonly string[]).includes(f)) throw new CubeFileError(`unknown input format ${given} (one of ${INPUT_FORMATS.join(', ')})`);
    return f as InputFormat;
  }
  const f = INPUT_BY_EXTENSION[extname(path).toLowerCase()];
  if (!f) throw new CubeFileError(`cannot tell the input format of ${basename(path)}: name it .px or .json, or say --from`);
  return f;
}

export interface ReadCubeOptions {
  from?: string;
  /** Table id (default: PX MATRIX / JSON-stat tableid, then the file name). */
  id?: string;
  /** JSON-stat: language of its texts (default its px.language, else "en"); PX: language of untagged entries. */
  lang?: string;
  /** JSON-stat bundle or collection: which dataset. */
  dataset?: string | number;
}

export async function readCubeFile(path: string, opts: ReadCubeOptions = {}): Promise<{ cube: Cube; warnings: string[]; format: InputFormat }> {
  const format = inputFormatOf(path, opts.from);
  if (format === 'px') {
    const r = await readPxFile(path, { id: opts.id, defaultLanguage: opts.lang });
    return { ...r, format };
  }
  const r = readJsonStat(await readFile(path), { id: opts.id, lang: opts.lang, dataset: opts.dataset });
  if (!opts.id && r.cube.meta.id === 'table') r.cube.meta.id = basename(path, extname(path));
  return { cube: r.cube, warnings: r.warnings, format };
}

function serializerOf(format: OutputFormat): { serializer: Serializer; api: 'cli' } {
  const serializer = getSerializer(format, 'cli');
  if (!serializer) throw new CubeFileError(`no writer for ${format}`);
  return { serializer, api: 'cli' };
}

export interface WriteCubeOptions {
  /** Language of the texts; PX without it keeps every language of the cube. */
  lang?: string;
  labels?: CodesOrTexts;
}

/** The bytes of a cube in `format`. */
export async function serializeCube(cube: Cube, format: OutputFormat, opts: WriteCubeOptions = {}): Promise<Buffer> {
  const { serializer, api } = serializerOf(format);
  const lang = opts.lang ?? (format === 'px' ? undefined : cube.meta.defaultLanguage);
  if (lang !== undefined && !cube.meta.languages.includes(lang)) {
    throw new CubeFileError(`the table has no language ${lang} (it has ${cube.meta.languages.join(', ')})`);
  }
  const out = await serializer.serialize(cube, { lang: lang as string, api, labels: opts.labels });
  return out.body;
}

export async function writeCubeFile(cube: Cube, path: string, format: OutputFormat, opts: WriteCubeOptions = {}): Promise<number> {
  const body = await serializeCube(cube, format, opts);
  await writeFile(path, body);
  return body.length;
}
