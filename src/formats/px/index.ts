// PX (PC-Axis) reading and writing.
export { PxError } from './errors.js';
export { readPx, readPxFile, readPxSync, type ReadPxOptions, type ReadPxResult } from './reader.js';
export { pxSerializer, writePx, type WritePxOptions } from './writer.js';
export { lex, type PxEntry, type PxItem, type LexResult } from './lexer.js';
