// Route schemas of the PxWebApi 2.0 endpoints, written after PxAPI-2.yml (same paths, methods, parameter
// names and status codes). They feed @fastify/swagger, which publishes the OpenAPI 3.1 document; requests are
// not validated against them (the handlers parse parameters themselves, case-insensitively, with the
// reference server's error bodies).

import { ALL_V2_PARAMS, formatIds } from '../../formats/formatFacts.js';

const problem = {
  type: 'object',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
  },
};

const link = {
  type: 'object',
  required: ['rel', 'hreflang', 'href'],
  properties: { rel: { type: 'string' }, hreflang: { type: 'string' }, href: { type: 'string' } },
};

const links = { type: 'array', items: link };

// the enums come from the format registry: a new v2 format is documented as soon as it is registered
const outputFormatEnum = [...formatIds('v2')].sort((a, b) => (a === 'px' ? -1 : b === 'px' ? 1 : 0));
const outputFormatParamEnum = [...ALL_V2_PARAMS];

const variableSelection = {
  type: 'object',
  required: ['variableCode', 'valueCodes'],
  properties: {
    variableCode: { type: 'string', description: 'The variable code (`TIME` names the time variable).' },
    codelist: { type: ['string', 'null'], description: 'A codelist to apply: `vs_<id>` (value set) or `agg_<id>` (grouping).' },
    valueCodes: {
      type: 'array',
      items: { type: 'string' },
      description: 'Value codes or selection expressions: `*`, `?`, `top(n[,o])`, `bottom(n[,o])`, `range(a,b)`, `from(a)`, `to(a)`.',
    },
  },
};

const placement = {
  type: 'object',
  properties: {
    heading: { type: 'array', items: { type: 'string' } },
    stub: { type: 'array', items: { type: 'string' } },
  },
};

const variablesSelection = {
  type: 'object',
  required: ['selection'],
  properties: { selection: { type: 'array', items: variableSelection }, placement },
};

const selectionResponse = {
  type: 'object',
  required: ['links'],
  properties: { language: { type: 'string' }, links, selection: { type: 'array', items: variableSelection }, placement },
};

const savedQuery = {
  type: 'object',
  required: ['selection', 'language', 'tableId'],
  properties: {
    id: { type: 'string' },
    selection: variablesSelection,
    language: { type: 'string' },
    tableId: { type: 'string' },
    outputFormat: { type: 'string', enum: outputFormatEnum },
    outputFormatParams: { type: 'array', items: { type: 'string', enum: outputFormatParamEnum } },
  },
};

const savedQueryResponse = {
  type: 'object',
  required: ['language', 'id', 'savedQuery', 'links'],
  properties: { language: { type: 'string' }, id: { type: 'string' }, savedQuery, links },
};

const pathElement = {
  type: 'object',
  required: ['id', 'label'],
  properties: { id: { type: 'string' }, label: { type: 'string' }, sortCode: { type: 'string' } },
};

const tableProps = {
  id: { type: 'string' },
  label: { type: ['string', 'null'] },
  description: { type: ['string', 'null'] },
  sortCode: { type: 'string' },
  updated: { type: ['string', 'null'], format: 'date-time' },
  firstPeriod: { type: ['string', 'null'] },
  lastPeriod: { type: ['string', 'null'] },
  category: { type: 'string', enum: ['internal', 'public', 'private', 'section'] },
  variableNames: { type: 'array', items: { type: 'string' } },
  discontinued: { type: ['boolean', 'null'] },
  source: { type: 'string' },
  subjectCode: { type: 'string' },
  timeUnit: { type: 'string', enum: ['Annual', 'Quarterly', 'Monthly', 'Weekly', 'Other'] },
  paths: { type: 'array', items: { type: 'array', items: pathElement } },
  links,
};

const table = { type: 'object', required: ['id', 'label', 'updated', 'firstPeriod', 'lastPeriod', 'variableNames', 'links'], properties: tableProps };

const tablesResponse = {
  type: 'object',
  required: ['language', 'tables', 'page'],
  properties: {
    language: { type: 'string' },
    tables: { type: 'array', items: table },
    page: {
      type: 'object',
      required: ['pageNumber', 'pageSize', 'totalElements', 'totalPages'],
      properties: {
        pageNumber: { type: 'integer' },
        pageSize: { type: 'integer' },
        totalElements: { type: 'integer' },
        totalPages: { type: 'integer' },
        links,
      },
    },
    links,
  },
};

const tableResponse = { type: 'object', required: ['language', ...table.required], properties: { language: { type: 'string' }, ...tableProps } };

const dataset = {
  type: 'object',
  description: 'JSON-stat 2.0 dataset with PxWeb extensions (`value` is empty for metadata).',
  required: ['version', 'class', 'value', 'id', 'size', 'dimension'],
  properties: {
    version: { type: 'string', enum: ['2.0'] },
    class: { type: 'string', enum: ['dataset'] },
    label: { type: 'string' },
    source: { type: 'string' },
    updated: { type: 'string' },
    note: { type: 'array', items: { type: 'string' } },
    role: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
    id: { type: 'array', items: { type: 'string' } },
    size: { type: 'array', items: { type: 'integer' } },
    dimension: { type: 'object', additionalProperties: { type: 'object' } },
    extension: { type: 'object' },
    value: { type: ['array', 'null'], items: { type: ['number', 'null'] } },
    status: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

const configResponse = {
  type: 'object',
  required: ['apiVersion', 'appVersion', 'languages', 'defaultLanguage', 'maxDataCells', 'maxCallsPerTimeWindow', 'timeWindow', 'license', 'defaultDataFormat', 'dataFormats'],
  properties: {
    apiVersion: { type: 'string' },
    appVersion: { type: 'string' },
    languages: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, label: { type: 'string' } } } },
    defaultLanguage: { type: 'string' },
    maxDataCells: { type: 'integer' },
    maxCallsPerTimeWindow: { type: 'integer' },
    timeWindow: { type: 'integer' },
    license: { type: 'string' },
    sourceReferences: { type: 'array', items: { type: 'object', properties: { language: { type: 'string' }, text: { type: 'string' } } } },
    defaultDataFormat: { type: 'string' },
    dataFormats: { type: 'array', items: { type: 'string' } },
    features: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          params: { type: 'array', items: { type: 'object', properties: { key: { type: 'string' }, value: { type: 'string' } } } },
        },
      },
    },
  },
};

const codelistResponse = {
  type: 'object',
  required: ['id', 'label', 'language', 'languages', 'type', 'values', 'links'],
  properties: {
    id: { type: 'string' },
    label: { type: 'string' },
    language: { type: 'string' },
    languages: { type: 'array', items: { type: 'string' } },
    elimination: { type: 'boolean' },
    eliminationValueCode: { type: 'string' },
    type: { type: 'string', enum: ['Aggregation', 'Valueset'] },
    values: {
      type: 'array',
      items: {
        type: 'object',
        required: ['code', 'label', 'valueMap'],
        properties: {
          code: { type: 'string' },
          label: { type: 'string' },
          valueMap: { type: 'array', items: { type: 'string' } },
          notes: { type: 'array', items: { type: 'object', properties: { mandatory: { type: 'boolean' }, text: { type: 'string' } } } },
        },
      },
    },
    links,
  },
};

const json = (schema: object, description = 'Success') => ({ description, content: { 'application/json': { schema } } });
const err = (code: number) => ({ description: `Error response for ${code}`, content: { 'application/problem+json': { schema: problem } } });
const dataOk = {
  description: 'Success',
  content: {
    'application/json': { schema: { type: 'string' } },
    'text/plain': { schema: { type: 'string' } },
    'application/xml': { schema: { type: 'string', format: 'binary' } },
    'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
  },
};

// query parameters
const lang = { type: ['string', 'null'], description: 'The language if the default is not what you want.' };
const outputFormat = { type: 'string', enum: outputFormatEnum, description: 'Output format (default json-stat2).' };
const outputFormatParams = {
  type: 'array',
  items: { type: 'string', enum: outputFormatParamEnum },
  description: 'Output format parameters, comma separated or repeated (case-insensitive).',
};
const idParam = { type: 'object', required: ['id'], properties: { id: { type: 'string', description: 'Id' } } };
const deepObject = (items: object, description: string) => ({ type: 'object', additionalProperties: items, style: 'deepObject', explode: true, description });
const commaArray = (description: string) => ({ type: 'array', items: { type: 'string' }, style: 'form', explode: false, description });

const tags = { tables: ['Tables'], saved: ['Saved Queries'], codelists: ['Codelists'], config: ['Configuration'] };

export const schemas = {
  config: {
    tags: tags.config,
    summary: 'Get API configuration.',
    operationId: 'GetApiConfiguration',
    response: { 200: json(configResponse), 400: err(400), 404: err(404), 429: err(429) },
  },
  tables: {
    tags: tags.tables,
    summary: 'Get all Tables.',
    operationId: 'ListAllTables',
    querystring: {
      type: 'object',
      properties: {
        lang,
        query: { type: 'string', description: 'Selects only tables that match a search query (words, field:value, AND/OR/NOT, "phrases", prefix*).' },
        pastDays: { type: 'integer', minimum: 1, description: 'Only tables updated during the last pastDays days.' },
        includeDiscontinued: { type: 'boolean', default: false, description: 'Include discontinued tables.' },
        pageNumber: { type: 'integer', default: 1, description: 'Pagination: page number to return.' },
        pageSize: { type: 'integer', description: 'Pagination: tables per page.' },
      },
    },
    response: { 200: json(tablesResponse) },
  },
  table: {
    tags: tags.tables,
    summary: 'Get Table by {id}.',
    operationId: 'GetTableById',
    querystring: { type: 'object', properties: { lang } },
    params: idParam,
    response: { 200: json(tableResponse), 400: err(400), 404: err(404), 429: err(429) },
  },
  versions: {
    tags: tags.tables,
    summary: 'List the released versions of table {id} with their release times (Statbank extension).',
    operationId: 'GetTableVersions',
    querystring: { type: 'object', properties: { lang } },
    params: idParam,
    response: {
      200: json({
        type: 'object',
        properties: {
          id: { type: 'string' },
          language: { type: 'string' },
          versions: {
            type: 'array',
            items: {
              type: 'object',
              properties: { version: { type: 'integer' }, released: { type: 'string', format: 'date-time' }, label: { type: 'string' }, current: { type: 'boolean' } },
            },
          },
          links: { type: 'array', items: { type: 'object' } },
        },
      }),
      404: err(404),
      429: err(429),
    },
  },
  metadata: {
    tags: tags.tables,
    summary: 'Get metadata about table by {id}.',
    operationId: 'GetMetadataById',
    querystring: {
      type: 'object',
      properties: {
        lang,
        defaultSelection: { type: 'boolean', default: false, description: 'Describe the table as the default selection shows it (its default codelists).' },
        savedQuery: { type: ['string', 'null'], description: 'Apply the codelists of a saved query before describing the table.' },
        codelist: deepObject({ type: 'string' }, 'codelist[VARIABLE]=vs_… or agg_…: the codelist to apply to a variable.'),
      },
    },
    params: idParam,
    response: { 200: json(dataset), 400: err(400), 404: err(404), 429: err(429) },
  },
  defaultSelection: {
    tags: tags.tables,
    summary: 'Get the default selection for table by {id}.',
    operationId: 'GetDefaultSelection',
    querystring: { type: 'object', properties: { lang } },
    params: idParam,
    response: { 200: json(selectionResponse), 400: err(400), 404: err(404), 429: err(429) },
  },
  dataGet: {
    tags: tags.tables,
    summary: 'Get data for table by {id}.',
    description: 'Without valuecodes the default selection applies. Value lists are comma separated; wrap items containing commas in brackets: `[range(2020,2024)]`.',
    operationId: 'GetTableData',
    querystring: {
      type: 'object',
      properties: {
        lang,
        valuecodes: deepObject({ type: 'array', items: { type: 'string' } }, 'valuecodes[VARIABLE]=codes or expressions'),
        codelist: deepObject({ type: 'string' }, 'codelist[VARIABLE]=vs_… or agg_…'),
        outputFormat,
        outputFormatParams,
        heading: commaArray('Comma separated list of variable codes that should be placed in the heading in the resulting data'),
        stub: commaArray('Comma separated list of variable codes that should be placed in the stub in the resulting data'),
      },
    },
    params: idParam,
    response: { 200: dataOk, 400: err(400), 403: err(403), 404: err(404), 429: err(429) },
  },
  dataPost: {
    tags: tags.tables,
    summary: 'Get data for table by {id}.',
    operationId: 'GetTableDataByPost',
    querystring: { type: 'object', properties: { lang, outputFormat, outputFormatParams } },
    params: idParam,
    body: { ...variablesSelection, description: 'A selection; without one the default selection applies.' },
    response: { 200: dataOk, 400: err(400), 403: err(403), 404: err(404), 429: err(429) },
  },
  codelist: {
    tags: tags.codelists,
    summary: 'Get codelist by {id}.',
    operationId: 'GetCodelistById',
    querystring: { type: 'object', properties: { lang } },
    params: idParam,
    response: { 200: json(codelistResponse), 400: err(400), 404: err(404), 429: err(429) },
  },
  savedQueryCreate: {
    tags: tags.saved,
    summary: 'Save a query for later use.',
    operationId: 'CreateSaveQuery',
    body: { ...savedQuery, description: 'A saved query in JSON format without an Id.' },
    response: { 201: json(savedQueryResponse, 'Saved query created and returned with the id specified.'), 400: err(400), 429: err(429) },
  },
  savedQuery: {
    tags: tags.saved,
    summary: 'Retrieves the content of a saved query.',
    operationId: 'GetSaveQuery',
    params: idParam,
    response: { 200: json(savedQueryResponse), 400: err(400), 404: err(404), 429: err(429) },
  },
  savedQueryData: {
    tags: tags.saved,
    summary: 'Retrieves the data by running the saved query.',
    operationId: 'RunSaveQuery',
    querystring: { type: 'object', properties: { lang, outputFormat, outputFormatParams } },
    params: idParam,
    response: { 200: dataOk, 400: err(400), 403: err(403), 404: err(404), 429: err(429) },
  },
  savedQuerySelection: {
    tags: tags.saved,
    summary: 'Retrieves the selection that the saved query will result in, with expressions expanded to value codes.',
    operationId: 'GetSavedQuerySelection',
    querystring: { type: 'object', properties: { lang } },
    params: idParam,
    response: { 200: json(selectionResponse), 400: err(400), 403: err(403), 404: err(404), 429: err(429) },
  },
};

type Param = { schema?: Record<string, unknown>; style?: unknown; explode?: unknown };

/** Query parameters carry `style`/`explode` in their schema here; OpenAPI wants them on the parameter. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the plugin's document types are a union of OpenAPI versions
function hoistParameterStyles(doc: object): any {
  const openapiObject = (doc as { openapiObject?: Record<string, unknown> }).openapiObject ?? {};
  const paths = (openapiObject.paths ?? {}) as Record<string, Record<string, { parameters?: Param[] }>>;
  for (const item of Object.values(paths)) {
    for (const op of Object.values(item)) {
      for (const p of op?.parameters ?? []) {
        if (!p.schema) continue;
        for (const k of ['style', 'explode'] as const) {
          if (k in p.schema) {
            p[k] = p.schema[k];
            delete p.schema[k];
          }
        }
      }
    }
  }
  return openapiObject;
}

/** @fastify/swagger options: OpenAPI 3.1 with paths relative to the /api/v2 server. */
export function swaggerOptions(version: string) {
  return {
    transformObject: hoistParameterStyles,
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'PxApi',
        version: '2.0',
        description: `PxWebApi 2.0 as served by Statbank ${version}: find a table and extract table metadata and data. Also served under /api/pxwebapi/v2.`,
      },
      servers: [{ url: '/api/v2' }],
      tags: [
        { name: 'Tables', description: 'See information about tables and extract table data.' },
        { name: 'Saved Queries', description: 'Save a query for later use.' },
        { name: 'Codelists', description: 'See information about codelists.' },
        { name: 'Configuration', description: 'The API configuration.' },
      ],
    },
  };
}
