// The file formats the command line reads and writes, apart from the code that does it (cubeFiles.ts), so the
// CLI can list them in --help without loading the serializers. Output formats are the registry's `cli` formats.

import { formatIds } from '../formats/formatFacts.js';

export const INPUT_FORMATS = ['px', 'json-stat'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];
export const OUTPUT_FORMATS: readonly string[] = formatIds('cli');
export type OutputFormat = string;
