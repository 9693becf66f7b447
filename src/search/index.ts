// Table search shared by API v1 and API v2.
export { parseSearchQuery, SearchSyntaxError, type SearchNode } from './queryParser.js';
export {
  searchTables,
  searchPage,
  matchRecord,
  indexFor,
  prepareIndex,
  discardPreparedIndex,
  preparedIndexSignature,
  searchIndexStats,
  storeSignature,
  inFolder,
  parseFieldFilter,
  SEARCH_FIELDS,
  IndexEvaluator,
  type SearchField,
  type SearchHit,
  type SearchOptions,
  type SearchPage,
  type SearchPageOptions,
} from './searchIndex.js';
export { fold, tokenize } from './text.js';
