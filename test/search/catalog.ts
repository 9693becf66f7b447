// The search tests' catalogue, for any store (the in-memory index and the persistent ones answer alike).

import { build07459, simpleCube } from '../query/cube07459.js';
import type { Store } from '../../src/store/store.js';

export const TID: [string, string][] = [['2019', '2019'], ['2020', '2020']];

/** Fill a store with the search tests' catalogue: folders and seven tables of Statistics Norway's shape. */
export function fillCatalog<S extends Store>(s: S): S {
  s.putFolder('be', { no: 'Befolkning', en: 'Population' });
  s.putFolder('be/be01', { no: 'Folketall', en: 'Population count' });
  s.putFolder('sk', { no: 'Sosiale forhold og kriminalitet', en: 'Social conditions and crime' });
  s.putFolder('sk/sk02', { no: 'Kriminalitet', en: 'Crime' });
  s.putFolder('tr', { no: 'Transport', en: 'Transport' });
  s.putFolder('tr/tr01', { no: 'Godstransport', en: 'Freight' });
  s.putFolder('tr/tr01/kilt', { no: 'Kostnadsindeks lastebil', en: 'Cost index lorry' });
  s.putTable(build07459(), { folders: ['be/be01'], shortName: 'folkemengde', published: '2025-02-21T07:00:00Z' });
  s.putTable(
    simpleCube('10620', '10620: Siktede personer, etter statsborgerskap, kjønn, statistikkvariabel og år', [
      { code: 'Statsbrgskap', label: 'statsborgerskap', values: [['000', 'Norge'], ['120', 'Belarus']] },
      { code: 'Kjonn', label: 'kjønn', values: [['1', 'Menn'], ['2', 'Kvinner']], elimination: true },
      { code: 'Tid', label: 'år', values: TID, time: true },
    ]),
    { folders: ['sk/sk02'], published: '2018-06-02T08:00:00Z' },
  );
  s.putTable(
    simpleCube('08484', '08484: Straffereaksjoner, etter type reaksjon og år (avslutta serie)', [
      { code: 'Reaksjon', label: 'type reaksjon', values: [['01', 'Fengsel'], ['02', 'Bot']] },
      { code: 'Tid', label: 'år', values: TID, time: true },
    ]),
    { folders: ['sk/sk02'], published: '2018-06-05T08:00:00Z' },
  );
  s.putTable(
    simpleCube('09999', '09999: Innvandrere, etter landbakgrunn og statsborgerskap', [
      { code: 'Land', label: 'landbakgrunn', values: [['1', 'Sverige']] },
      { code: 'Tid', label: 'år', values: TID, time: true },
    ]),
    { folders: ['be/be01'], published: '2018-06-04T12:00:00Z' },
  );
  s.putTable(
    simpleCube(
      '12535',
      '12535: Totalkostnadsindeks for lastebiltransport, etter kostnadsart, alder og måned',
      [
        { code: 'Kostnad', label: 'kostnadsart', values: [['170', 'Drivstoff'], ['180', 'Lønn']] },
        { code: 'Tid', label: 'måned', values: [['2024M01', '2024M01']], time: true },
      ],
      { matrix: 'Kilt01' },
    ),
    { folders: ['tr/tr01/kilt'], published: '2025-01-10T07:00:00Z' },
  );
  s.putTable(
    simpleCube('13599', '13599: Kommunale utgifter, etter funksjon og år', [
      { code: 'Funksjon', label: 'funksjon', values: [['170', 'Administrasjon'], ['180', 'Diverse']] },
      { code: 'Tid', label: 'år', values: TID, time: true },
    ]),
    { folders: ['sk'], shortName: 'framskr2020t07', published: '2020-01-01T07:00:00Z' },
  );
  return s;
}


/** Queries that together use every part of the search syntax (the persistent indexes must answer them alike). */
export const QUERIES = [
  'statsborgerskap',
  'statsborgerskap kjønn',
  'fengsel OR belarus',
  'statsborgerskap NOT kjønn',
  '(fengsel OR belarus) AND bot',
  'funksjon AND 170',
  'title:statsborgerskap',
  'values:belarus',
  '"siktede personer"',
  '"personer siktede"',
  '"siktede pers"*',
  'statsborg*',
  'stat?borgerskap',
  '*borgerskap',
  'framskr2020t07',
  'kilt01',
  'kjonn',
  'maned',
  'codes:[0 TO 1]',
  'period:[2019 TO 2020]',
  'published:[20180601 TO 20180604*]',
  'published:2018*',
  'updated:[20250201 TO 20251231]',
  'nosuchword',
  '*',
  'NOT fengsel',
  'oslo',
  'menn OR kvinner OR år',
];
