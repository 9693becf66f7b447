// Text folding and tokenising shared by the search index and the query parser: both sides must fold alike.
// The definitions live beside the store (src/store/searchText.ts), whose persistent indexes tokenise the same way.
export { fold, tokenize, dateKey } from '../store/searchText.js';
