// statbank convert: a table file from one format to another (PX or JSON-stat in; PX, JSON-stat, CSV, Arrow,
// Parquet or xlsx out).

import { writeFileSync } from 'node:fs';
import { outputFormatOf, readCubeFile, serializeCube } from '../../client/cubeFiles.js';
import type { CodesOrTexts } from '../../formats/serializer.js';
import type { Cli } from '../io.js';

export interface ConvertOptions {
  from?: string;
  to?: string;
  lang?: string;
  labels?: string;
  dataset?: string;
  id?: string;
}

export async function convert(cli: Cli, input: string, output: string, o: ConvertOptions): Promise<void> {
  const format = outputFormatOf(output, o.to);
  const dataset = o.dataset !== undefined && /^\d+$/.test(o.dataset) ? Number(o.dataset) : o.dataset;
  const { cube, warnings, format: from } = await readCubeFile(input, { from: o.from, id: o.id, lang: o.lang, dataset });
  for (const w of warnings) cli.err(`warning: ${w}`);
  const lang = o.lang !== undefined && cube.meta.languages.includes(o.lang) ? o.lang : undefined;
  const body = await serializeCube(cube, format, { lang, labels: o.labels as CodesOrTexts | undefined });
  writeFileSync(output, body);
  cli.err(`${input} (${from}) -> ${output} (${format}): table ${cube.meta.id}, ${cube.values.length.toLocaleString('en')} cells, ${body.length.toLocaleString('en')} bytes`);
}
