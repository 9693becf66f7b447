// The file formats the command line reads and writes, apart from the code that does it (cubeFiles.ts), so the
// CLI can list them in --help without loading the serializers.

export const INPUT_FORMATS = ['px', 'json-stat'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];
export const OUTPUT_FORMATS = ['px', 'json-stat2', 'json-stat', 'csv', 'arrow', 'parquet', 'xlsx'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
