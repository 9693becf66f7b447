// The demo's headline template, on the external trade table 08799 (monthly, NOK million): the trade balance of
// the newest month in billions, as a wire service would print it. `statbank demo` stores it with the admin data.

import type { HeadlineDef } from './headlines.js';

export const DEMO_HEADLINES: readonly HeadlineDef[] = [
  {
    id: 'trade-balance',
    tableId: '08799',
    template: 'NORWAY {Tid:MONTH:en} TRADE SURPLUS NK{value:0.0} BLN',
    query: { Handelsstrom: 'HB', ContentsCode: 'Verdi', Tid: 'latest' },
    scale: 0.001,
    language: 'en',
  },
];
