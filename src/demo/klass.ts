// The Klass classifications of the demo: what /api/klass/v1 serves out of the box.
//
// DEMO DATA, realistic in shape. The codes and names are real facts: the municipality lists of Standard for
// kommuneinndeling (131) for 2015-2024 with every change between them (compiled from Klass's own code history as
// klassR exports it), the counties (104), SN2007 (6: all sections and divisions, and every level below divisions 03
// and 62) and marital status (19). Everything else is made up for the demo and says so: ids (except a few known
// real ones), descriptions, notes, contact persons, families, timestamps, the "Hovednæringer" variant.
//
// Storage: the demo is built from this module when the server starts (see src/api/klass/routes.ts). It is small
// (a few thousand codes), read-only and deterministic, so it needs no table in the SQLite file and no migration;
// another source can hand its own KlassData to the routes.

import type {
  Classification,
  ClassificationFamily,
  ClassificationVariant,
  ClassificationVersion,
  ContactPerson,
  CorrespondenceMap,
  CorrespondenceTable,
  KlassData,
  KlassItem,
  KlassLevel,
  Lang,
  Text,
} from '../klass/model.js';

const CONTACT: ContactPerson = { name: 'Demo, Statbank', email: 'klass-demo@statbank.example' };
const ALL: Lang[] = ['nb', 'nn', 'en'];
const POPULATION = '320';
const BUSINESS = '423';
const DEMO_NB = 'Demodata i Statbank: ';
const DEMO_NN = 'Demodata i Statbank: ';
const DEMO_EN = 'Statbank demo data: ';

const same = (s: string): Text => ({ nb: s, nn: s, en: s });
const level = (levelNumber: number, nb: string, en: string, nn = nb): KlassLevel => ({ levelNumber, levelName: { nb, nn, en } });

// --- families -------------------------------------------------------------------------------------------------

const FAMILIES: ClassificationFamily[] = [
  { id: 1, name: { nb: 'Befolkning', nn: 'Befolkning', en: 'Population' } },
  { id: 2, name: { nb: 'Regionale inndelinger', nn: 'Regionale inndelingar', en: 'Regional classifications' } },
  { id: 3, name: { nb: 'Virksomheter', nn: 'Verksemder', en: 'Enterprises' } },
  { id: 4, name: { nb: 'Organisasjon', nn: 'Organisasjon', en: 'Organisation' } },
];

// --- 131 Standard for kommuneinndeling ------------------------------------------------------------------------

/** Municipalities valid 2019 ("code name" per line, 422 municipalities + 9999). */
const MUNICIPALITIES_2019 = `0101 Halden
0104 Moss
0105 Sarpsborg
0106 Fredrikstad
0111 Hvaler
0118 Aremark
0119 Marker
0121 Rømskog
0122 Trøgstad
0123 Spydeberg
0124 Askim
0125 Eidsberg
0127 Skiptvet
0128 Rakkestad
0135 Råde
0136 Rygge
0137 Våler (Østfold)
0138 Hobøl
0211 Vestby
0213 Ski
0214 Ås
0215 Frogn
0216 Nesodden
0217 Oppegård
0219 Bærum
0220 Asker
0221 Aurskog-Høland
0226 Sørum
0227 Fet
0228 Rælingen
0229 Enebakk
0230 Lørenskog
0231 Skedsmo
0233 Nittedal
0234 Gjerdrum
0235 Ullensaker
0236 Nes (Akershus)
0237 Eidsvoll
0238 Nannestad
0239 Hurdal
0301 Oslo
0402 Kongsvinger
0403 Hamar
0412 Ringsaker
0415 Løten
0417 Stange
0418 Nord-Odal
0419 Sør-Odal
0420 Eidskog
0423 Grue
0425 Åsnes
0426 Våler (Hedmark)
0427 Elverum
0428 Trysil
0429 Åmot
0430 Stor-Elvdal
0432 Rendalen
0434 Engerdal
0436 Tolga
0437 Tynset
0438 Alvdal
0439 Folldal
0441 Os (Hedmark)
0501 Lillehammer
0502 Gjøvik
0511 Dovre
0512 Lesja
0513 Skjåk
0514 Lom
0515 Vågå
0516 Nord-Fron
0517 Sel
0519 Sør-Fron
0520 Ringebu
0521 Øyer
0522 Gausdal
0528 Østre Toten
0529 Vestre Toten
0532 Jevnaker
0533 Lunner
0534 Gran
0536 Søndre Land
0538 Nordre Land
0540 Sør-Aurdal
0541 Etnedal
0542 Nord-Aurdal
0543 Vestre Slidre
0544 Øystre Slidre
0545 Vang
0602 Drammen
0604 Kongsberg
0605 Ringerike
0612 Hole
0615 Flå
0616 Nes (Buskerud)
0617 Gol
0618 Hemsedal
0619 Ål
0620 Hol
0621 Sigdal
0622 Krødsherad
0623 Modum
0624 Øvre Eiker
0625 Nedre Eiker
0626 Lier
0627 Røyken
0628 Hurum
0631 Flesberg
0632 Rollag
0633 Nore og Uvdal
0701 Horten
0704 Tønsberg
0710 Sandefjord
0711 Svelvik
0712 Larvik
0713 Sande (Vestfold)
0715 Holmestrand
0716 Re
0729 Færder
0805 Porsgrunn
0806 Skien
0807 Notodden
0811 Siljan
0814 Bamble
0815 Kragerø
0817 Drangedal
0819 Nome
0821 Bø (Telemark)
0822 Sauherad
0826 Tinn
0827 Hjartdal
0828 Seljord
0829 Kviteseid
0830 Nissedal
0831 Fyresdal
0833 Tokke
0834 Vinje
0901 Risør
0904 Grimstad
0906 Arendal
0911 Gjerstad
0912 Vegårshei
0914 Tvedestrand
0919 Froland
0926 Lillesand
0928 Birkenes
0929 Åmli
0935 Iveland
0937 Evje og Hornnes
0938 Bygland
0940 Valle
0941 Bykle
1001 Kristiansand
1002 Mandal
1003 Farsund
1004 Flekkefjord
1014 Vennesla
1017 Songdalen
1018 Søgne
1021 Marnardal
1026 Åseral
1027 Audnedal
1029 Lindesnes
1032 Lyngdal
1034 Hægebostad
1037 Kvinesdal
1046 Sirdal
1101 Eigersund
1102 Sandnes
1103 Stavanger
1106 Haugesund
1111 Sokndal
1112 Lund
1114 Bjerkreim
1119 Hå
1120 Klepp
1121 Time
1122 Gjesdal
1124 Sola
1127 Randaberg
1129 Forsand
1130 Strand
1133 Hjelmeland
1134 Suldal
1135 Sauda
1141 Finnøy
1142 Rennesøy
1144 Kvitsøy
1145 Bokn
1146 Tysvær
1149 Karmøy
1151 Utsira
1160 Vindafjord
1201 Bergen
1211 Etne
1216 Sveio
1219 Bømlo
1221 Stord
1222 Fitjar
1223 Tysnes
1224 Kvinnherad
1227 Jondal
1228 Odda
1231 Ullensvang
1232 Eidfjord
1233 Ulvik
1234 Granvin
1235 Voss
1238 Kvam
1241 Fusa
1242 Samnanger
1243 Os (Hordaland)
1244 Austevoll
1245 Sund
1246 Fjell
1247 Askøy
1251 Vaksdal
1252 Modalen
1253 Osterøy
1256 Meland
1259 Øygarden
1260 Radøy
1263 Lindås
1264 Austrheim
1265 Fedje
1266 Masfjorden
1401 Flora
1411 Gulen
1412 Solund
1413 Hyllestad
1416 Høyanger
1417 Vik
1418 Balestrand
1419 Leikanger
1420 Sogndal
1421 Aurland
1422 Lærdal
1424 Årdal
1426 Luster
1428 Askvoll
1429 Fjaler
1430 Gaular
1431 Jølster
1432 Førde
1433 Naustdal
1438 Bremanger
1439 Vågsøy
1441 Selje
1443 Eid
1444 Hornindal
1445 Gloppen
1449 Stryn
1502 Molde
1504 Ålesund
1505 Kristiansund
1511 Vanylven
1514 Sande (Møre og Romsdal)
1515 Herøy (Møre og Romsdal)
1516 Ulstein
1517 Hareid
1519 Volda
1520 Ørsta
1523 Ørskog
1524 Norddal
1525 Stranda
1526 Stordal
1528 Sykkylven
1529 Skodje
1531 Sula
1532 Giske
1534 Haram
1535 Vestnes
1539 Rauma
1543 Nesset
1545 Midsund
1546 Sandøy
1547 Aukra
1548 Fræna
1551 Eide
1554 Averøy
1557 Gjemnes
1560 Tingvoll
1563 Sunndal
1566 Surnadal
1571 Halsa
1573 Smøla
1576 Aure
1804 Bodø
1805 Narvik
1811 Bindal
1812 Sømna
1813 Brønnøy
1815 Vega
1816 Vevelstad
1818 Herøy (Nordland)
1820 Alstahaug
1822 Leirfjord
1824 Vefsn
1825 Grane
1826 Hattfjelldal
1827 Dønna
1828 Nesna
1832 Hemnes
1833 Rana
1834 Lurøy
1835 Træna
1836 Rødøy
1837 Meløy
1838 Gildeskål
1839 Beiarn
1840 Saltdal
1841 Fauske - Fuossko
1845 Sørfold
1848 Steigen
1849 Hábmer - Hamarøy
1850 Tysfjord - Divtasvuodna
1851 Lødingen
1852 Dielddanuorri - Tjeldsund
1853 Evenes
1854 Ballangen
1856 Røst
1857 Værøy
1859 Flakstad
1860 Vestvågøy
1865 Vågan
1866 Hadsel
1867 Bø (Nordland)
1868 Øksnes
1870 Sortland - Suortá
1871 Andøy
1874 Moskenes
1902 Tromsø
1903 Harstad - Hárstták
1911 Kvæfjord
1913 Skånland
1917 Ibestad
1919 Gratangen
1920 Loabák - Lavangen
1922 Bardu
1923 Salangen
1924 Målselv
1925 Sørreisa
1926 Dyrøy
1927 Tranøy
1928 Torsken
1929 Berg
1931 Lenvik
1933 Balsfjord
1936 Karlsøy
1938 Lyngen
1939 Storfjord - Omasvuotna - Omasvuono
1940 Gáivuotna - Kåfjord - Kaivuono
1941 Skjervøy
1942 Nordreisa - Ráisa - Raisi
1943 Kvænangen
2002 Vardø
2003 Vadsø
2004 Hammerfest - Hámmerfeasta
2011 Guovdageaidnu - Kautokeino
2012 Alta
2014 Loppa
2015 Hasvik
2017 Kvalsund
2018 Måsøy
2019 Nordkapp
2020 Porsanger - Porsángu - Porsanki
2021 Kárášjohka - Karasjok
2022 Lebesby
2023 Gamvik
2024 Berlevåg
2025 Deatnu - Tana
2027 Unjárga - Nesseby
2028 Båtsfjord
2030 Sør-Varanger
5001 Trondheim
5004 Steinkjer
5005 Namsos - Nåavmesjenjaelmie
5011 Hemne
5012 Snillfjord
5013 Hitra
5014 Frøya
5015 Ørland
5016 Agdenes
5017 Bjugn
5018 Åfjord
5019 Roan
5020 Osen
5021 Oppdal
5022 Rennebu
5023 Meldal
5024 Orkdal
5025 Røros
5026 Holtålen
5027 Midtre Gauldal
5028 Melhus
5029 Skaun
5030 Klæbu
5031 Malvik
5032 Selbu
5033 Tydal
5034 Meråker
5035 Stjørdal
5036 Frosta
5037 Levanger
5038 Verdal
5039 Verran
5040 Namdalseid
5041 Snåase - Snåsa
5042 Lierne
5043 Raarvihke - Røyrvik
5044 Namsskogan
5045 Grong
5046 Høylandet
5047 Overhalla
5048 Fosnes
5049 Flatanger
5050 Vikna
5051 Nærøy
5052 Leka
5053 Inderøy
5054 Indre Fosen
5061 Rindal
9999 Uoppgitt`;

/** First day of the earliest version of 131 and 104 in the demo. */
const FIRST_VERSION = '2015-01-01';

/**
 * The changes before the 2019 list, as "old code old name>new code" per line (the new name is the later list's):
 * the list before `from` is the later one with these taken back. From Klass's code history (klassR's export):
 * 2017 Sandefjord (Andebu, Stokke; part of Stokke to Tønsberg), 2018 Trøndelag (every code renumbered), Larvik,
 * Holmestrand, Færder, 2019 Rindal moved to Trøndelag, and the renames of those years.
 */
const EARLIER_MUNICIPALITY_CHANGES: Array<{ from: string; rows: string }> = [
  { from: '2017-01-01', rows: `0545 Vang (Oppland)>0545
0615 Flå (Buskerud)>0615
0620 Hol (Buskerud)>0620
0704 Tønsberg>0704
0706 Sandefjord>0710
0714 Hof (Vestfold)>0714
0719 Andebu>0710
0720 Stokke>0704
0720 Stokke>0710
1420 Sogndal (Sogn og Fjordane)>1420
1424 Årdal (Sogn og Fjordane)>1424
1443 Eid (Sogn og Fjordane)>1443
1551 Eide (Møre og Romsdal)>1551
1841 Fauske>1841
1929 Berg (Troms)>1929` },
  { from: '2018-01-01', rows: `0702 Holmestrand>0715
0709 Larvik>0712
0714 Hof>0715
0722 Nøtterøy>0729
0723 Tjøme>0729
0728 Lardal>0712
1601 Trondheim>5001
1612 Hemne>5011
1613 Snillfjord>5012
1617 Hitra>5013
1620 Frøya>5014
1621 Ørland>5015
1622 Agdenes>5016
1624 Rissa>5054
1627 Bjugn>5017
1630 Åfjord>5018
1632 Roan>5019
1633 Osen>5020
1634 Oppdal>5021
1635 Rennebu>5022
1636 Meldal>5023
1638 Orkdal>5024
1640 Røros>5025
1644 Holtålen>5026
1648 Midtre Gauldal>5027
1653 Melhus>5028
1657 Skaun>5029
1662 Klæbu>5030
1663 Malvik>5031
1664 Selbu>5032
1665 Tydal>5033
1702 Steinkjer>5004
1703 Namsos>5005
1711 Meråker>5034
1714 Stjørdal>5035
1717 Frosta>5036
1718 Leksvik>5054
1719 Levanger>5037
1721 Verdal>5038
1724 Verran>5039
1725 Namdalseid>5040
1736 Snåase - Snåsa>5041
1738 Lierne>5042
1739 Raarvihke - Røyrvik>5043
1740 Namsskogan>5044
1742 Grong>5045
1743 Høylandet>5046
1744 Overhalla>5047
1748 Fosnes>5048
1749 Flatanger>5049
1750 Vikna>5050
1751 Nærøy>5051
1755 Leka>5052
1756 Inderøy>5053
1852 Tjeldsund>1852
1870 Sortland>1870
1903 Harstad>1903
1940 Gáivuotna - Kåfjord>1940` },
  { from: '2019-01-01', rows: `1567 Rindal>5061
1942 Nordreisa>1942
2004 Hammerfest>2004
5005 Namsos>5005` },
];

/** The change tables of 131: "old>new new name" per line; later lists are the earlier one with these applied. */
const MUNICIPALITY_CHANGES: Array<{ from: string; rows: string }> = [
  { from: '2020-01-01', rows: `0101>3001 Halden
0104>3002 Moss
0105>3003 Sarpsborg
0106>3004 Fredrikstad
0111>3011 Hvaler
0118>3012 Aremark
0119>3013 Marker
0121>3026 Aurskog-Høland
0122>3014 Indre Østfold
0123>3014 Indre Østfold
0124>3014 Indre Østfold
0125>3014 Indre Østfold
0127>3015 Skiptvet
0128>3016 Rakkestad
0135>3017 Råde
0136>3002 Moss
0137>3018 Våler (Viken)
0138>3014 Indre Østfold
0211>3019 Vestby
0213>3020 Nordre Follo
0214>3021 Ås
0215>3022 Frogn
0216>3023 Nesodden
0217>3020 Nordre Follo
0219>3024 Bærum
0220>3025 Asker
0221>3026 Aurskog-Høland
0226>3030 Lillestrøm
0227>3030 Lillestrøm
0228>3027 Rælingen
0229>3028 Enebakk
0230>3029 Lørenskog
0231>3030 Lillestrøm
0233>3031 Nittedal
0234>3032 Gjerdrum
0235>3033 Ullensaker
0236>3034 Nes
0237>3035 Eidsvoll
0238>3036 Nannestad
0239>3037 Hurdal
0402>3401 Kongsvinger
0403>3403 Hamar
0412>3411 Ringsaker
0415>3412 Løten
0417>3413 Stange
0418>3414 Nord-Odal
0419>3415 Sør-Odal
0420>3416 Eidskog
0423>3417 Grue
0425>3418 Åsnes
0426>3419 Våler (Innlandet)
0427>3420 Elverum
0428>3421 Trysil
0429>3422 Åmot
0430>3423 Stor-Elvdal
0432>3424 Rendalen
0434>3425 Engerdal
0436>3426 Tolga
0437>3427 Tynset
0438>3428 Alvdal
0439>3429 Folldal
0441>3430 Os
0501>3405 Lillehammer
0502>3407 Gjøvik
0511>3431 Dovre
0512>3432 Lesja
0513>3433 Skjåk
0514>3434 Lom
0515>3435 Vågå
0516>3436 Nord-Fron
0517>3437 Sel
0519>3438 Sør-Fron
0520>3439 Ringebu
0521>3440 Øyer
0522>3441 Gausdal
0528>3442 Østre Toten
0529>3443 Vestre Toten
0532>3053 Jevnaker
0533>3054 Lunner
0534>3446 Gran
0536>3447 Søndre Land
0538>3448 Nordre Land
0540>3449 Sør-Aurdal
0541>3450 Etnedal
0542>3451 Nord-Aurdal
0543>3452 Vestre Slidre
0544>3453 Øystre Slidre
0545>3454 Vang
0602>3005 Drammen
0604>3006 Kongsberg
0605>3007 Ringerike
0612>3038 Hole
0615>3039 Flå
0616>3040 Nesbyen
0617>3041 Gol
0618>3042 Hemsedal
0619>3043 Ål
0620>3044 Hol
0621>3045 Sigdal
0622>3046 Krødsherad
0623>3047 Modum
0624>3048 Øvre Eiker
0625>3005 Drammen
0626>3049 Lier
0627>3025 Asker
0628>3025 Asker
0631>3050 Flesberg
0632>3051 Rollag
0633>3052 Nore og Uvdal
0701>3801 Horten
0704>3803 Tønsberg
0710>3804 Sandefjord
0711>3005 Drammen
0712>3805 Larvik
0713>3802 Holmestrand
0715>3802 Holmestrand
0716>3803 Tønsberg
0729>3811 Færder
0805>3806 Porsgrunn
0806>3807 Skien
0807>3808 Notodden
0811>3812 Siljan
0814>3813 Bamble
0815>3814 Kragerø
0817>3815 Drangedal
0819>3816 Nome
0821>3817 Midt-Telemark
0822>3817 Midt-Telemark
0826>3818 Tinn
0827>3819 Hjartdal
0828>3820 Seljord
0829>3821 Kviteseid
0830>3822 Nissedal
0831>3823 Fyresdal
0833>3824 Tokke
0834>3825 Vinje
0901>4201 Risør
0904>4202 Grimstad
0906>4203 Arendal
0911>4211 Gjerstad
0912>4212 Vegårshei
0914>4213 Tvedestrand
0919>4214 Froland
0926>4215 Lillesand
0928>4216 Birkenes
0929>4217 Åmli
0935>4218 Iveland
0937>4219 Evje og Hornnes
0938>4220 Bygland
0940>4221 Valle
0941>4222 Bykle
1001>4204 Kristiansand
1002>4205 Lindesnes
1003>4206 Farsund
1004>4207 Flekkefjord
1014>4223 Vennesla
1017>4204 Kristiansand
1018>4204 Kristiansand
1021>4205 Lindesnes
1026>4224 Åseral
1027>4225 Lyngdal
1029>4205 Lindesnes
1032>4225 Lyngdal
1034>4226 Hægebostad
1037>4227 Kvinesdal
1046>4228 Sirdal
1102>1108 Sandnes
1103>1103 Stavanger
1129>1108 Sandnes
1141>1103 Stavanger
1142>1103 Stavanger
1201>4601 Bergen
1211>4611 Etne
1216>4612 Sveio
1219>4613 Bømlo
1221>4614 Stord
1222>4615 Fitjar
1223>4616 Tysnes
1224>4617 Kvinnherad
1227>4618 Ullensvang
1228>4618 Ullensvang
1231>4618 Ullensvang
1232>4619 Eidfjord
1233>4620 Ulvik
1234>4621 Voss
1235>4621 Voss
1238>4622 Kvam
1241>4624 Bjørnafjorden
1242>4623 Samnanger
1243>4624 Bjørnafjorden
1244>4625 Austevoll
1245>4626 Øygarden
1246>4626 Øygarden
1247>4627 Askøy
1251>4628 Vaksdal
1252>4629 Modalen
1253>4630 Osterøy
1256>4631 Alver
1259>4626 Øygarden
1260>4631 Alver
1263>4631 Alver
1264>4632 Austrheim
1265>4633 Fedje
1266>4634 Masfjorden
1401>4602 Kinn
1411>4635 Gulen
1412>4636 Solund
1413>4637 Hyllestad
1416>4638 Høyanger
1417>4639 Vik
1418>4640 Sogndal
1419>4640 Sogndal
1420>4640 Sogndal
1421>4641 Aurland
1422>4642 Lærdal
1424>4643 Årdal
1426>4644 Luster
1428>4645 Askvoll
1429>4646 Fjaler
1430>4647 Sunnfjord
1431>4647 Sunnfjord
1432>4647 Sunnfjord
1433>4647 Sunnfjord
1438>4648 Bremanger
1439>4602 Kinn
1441>4649 Stad
1443>4649 Stad
1444>1577 Volda
1445>4650 Gloppen
1449>4651 Stryn
1502>1506 Molde
1504>1507 Ålesund
1514>1514 Sande
1519>1577 Volda
1523>1507 Ålesund
1524>1578 Fjord
1526>1578 Fjord
1529>1507 Ålesund
1534>1507 Ålesund
1543>1506 Molde
1545>1506 Molde
1546>1507 Ålesund
1548>1579 Hustadvika
1551>1579 Hustadvika
1571>5055 Heim
1805>1806 Narvik
1826>1826 Aarborte - Hattfjelldal
1849>1875 Hábmer - Hamarøy
1850>1806 Narvik
1850>1875 Hábmer - Hamarøy
1852>5412 Dielddanuorri - Tjeldsund
1854>1806 Narvik
1867>1867 Bø
1902>5401 Tromsø
1903>5402 Harstad - Hárstták
1911>5411 Kvæfjord
1913>5412 Dielddanuorri - Tjeldsund
1917>5413 Ibestad
1919>5414 Gratangen
1920>5415 Loabák - Lavangen
1922>5416 Bardu
1923>5417 Salangen
1924>5418 Målselv
1925>5419 Sørreisa
1926>5420 Dyrøy
1927>5421 Senja
1928>5421 Senja
1929>5421 Senja
1931>5421 Senja
1933>5422 Balsfjord
1936>5423 Karlsøy
1938>5424 Lyngen
1939>5425 Storfjord - Omasvuotna - Omasvuono
1940>5426 Gáivuotna - Kåfjord - Kaivuono
1941>5427 Skjervøy
1942>5428 Nordreisa - Ráisa - Raisi
1943>5429 Kvænangen
2002>5404 Vardø
2003>5405 Vadsø
2004>5406 Hammerfest - Hámmerfeasta
2011>5430 Guovdageaidnu - Kautokeino
2012>5403 Alta
2014>5432 Loppa
2015>5433 Hasvik
2017>5406 Hammerfest - Hámmerfeasta
2018>5434 Måsøy
2019>5435 Nordkapp
2020>5436 Porsanger - Porsángu - Porsanki
2021>5437 Kárášjohka - Karasjok
2022>5438 Lebesby
2023>5439 Gamvik
2024>5440 Berlevåg
2025>5441 Deatnu - Tana
2027>5442 Unjárga - Nesseby
2028>5443 Båtsfjord
2030>5444 Sør-Varanger
5001>5001 Trondheim
5004>5006 Steinkjer
5005>5007 Namsos - Nåavmesjenjaelmie
5011>5055 Heim
5012>5055 Heim
5012>5056 Hitra
5012>5059 Orkland
5013>5056 Hitra
5015>5057 Ørland
5016>5059 Orkland
5017>5057 Ørland
5018>5058 Åfjord
5019>5058 Åfjord
5023>5059 Orkland
5024>5059 Orkland
5030>5001 Trondheim
5039>5006 Steinkjer
5040>5007 Namsos - Nåavmesjenjaelmie
5048>5007 Namsos - Nåavmesjenjaelmie
5050>5060 Nærøysund
5051>5060 Nærøysund` },
  { from: '2022-01-01', rows: `1853>1853 Evenes - Evenášši` },
  { from: '2023-01-01', rows: `5001>5001 Trondheim - Tråante
5025>5025 Røros - Rosse` },
  { from: '2024-01-01', rows: `1507>1508 Ålesund
1507>1580 Haram
1833>1833 Rana - Raane
1845>1845 Sørfold - Fuolldá
3001>3101 Halden
3002>3103 Moss
3003>3105 Sarpsborg
3004>3107 Fredrikstad
3005>3301 Drammen
3006>3303 Kongsberg
3007>3305 Ringerike
3011>3110 Hvaler
3012>3124 Aremark
3013>3122 Marker
3014>3118 Indre Østfold
3015>3116 Skiptvet
3016>3120 Rakkestad
3017>3112 Råde
3018>3114 Våler (Østfold)
3019>3216 Vestby
3020>3207 Nordre Follo
3021>3218 Ås
3022>3214 Frogn
3023>3212 Nesodden
3024>3201 Bærum
3025>3203 Asker
3026>3226 Aurskog-Høland
3027>3224 Rælingen
3028>3220 Enebakk
3029>3222 Lørenskog
3030>3205 Lillestrøm
3031>3232 Nittedal
3032>3230 Gjerdrum
3033>3209 Ullensaker
3034>3228 Nes
3035>3240 Eidsvoll
3036>3238 Nannestad
3037>3242 Hurdal
3038>3310 Hole
3039>3320 Flå
3040>3322 Nesbyen
3041>3324 Gol
3042>3326 Hemsedal
3043>3328 Ål
3044>3330 Hol
3045>3332 Sigdal
3046>3318 Krødsherad
3047>3316 Modum
3048>3314 Øvre Eiker
3049>3312 Lier
3050>3334 Flesberg
3051>3336 Rollag
3052>3338 Nore og Uvdal
3053>3236 Jevnaker
3054>3234 Lunner
3801>3901 Horten
3802>3903 Holmestrand
3803>3905 Tønsberg
3804>3907 Sandefjord
3805>3909 Larvik
3806>4001 Porsgrunn
3807>4003 Skien
3808>4005 Notodden
3811>3911 Færder
3812>4010 Siljan
3813>4012 Bamble
3814>4014 Kragerø
3815>4016 Drangedal
3816>4018 Nome
3817>4020 Midt-Telemark
3818>4026 Tinn
3819>4024 Hjartdal
3820>4022 Seljord
3821>4028 Kviteseid
3822>4030 Nissedal
3823>4032 Fyresdal
3824>4034 Tokke
3825>4036 Vinje
5037>5037 Levanger - Levangke
5401>5501 Tromsø
5402>5503 Harstad - Hárstták
5403>5601 Alta
5404>5634 Vardø
5405>5607 Vadsø
5406>5603 Hammerfest - Hámmerfeasta
5411>5510 Kvæfjord
5412>5512 Dielddanuorri - Tjeldsund
5413>5514 Ibestad
5414>5516 Gratangen - Rivtták
5415>5518 Loabák - Lavangen
5416>5520 Bardu
5417>5522 Salangen
5418>5524 Målselv
5419>5526 Sørreisa
5420>5528 Dyrøy
5421>5530 Senja
5422>5532 Balsfjord
5423>5534 Karlsøy
5424>5536 Lyngen
5425>5538 Storfjord - Omasvuotna - Omasvuono
5426>5540 Gáivuotna - Kåfjord - Kaivuono
5427>5542 Skjervøy
5428>5544 Nordreisa - Ráisa - Raisi
5429>5546 Kvænangen
5430>5612 Guovdageaidnu - Kautokeino
5432>5614 Loppa
5433>5616 Hasvik
5434>5618 Måsøy
5435>5620 Nordkapp
5436>5622 Porsanger - Porsángu - Porsanki
5437>5610 Kárášjohka - Karasjok
5438>5624 Lebesby
5439>5626 Gamvik
5440>5630 Berlevåg
5441>5628 Deatnu - Tana
5442>5636 Unjárga - Nesseby
5443>5632 Båtsfjord
5444>5605 Sør-Varanger` },
];

/** Notes on a few municipalities (demo text), by version start and code. */
const MUNICIPALITY_NOTES: Record<string, Record<string, string>> = {
  '2024-01-01': {
    '1580': 'Demo: Haram ble skilt ut fra Ålesund og fikk eget nummer.',
    '1508': 'Demo: Ålesund fikk nytt nummer da Haram ble skilt ut.',
  },
  '2023-01-01': { '5001': 'Demo: Det sørsamiske navnet Tråante ble en del av det offisielle navnet.' },
};

// --- 104 Standard for fylkesinndeling -------------------------------------------------------------------------

const COUNTIES_2018 = `01 Østfold
02 Akershus
03 Oslo
04 Hedmark
05 Oppland
06 Buskerud
07 Vestfold
08 Telemark
09 Aust-Agder
10 Vest-Agder
11 Rogaland
12 Hordaland
14 Sogn og Fjordane
15 Møre og Romsdal
18 Nordland
19 Troms - Romsa
20 Finnmark - Finnmárku
50 Trøndelag - Trööndelage
99 Uoppgitt`;

/** The counties before 2018 (same format as EARLIER_MUNICIPALITY_CHANGES): Sør- and Nord-Trøndelag merged. */
const EARLIER_COUNTY_CHANGES: Array<{ from: string; rows: string }> = [
  {
    from: '2018-01-01',
    rows: `16 Sør-Trøndelag>50
17 Nord-Trøndelag>50`,
  },
];

/**
 * Rows "a>a" keep a code whose area changed (a municipality moved in or out). The demo lists merges, splits,
 * counties whose area went to several new counties (05 Oppland, 07 Vestfold, 14 Sogn og Fjordane) and one county
 * that kept its code but lost a part (Tjeldsund from Nordland to Troms og Finnmark in 2020): Nordland is then split
 * in the periods before 2020 and whole from 2020 (src/klass/reform.ts `during`). It leaves out the other small
 * moves (part of Halsa to Trøndelag in 2020, Rindal in 2019), and its numbers do the same.
 */
const COUNTY_CHANGES: Array<{ from: string; rows: string }> = [
  {
    from: '2020-01-01',
    rows: `01>30 Viken
02>30 Viken
04>34 Innlandet
05>30 Viken
05>34 Innlandet
06>30 Viken
07>30 Viken
07>38 Vestfold og Telemark
08>38 Vestfold og Telemark
09>42 Agder
10>42 Agder
12>46 Vestland
14>15 Møre og Romsdal
14>46 Vestland
18>18 Nordland - Nordlánnda
18>54 Troms og Finnmark - Romsa ja Finnmárku
19>54 Troms og Finnmark - Romsa ja Finnmárku
20>54 Troms og Finnmark - Romsa ja Finnmárku`,
  },
  {
    from: '2024-01-01',
    rows: `18>18 Nordland - Nordlánnda
30>31 Østfold
30>32 Akershus
30>33 Buskerud
38>39 Vestfold
38>40 Telemark
54>55 Troms - Romsa - Tromssa
54>56 Finnmark - Finnmárku - Finmarkku`,
  },
];

// --- 6 Standard for næringsgruppering (SN2007) ----------------------------------------------------------------

/** code|parent|name|short name|English name: the sections, the divisions, and everything under 03 and 62. */
const SN2007 = `A||Jordbruk, skogbruk og fiske|Jordbruk, skogbruk og fiske|Agriculture, forestry and fishing
B||Bergverksdrift og utvinning|Bergverksdrift og utvinning|Mining and quarrying
C||Industri|Industri|Manufacturing
D||Elektrisitets-, gass-, damp- og varmtvannsforsyning|Kraftforsyning|Electricity, gas, steam and air conditioning supply
E||Vannforsyning, avløps- og renovasjonsvirksomhet|Vann, avløp, renovasjon|Water supply; sewerage, waste management and remediation activities
F||Bygge- og anleggsvirksomhet|Bygge- og anleggsvirksomhet|Construction
G||Varehandel, reparasjon av motorvogner|Varehandel, bilverksteder|Wholesale and retail trade; repair of motor vehicles and motorcycles
H||Transport og lagring|Transport og lagring|Transportation and storage
I||Overnattings- og serveringsvirksomhet|Overnattings- og serveringsvirks.|Accommodation and food service activities
J||Informasjon og kommunikasjon|Informasjon og kommunikasjon|Information and communication
K||Finansierings- og forsikringsvirksomhet|Finansiering og forsikring|Financial and insurance activities
L||Omsetning og drift av fast eiendom|Omsetning og drift av fast eiendom|Real estate activities
M||Faglig, vitenskapelig og teknisk tjenesteyting|Faglig, vit. og tekn. tjenesteyting|Professional, scientific and technical activities
N||Forretningsmessig tjenesteyting|Forretningsmessig tjenesteyting|Administrative and support service activities
O||Offentlig administrasjon og forsvar, og trygdeordninger underlagt offentlig forvaltning|Off.adm., forsvar, sosialforsikring|Public administration and defence; compulsory social security
P||Undervisning|Undervisning|Education
Q||Helse- og sosialtjenester|Helse- og sosialtjenester|Human health and social work activities
R||Kulturell virksomhet, underholdning og fritidsaktiviteter|Kultur, underholdning og fritid|Arts, entertainment and recreation
S||Annen tjenesteyting|Annen tjenesteyting|Other service activities
T||Lønnet arbeid i private husholdninger|Lønnet arbeid i private husholdn.|Activities of households as employers; undifferentiated goods- and services-producing activities of households for own use
U||Internasjonale organisasjoner og organer|Internasjonale organer|Activities of extraterritorial organisations and bodies
01|A|Jordbruk og tjenester tilknyttet jordbruk, jakt og viltstell|Jordbruk, tilhør. tjenester, jakt|Crop and animal production, hunting and related service activities
02|A|Skogbruk og tjenester tilknyttet skogbruk|Skogbruk og tilhørende tjenester|Forestry and logging
03|A|Fiske, fangst og akvakultur|Fiske, fangst og akvakultur|Fishing and aquaculture
05|B|Bryting av steinkull og brunkull|Bryting av steinkull og brunkull|Mining of coal and lignite
06|B|Utvinning av råolje og naturgass|Utvinning av råolje og naturgass|Extraction of crude petroleum and natural gas
07|B|Bryting av metallholdig malm|Bryting av metallholdig malm|Mining of metal ores
08|B|Bryting og bergverksdrift ellers|Bryting og bergverksdrift ellers|Other mining and quarrying
09|B|Tjenester tilknyttet bergverksdrift og utvinning|Tjenester til bergverk og utvinning|Mining support service activities
10|C|Produksjon av nærings- og nytelsesmidler|Næringsmiddelindustri|Manufacture of food products
11|C|Produksjon av drikkevarer|Drikkevareindustri|Manufacture of beverages
12|C|Produksjon av tobakksvarer|Tobakksindustri|Manufacture of tobacco products
13|C|Produksjon av tekstiler|Tekstilindustri|Manufacture of textiles
14|C|Produksjon av klær|Bekledningsindustri|Manufacture of wearing apparel
15|C|Produksjon av lær og lærvarer|Lær- og lærvareindustri|Manufacture of leather and related products
16|C|Produksjon av trelast og varer av tre, kork, strå og flettematerialer, unntatt møbler|Trelast- og trevareindustri|Manufacture of wood and of products of wood and cork, except furniture; manufacture of articles of straw and plaiting materials
17|C|Produksjon av papir og papirvarer|Papir- og papirvareindustri|Manufacture of paper and paper products
18|C|Trykking og reproduksjon av innspilte opptak|Trykking, grafisk industri|Printing and reproduction of recorded media
19|C|Produksjon av kull- og raffinerte petroleumsprodukter|Petroleums- og kullvareindustri|Manufacture of coke and refined petroleum products
20|C|Produksjon av kjemikalier og kjemiske produkter|Kjemisk industri|Manufacture of chemicals and chemical products
21|C|Produksjon av farmasøytiske råvarer og preparater|Farmasøytisk industri|Manufacture of basic pharmaceutical products and pharmaceutical preparations
22|C|Produksjon av gummi- og plastprodukter|Gummivare- og plastindustri|Manufacture of rubber and plastic products
23|C|Produksjon av andre ikke-metallholdige mineralprodukter|Mineralproduktindustri|Manufacture of other non-metallic mineral products
24|C|Produksjon av metaller|Metallindustri|Manufacture of basic metals
25|C|Produksjon av metallvarer, unntatt maskiner og utstyr|Metallvareindustri|Manufacture of fabricated metal products, except machinery and equipment
26|C|Produksjon av datamaskiner og elektroniske og optiske produkter|Data- og elektronisk industri|Manufacture of computer, electronic and optical products
27|C|Produksjon av elektrisk utstyr|Elektroteknisk industri|Manufacture of electrical equipment
28|C|Produksjon av maskiner og utstyr til generell bruk, ikke nevnt annet sted|Maskinindustri|Manufacture of machinery and equipment n.e.c.
29|C|Produksjon av motorvogner og tilhengere|Motorkjøretøyindustri|Manufacture of motor vehicles, trailers and semi-trailers
30|C|Produksjon av andre transportmidler|Transportmiddelindustri ellers|Manufacture of other transport equipment
31|C|Produksjon av møbler|Møbelindustri|Manufacture of furniture
32|C|Annen industriproduksjon|Annen industri|Other manufacturing
33|C|Reparasjon og installasjon av maskiner og utstyr|Maskinreparasjon og -installasjon|Repair and installation of machinery and equipment
35|D|Elektrisitets-, gass-, damp- og varmtvannsforsyning|Kraftforsyning|Electricity, gas, steam and air conditioning supply
36|E|Uttak fra kilde, rensing og distribusjon av vann|Vannforsyning|Water collection, treatment and supply
37|E|Oppsamling og behandling av avløpsvann|Håndtering av avløpsvann|Sewerage
38|E|Innsamling, behandling, disponering og gjenvinning av avfall|Avfallshåndtering|Waste collection, treatment and disposal activities; materials recovery
39|E|Miljørydding, miljørensing og lignende virksomhet|Miljørydding og miljørensing|Remediation activities and other waste management services
41|F|Oppføring av bygninger|Oppføring av bygninger|Construction of buildings
42|F|Anleggsvirksomhet|Anleggsvirksomhet|Civil engineering
43|F|Spesialisert bygge- og anleggsvirksomhet|Spes. bygge- og anleggsvirksomhet|Specialised construction activities
45|G|Handel med og reparasjon av motorvogner|Kjøretøyreparasjoner og -handel|Wholesale and retail trade and repair of motor vehicles and motorcycles
46|G|Agentur- og engroshandel, unntatt med motorvogner|Agentur- og engroshandel|Wholesale trade, except of motor vehicles and motorcycles
47|G|Detaljhandel, unntatt med motorvogner|Detaljhandel, unntatt motorvogner|Retail trade, except of motor vehicles and motorcycles
49|H|Landtransport og rørtransport|Landtransport og rørtransport|Land transport and transport via pipelines
50|H|Sjøfart|Sjøfart|Water transport
51|H|Lufttransport|Lufttransport|Air transport
52|H|Lagring og andre tjenester tilknyttet transport|Transporttjenester og lagring|Warehousing and support activities for transportation
53|H|Post og distribusjonsvirksomhet|Post og distribusjonsvirksomhet|Postal and courier activities
55|I|Overnattingsvirksomhet|Overnattingsvirksomhet|Accommodation
56|I|Serveringsvirksomhet|Serveringsvirksomhet|Food and beverage service activities
58|J|Forlagsvirksomhet|Forlagsvirksomhet|Publishing activities
59|J|Film-, video- og fjernsynsprogramproduksjon, utgivelse av musikk- og lydopptak|Film- og TV-prod., musikkutgivelse|Motion picture, video and television programme production, sound recording and music publishing activities
60|J|Radio- og fjernsynskringkasting|Radio- og fjernsynskringkasting|Programming and broadcasting activities
61|J|Telekommunikasjon|Telekommunikasjon|Telecommunications
62|J|Tjenester tilknyttet informasjonsteknologi|IT-tjenester|Computer programming, consultancy and related activities
63|J|Informasjonstjenester|Informasjonstjenester|Information service activities
64|K|Finansieringsvirksomhet|Finansieringsvirksomhet|Financial service activities, except insurance and pension funding
65|K|Forsikringsvirksomhet og pensjonskasser, unntatt trygdeordninger underlagt offentlig forvaltning|Forsikring og pensjonskasser|Insurance, reinsurance and pension funding, except compulsory social security
66|K|Tjenester tilknyttet finansierings- og forsikringsvirksomhet|Finans-, forsikringshjelpetjenester|Activities auxiliary to financial services and insurance activities
68|L|Omsetning og drift av fast eiendom|Omsetning og drift av fast eiendom|Real estate activities
69|M|Juridisk og regnskapsmessig tjenesteyting|Juridisk og regnsk.messig tj.yting|Legal and accounting activities
70|M|Hovedkontortjenester, administrativ rådgivning|Hovedkontortjen. og adm. rådgivning|Activities of head offices; management consultancy activities
71|M|Arkitektvirksomhet og teknisk konsulentvirksomhet, og teknisk prøving og analyse|Arkitekter og tekniske konsulenter|Architectural and engineering activities; technical testing and analysis
72|M|Forskning og utviklingsarbeid|Forskning og utviklingsarbeid|Scientific research and development
73|M|Annonse- og reklamevirksomhet og markedsundersøkelser|Reklamevirksomhet og markedsund.|Advertising and market research
74|M|Annen faglig, vitenskapelig og teknisk virksomhet|Fagl., vit. og tekn. virks. ellers|Other professional, scientific and technical activities
75|M|Veterinærtjenester|Veterinærtjenester|Veterinary activities
77|N|Utleie- og leasingvirksomhet|Utleie- og leasingvirksomhet|Rental and leasing activities
78|N|Arbeidskrafttjenester|Arbeidskrafttjenester|Employment activities
79|N|Reisebyrå- og reisearrangørvirksomhet og tilknyttede tjenester|Reisebyråer og reisearrangører|Travel agency, tour operator reservation service and related activities
80|N|Vakttjeneste og etterforsking|Vakttjeneste og etterforsking|Security and investigation activities
81|N|Tjenester tilknyttet eiendomsdrift|Tjenester tilknyttet eiendomsdrift|Services to buildings and landscape activities
82|N|Annen forretningsmessig tjenesteyting|Forretningsm. tjenesteyt. ellers|Office administrative, office support and other business support activities
84|O|Offentlig administrasjon og forsvar, og trygdeordninger underlagt offentlig forvaltning|Off.adm., forsvar, sosialforsikring|Public administration and defence; compulsory social security
85|P|Undervisning|Undervisning|Education
86|Q|Helsetjenester|Helsetjenester|Human health activities
87|Q|Pleie- og omsorgstjenester i institusjon|Pleie og omsorg i institusjon|Residential care activities
88|Q|Sosiale omsorgstjenester uten botilbud|Omsorg uten botilbud, barnehager mv.|Social work activities without accommodation
90|R|Kunstnerisk virksomhet og underholdningsvirksomhet|Kunstnerisk virks. og underholdning|Creative, arts and entertainment activities
91|R|Drift av biblioteker, arkiver, museer og annen kulturvirksomhet|Bibliotek, muséer o.a. kulturvirks.|Libraries, archives, museums and other cultural activities
92|R|Lotteri og totalisatorspill|Lotteri og totalisatorspill|Gambling and betting activities
93|R|Sports- og fritidsaktiviteter og drift av fornøyelsesetablissementer|Sports- og fritidsaktiviteter|Sports activities and amusement and recreation activities
94|S|Aktiviteter i medlemsorganisasjoner|Aktiviteter i medlemsorgansiasjoner|Activities of membership organisations
95|S|Reparasjon av datamaskiner, husholdningsvarer og varer til personlig bruk|Reparasjon av varer til pers. bruk|Repair of computers and personal and household goods
96|S|Annen personlig tjenesteyting|Annen personlig tjenesteyting|Other personal service activities
97|T|Lønnet arbeid i private husholdninger|Lønnet arbeid i private husholdn.|Activities of households as employers of domestic personnel
99|U|Internasjonale organisasjoner og organer|Internasjonale organer|Activities of extraterritorial organisations and bodies
03.1|03|Fiske og fangst|Fiske og fangst|Fishing
03.2|03|Akvakultur|Akvakultur|Aquaculture
62.0|62|Tjenester tilknyttet informasjonsteknologi|Tjen. tilkn. informasjonsteknologi|Computer programming, consultancy and related activities
03.11|03.1|Hav- og kystfiske og fangst|Hav- og kystfiske og fangst|Marine fishing
03.12|03.1|Ferskvannsfiske|Ferskvannsfiske|Freshwater fishing
03.21|03.2|Hav- og kystbasert akvakultur|Hav- og kystbasert akvakultur|Marine aquaculture
03.22|03.2|Ferskvannsbasert akvakultur|Ferskvannsbasert akvakultur|Freshwater aquaculture
62.01|62.0|Programmeringstjenester|Programmeringstjenester|Computer programming activities
62.02|62.0|Konsulentvirksomhet tilknyttet informasjonsteknologi|Kons.virks. tilkn. informasj.tekn.|Computer consultancy activities
62.03|62.0|Forvaltning og drift av IT-systemer|Forvaltning og drift av IT-systemer|Computer facilities management activities
62.09|62.0|Andre tjenester tilknyttet informasjonsteknologi|Tjen. tilkn. informasjonsteknologi el.|Other information technology and computer service activities
03.111|03.11|Hav- og kystfiske|Hav- og kystfiske|Marine and coastal fishing
03.112|03.11|Hvalfangst|Hvalfangst|Whaling
03.120|03.12|Ferskvannsfiske|Ferskvannsfiske|Freshwater fishing
03.211|03.21|Produksjon av matfisk, bløtdyr, krepsdyr og pigghuder i hav- og kystbasert akvakultur|Matfisk/krepsdyr mv. hav-/kystbas.|Production of food fish, molluscs, crustaceans and echinoderms in marine aquaculture
03.212|03.21|Produksjon av yngel og settefisk i hav- og kystbasert akvakultur|Yngel, settefisk hav-/kystbas.|Production of fry and juvenile fish in marine aquaculture
03.213|03.21|Tjenester tilknyttet hav- og kystbasert akvakultur|Tjen. tilkn. hav-/kystbas. akvakult.|Services related to marine aquaculture
03.221|03.22|Produksjon av matfisk, bløtdyr og krepsdyr i ferskvannsbasert akvakultur|Matfisk/krepsdyr mv. ferskvannsbas.|Production of food fish, molluscs and crustaceans in freshwater aquaculture
03.222|03.22|Produksjon av yngel og settefisk i ferskvannsbasert akvakultur|Yngel, settefisk ferskvannsbasert|Production of fry and juvenile fish in freshwater aquaculture
03.223|03.22|Tjenester tilknyttet ferskvannsbasert akvakultur|Tjen. tilkn. ferskvannsbas. akvakult|Services related to freshwater aquaculture
62.010|62.01|Programmeringstjenester|Programmeringstjenester|Computer programming activities
62.020|62.02|Konsulentvirksomhet tilknyttet informasjonsteknologi|Kons.virks. tilkn. informasj.tekn.|Computer consultancy activities
62.030|62.03|Forvaltning og drift av IT-systemer|Forvaltning og drift av IT-systemer|Computer facilities management activities
62.090|62.09|Andre tjenester tilknyttet informasjonsteknologi|Tjen. tilkn. informasjonsteknologi el.|Other information technology and computer service activities`;

/** Demo notes on a few SN2007 codes (one with a line break and quotes, as real notes have). */
const SN2007_NOTES: Record<string, string> = {
  '03.112': 'Demo: Omfatter fangst av småhval.',
  '62.010': 'Demo: Omfatter utvikling og testing av programvare.\nEkskluderer: "Utgivelse av programvare", se 58.2.',
};

/** The demo variant "Hovednæringer": 17 groups of divisions (code, nb, en). */
const MAIN_INDUSTRIES: Array<[string, string, string]> = [
  ['00', 'Uoppgitt', 'Unknown'],
  ['01-03', 'Jordbruk, skogbruk og fiske', 'Agriculture, forestry and fishing'],
  ['05-09', 'Bergverksdrift og utvinning', 'Mining and quarrying'],
  ['10-33', 'Industri', 'Manufacturing'],
  ['35-39', 'Elektrisitet, vann og renovasjon', 'Electricity, water supply, sewerage, waste management'],
  ['41-43', 'Bygge- og anleggsvirksomhet', 'Construction'],
  ['45-47', 'Varehandel, reparasjon av motorvogner', 'Wholesale and retail trade, repair of motor vehicles'],
  ['49-53', 'Transport og lagring', 'Transportation and storage'],
  ['55-56', 'Overnattings- og serveringsvirksomhet', 'Accommodation and food service activities'],
  ['58-63', 'Informasjon og kommunikasjon', 'Information and communication'],
  ['64-66', 'Finansiering og forsikring', 'Financial and insurance activities'],
  ['68-75', 'Teknisk tjenesteyting, eiendomsdrift', 'Technical services, real estate activities'],
  ['77-82', 'Forretningsmessig tjenesteyting', 'Administrative and support service activities'],
  ['84', 'Off.adm., forsvar, sosialforsikring', 'Public administration and defence'],
  ['85', 'Undervisning', 'Education'],
  ['86-88', 'Helse- og sosialtjenester', 'Human health and social work activities'],
  ['90-99', 'Personlig tjenesteyting', 'Other service activities'],
];

// --- 19 Standard for sivilstand -------------------------------------------------------------------------------

const MARITAL_STATUS: Array<[string, string, string, string]> = [
  ['1', 'Ugift', 'Ugift', 'Unmarried'],
  ['2', 'Gift', 'Gift', 'Married'],
  ['3', 'Enke/enkemann', 'Enkje/enkjemann', 'Widow/widower'],
  ['4', 'Skilt', 'Skild', 'Divorced'],
  ['5', 'Separert', 'Separert', 'Separated'],
  ['6', 'Registrert partner', 'Registrert partnar', 'Registered partner'],
  ['7', 'Separert partner', 'Separert partnar', 'Separated partner'],
  ['8', 'Skilt partner', 'Skild partnar', 'Divorced partner'],
  ['9', 'Gjenlevende partner', 'Attlevande partnar', 'Surviving partner'],
];

// --- the section code list that owningSection labels come from ------------------------------------------------

const SECTIONS = `160 Seksjon for eiendom, arkiv og administrative systemer
210 Seksjon for nasjonalregnskap
211 Seksjon for finansregnskap
212 Seksjon for offentlige finanser
213 Seksjon for finansmarkedsstatistikk
214 Seksjon for utenrikshandel
240 Seksjon for prisstatistikk
312 Seksjon for arbeidsmarked og lønnsstatistikk
320 Seksjon for befolkningsstatistikk
330 Seksjon for helse-, omsorg- og sosialstatistikk
350 Seksjon for inntekts- og levekårsstatistikk
360 Seksjon for utdannings- og kulturstatistikk
421 Seksjon for Fou, teknologi og næringslivets utvikling
422 Seksjon for næringslivets konjunkturer
423 Seksjon for næringslivets strukturer
424 Seksjon for regnskapsstatistikk og VoF
425 Seksjon for energi, miljø- og transportstatistikk
426 Seksjon for eiendoms-, areal- og primærnæringsstatistikk
610 Seksjon for redaksjon og publisering`;

// --- builders --------------------------------------------------------------------------------------------------

function lines(block: string): string[] {
  return block.split('\n').filter((l) => l.trim() !== '');
}

/** "code name" lines -> code -> name */
function codeList(block: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const l of lines(block)) {
    const sp = l.indexOf(' ');
    m.set(l.slice(0, sp), l.slice(sp + 1));
  }
  return m;
}

interface ChangeRow {
  oldCode: string;
  newCode: string;
  newName: string;
}

function changeRows(block: string): ChangeRow[] {
  return lines(block).map((l) => {
    const gt = l.indexOf('>');
    const sp = l.indexOf(' ', gt);
    return { oldCode: l.slice(0, gt), newCode: l.slice(gt + 1, sp), newName: l.slice(sp + 1) };
  });
}

/** The next list: the old codes of the change rows leave, their new codes (with new names) come in. */
function applyChanges(list: Map<string, string>, rows: ChangeRow[]): Map<string, string> {
  const next = new Map(list);
  for (const r of rows) next.delete(r.oldCode);
  for (const r of rows) next.set(r.newCode, r.newName);
  return new Map([...next].sort(([a], [b]) => (a < b ? -1 : 1)));
}

const flat = (code: string, name: string, notes?: string): KlassItem => ({
  code,
  parentCode: null,
  level: 1,
  name: same(name),
  ...(notes ? { notes: { nb: notes } } : {}),
});

interface VersionSpec {
  id: number;
  from: string;
  to: string | null;
  list: Map<string, string>;
}

function regionalVersions(
  classificationId: number,
  specs: VersionSpec[],
  levelName: KlassLevel,
  intro: (year: string) => Text,
  notes: Record<string, Record<string, string>> = {},
): ClassificationVersion[] {
  return specs.map((s) => ({
    id: s.id,
    classificationId,
    validFrom: s.from,
    validTo: s.to,
    published: ALL,
    lastModified: `${s.from.slice(0, 4)}-01-02T08:00:00Z`,
    introduction: intro(s.from.slice(0, 4)),
    legalBase: { nb: 'Demo: Lov om kommuner og fylkeskommuner (kommuneloven)' },
    publications: {},
    derivedFrom: {},
    levels: [levelName],
    items: [...s.list].map(([code, name]) => flat(code, name, notes[s.from]?.[code])),
    changelogs: [],
  }));
}

function table(
  id: number,
  source: ClassificationVersion,
  target: ClassificationVersion,
  maps: CorrespondenceMap[],
  description: Text = {},
): CorrespondenceTable {
  const later = source.validFrom > target.validFrom ? source.validFrom : target.validFrom;
  return {
    id,
    sourceVersionId: source.id,
    targetVersionId: target.id,
    published: ALL,
    lastModified: `${later.slice(0, 4)}-01-03T09:00:00Z`,
    description,
    contactPerson: CONTACT,
    owningSection: POPULATION,
    sourceLevel: null,
    targetLevel: null,
    changelogs: [],
    maps: [...maps].sort((a, b) => cmp(a[0] ?? '', b[0] ?? '') || cmp(a[1] ?? '', b[1] ?? '')),
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** "old code old name>new code" lines of an earlier change block. */
function earlierRows(block: string, later: Map<string, string>): (ChangeRow & { oldName: string })[] {
  return lines(block).map((l) => {
    const gt = l.lastIndexOf('>');
    const sp = l.indexOf(' ');
    const newCode = l.slice(gt + 1);
    const newName = later.get(newCode);
    if (newName === undefined) throw new Error(`demo klass: ${newCode} is not in the list from the change ${l}`);
    return { oldCode: l.slice(0, sp), oldName: l.slice(sp + 1, gt), newCode, newName };
  });
}

/** The list before a change: the change's new codes leave, its old codes (with their old names) come back. */
function unapplyChanges(list: Map<string, string>, rows: (ChangeRow & { oldName: string })[]): Map<string, string> {
  const prev = new Map(list);
  for (const r of rows) prev.delete(r.newCode);
  for (const r of rows) prev.set(r.oldCode, r.oldName);
  return new Map([...prev].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * The versions of a regional classification: a base list, the earlier versions (its earlier changes taken back, the
 * first starting at FIRST_VERSION) and the later ones (its changes applied). Version ids are `idBase + yy`; `steps[i]`
 * are the change rows from version i to i + 1.
 */
function regionalSpecs(
  idBase: number,
  base: { from: string; list: Map<string, string> },
  earlier: Array<{ from: string; rows: string }>,
  later: Array<{ from: string; rows: string }>,
): { specs: VersionSpec[]; steps: ChangeRow[][] } {
  const id = (from: string) => idBase + Number(from.slice(2, 4));
  const specs: VersionSpec[] = [{ id: id(base.from), from: base.from, to: null, list: base.list }];
  const steps: ChangeRow[][] = [];
  const asc = [...earlier].sort((a, b) => cmp(a.from, b.from));
  for (let k = asc.length - 1; k >= 0; k--) {
    const next = specs[0];
    if (asc[k].from !== next.from) throw new Error(`demo klass: earlier change ${asc[k].from} does not start the version ${next.from}`);
    const rows = earlierRows(asc[k].rows, next.list);
    const from = k > 0 ? asc[k - 1].from : FIRST_VERSION;
    specs.unshift({ id: id(from), from, to: asc[k].from, list: unapplyChanges(next.list, rows) });
    steps.unshift(rows);
  }
  for (const ch of later) {
    const rows = changeRows(ch.rows);
    const prev = specs[specs.length - 1];
    prev.to = ch.from;
    specs.push({ id: id(ch.from), from: ch.from, to: null, list: applyChanges(prev.list, rows) });
    steps.push(rows);
  }
  return { specs, steps };
}

/** Change tables between neighbouring versions, newer to older as Klass keeps them; ids `idBase + yy` of the newer. */
function changeTables(idBase: number, versions: ClassificationVersion[], steps: ChangeRow[][], description: Text): CorrespondenceTable[] {
  return steps.map((rows, i) =>
    table(
      idBase + Number(versions[i + 1].validFrom.slice(2, 4)),
      versions[i + 1],
      versions[i],
      rows.map((r): CorrespondenceMap => [r.newCode, r.oldCode]),
      description,
    ),
  );
}

function buildMunicipalities(): { versions: ClassificationVersion[]; tables: CorrespondenceTable[] } {
  const { specs, steps } = regionalSpecs(13100, { from: '2019-01-01', list: codeList(MUNICIPALITIES_2019) }, EARLIER_MUNICIPALITY_CHANGES, MUNICIPALITY_CHANGES);
  const versions = regionalVersions(
    131,
    specs,
    level(1, 'Kommune', 'Municipality'),
    (y) => ({
      nb: `${DEMO_NB}Kommuneinndelingen gjeldende fra 1. januar ${y}.`,
      nn: `${DEMO_NN}Kommuneinndelinga gjeldande frå 1. januar ${y}.`,
      en: `${DEMO_EN}The municipalities valid from 1 January ${y}.`,
    }),
    MUNICIPALITY_NOTES,
  );
  return { versions, tables: changeTables(13200, versions, steps, { nb: `${DEMO_NB}Endringer i kommunenummer og -navn.` }) };
}

function buildCounties(): { versions: ClassificationVersion[]; tables: CorrespondenceTable[] } {
  const { specs, steps } = regionalSpecs(10400, { from: '2018-01-01', list: codeList(COUNTIES_2018) }, EARLIER_COUNTY_CHANGES, COUNTY_CHANGES);
  const versions = regionalVersions(104, specs, level(1, 'Fylke', 'County'), (y) => ({
    nb: `${DEMO_NB}Fylkesinndelingen gjeldende fra 1. januar ${y}.`,
    nn: `${DEMO_NN}Fylkesinndelinga gjeldande frå 1. januar ${y}.`,
    en: `${DEMO_EN}The counties valid from 1 January ${y}.`,
  }));
  return {
    versions,
    tables: changeTables(10500, versions, steps, { nb: `${DEMO_NB}Sammenslåinger, delinger, grensejusteringer og navneendringer.` }),
  };
}

/** County -> municipality tables: the county is the first two digits of the municipality code (9999 -> 99). */
function countyMunicipalityTables(counties: ClassificationVersion[], municipalities: ClassificationVersion[]): CorrespondenceTable[] {
  const out: CorrespondenceTable[] = [];
  let id = 10600;
  for (const c of counties) {
    for (const m of municipalities) {
      const from = c.validFrom > m.validFrom ? c.validFrom : m.validFrom;
      const to = minEnd(c.validTo, m.validTo);
      if (to !== null && to <= from) continue;
      const countyCodes = new Set(c.items.map((i) => i.code));
      const maps: CorrespondenceMap[] = m.items.map((i) => {
        const county = i.code === '9999' ? '99' : i.code.slice(0, 2);
        if (!countyCodes.has(county)) throw new Error(`demo klass: municipality ${i.code} has no county in version ${c.id}`);
        return [county, i.code];
      });
      out.push(table(id++, c, m, maps, { nb: `${DEMO_NB}Hvilket fylke hver kommune ligger i.` }));
    }
  }
  return out;
}

function minEnd(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}

function buildSn2007(): { version: ClassificationVersion; variant: ClassificationVariant } {
  const items: KlassItem[] = lines(SN2007).map((l) => {
    const [code, parent, nb, short, en] = l.split('|');
    const depth = /^[A-Z]$/.test(code) ? 1 : code.length === 2 ? 2 : code.length === 4 ? 3 : code.length === 5 ? 4 : 5;
    const notes = SN2007_NOTES[code];
    return {
      code,
      parentCode: parent === '' ? null : parent,
      level: depth,
      name: { nb, en },
      shortName: { nb: short },
      ...(notes ? { notes: { nb: notes } } : {}),
    };
  });
  const version: ClassificationVersion = {
    id: 501,
    classificationId: 6,
    alias: { nb: 'Næringsgruppering 2009', en: 'Standard Industrial Classification 2009' },
    validFrom: '2009-01-01',
    validTo: null,
    published: ['nb', 'en'],
    lastModified: '2023-06-01T10:00:00Z',
    introduction: {
      nb: `${DEMO_NB}Utdrag av SN2007: alle næringshovedområder og næringer, og alle nivåer under 03 og 62.`,
      en: `${DEMO_EN}Excerpt of SN2007: all sections and divisions, and every level below 03 and 62.`,
    },
    legalBase: { nb: 'Rådsforordning (EF) nr. 1893/2006', en: 'Regulation (EC) No 1893/2006' },
    publications: {},
    derivedFrom: { nb: 'NACE Rev.2', en: 'NACE Rev.2' },
    levels: [
      level(1, 'Næringshovedområde', 'Section'),
      level(2, 'Næring', 'Division'),
      level(3, 'Næringshovedgruppe', 'Group'),
      level(4, 'Næringsgruppe', 'Class'),
      level(5, 'Næringsundergruppe', 'Subclass'),
    ],
    items,
    changelogs: [{ changeOccured: '2023-06-01T10:00:00Z', description: 'Demo: engelske navn lagt inn.' }],
  };
  const divisions = items.filter((i) => i.level === 2);
  const variantItems: KlassItem[] = [];
  for (const [code, nb, en] of MAIN_INDUSTRIES) {
    variantItems.push({ code, parentCode: null, level: 1, name: { nb, en } });
    const [lo, hi] = code.includes('-') ? code.split('-') : [code, code];
    if (lo === hi) continue; // a group of one division: the division is the group
    for (const d of divisions) {
      if (d.code >= lo && d.code <= hi) variantItems.push({ code: d.code, parentCode: code, level: 2, name: d.name });
    }
  }
  const variant: ClassificationVariant = {
    id: 606,
    versionId: 501,
    nameBase: { nb: 'Hovednæringer', en: 'Main industries' },
    validFrom: '2009-01-01',
    validTo: null,
    published: ['nb', 'en'],
    lastModified: '2023-06-01T10:00:00Z',
    introduction: {
      nb: `${DEMO_NB}Næringene samlet i 17 grupper slik de ofte publiseres.`,
      en: `${DEMO_EN}The divisions in the 17 groups often used in publishing.`,
    },
    contactPerson: CONTACT,
    owningSection: BUSINESS,
    levels: [level(1, 'Gruppe', 'Group'), level(2, 'Næring', 'Division')],
    items: variantItems,
    changelogs: [],
  };
  return { version, variant };
}

function buildMaritalStatus(): { versions: ClassificationVersion[]; table: CorrespondenceTable } {
  const item = ([code, nb, nn, en]: [string, string, string, string]): KlassItem => ({ code, parentCode: null, level: 1, name: { nb, nn, en } });
  const common = {
    classificationId: 19,
    published: ALL,
    legalBase: {},
    publications: {},
    derivedFrom: {},
    levels: [level(1, 'Sivilstand', 'Marital status')],
    changelogs: [],
  };
  const v1964: ClassificationVersion = {
    ...common,
    id: 51,
    validFrom: '1964-01-01',
    validTo: '1993-01-01',
    lastModified: '2016-10-07T12:06:18Z',
    introduction: { nb: `${DEMO_NB}Sivilstand før registrert partnerskap.`, en: `${DEMO_EN}Marital status before registered partnership.` },
    items: MARITAL_STATUS.slice(0, 5).map(item),
  };
  const v1993: ClassificationVersion = {
    ...common,
    id: 50,
    validFrom: '1993-01-01',
    validTo: null,
    lastModified: '2016-10-07T12:06:18Z',
    introduction: {
      nb: `${DEMO_NB}Sivilstand med registrert partnerskap, brukt i befolkningsstatistikken fra 1993.`,
      en: `${DEMO_EN}Marital status with registered partnership, used in population statistics from 1993.`,
    },
    items: MARITAL_STATUS.map(item),
  };
  // The change table runs from the newer to the older version, as the real one does: the four new codes have no
  // old side.
  const maps: CorrespondenceMap[] = MARITAL_STATUS.slice(5).map(([code]) => [code, null]);
  return { versions: [v1993, v1964], table: { ...table(447, v1993, v1964, maps), lastModified: '2019-06-04T08:37:54Z' } };
}

function buildSections(): ClassificationVersion {
  return {
    id: 90,
    classificationId: 5,
    alias: { nb: 'Seksjonsinndeling 2023', en: 'Organisational units 2023' },
    validFrom: '2023-01-01',
    validTo: null,
    published: ['nb'],
    lastModified: '2023-01-02T08:00:00Z',
    introduction: { nb: `${DEMO_NB}Seksjonene i SSB som eier klassifikasjoner.` },
    levels: [level(1, 'Seksjon', 'Section')],
    items: [...codeList(SECTIONS)].map(([code, name]) => ({ code, parentCode: null, level: 1, name: { nb: name, nn: name } })),
    changelogs: [],
  };
}

const classification = (c: Omit<Classification, 'contactPerson' | 'primaryLanguage' | 'copyrighted'> & Partial<Classification>): Classification => ({
  contactPerson: CONTACT,
  primaryLanguage: 'nb',
  copyrighted: false,
  ...c,
});

/** The demo's Klass data; a fresh value on every call. */
export function demoKlassData(): KlassData {
  const municipalities = buildMunicipalities();
  const counties = buildCounties();
  const sn = buildSn2007();
  const marital = buildMaritalStatus();
  const classifications: Classification[] = [
    classification({
      id: 5,
      name: { nb: 'Standard for seksjonsinndeling', nn: 'Standard for seksjonsinndeling', en: 'Classification of organisational units' },
      description: { nb: `${DEMO_NB}Seksjonene i Statistisk sentralbyrå.`, en: `${DEMO_EN}The sections of Statistics Norway.` },
      type: 'CODELIST',
      includeShortName: false,
      includeNotes: false,
      owningSection: '160',
      statisticalUnits: [{ nb: 'Seksjon', en: 'Section' }],
      familyId: 4,
      lastModified: '2023-01-02T08:00:00Z',
    }),
    classification({
      id: 6,
      name: { nb: 'Standard for næringsgruppering (SN2007)', en: 'Standard Industrial Classification (SN2007)' },
      description: {
        nb: `${DEMO_NB}Standard for næringsgruppering grupperer virksomheter etter hovedaktivitet. Den bygger på EUs NACE Rev. 2.`,
        en: `${DEMO_EN}The Standard Industrial Classification groups enterprises by main activity. It is based on the EU's NACE Rev. 2.`,
      },
      type: 'CLASSIFICATION',
      includeShortName: true,
      includeNotes: true,
      owningSection: BUSINESS,
      statisticalUnits: [
        { nb: 'Foretak', en: 'Enterprise' },
        { nb: 'Virksomhet', en: 'Establishment' },
      ],
      familyId: 3,
      lastModified: '2023-06-01T10:00:00Z',
    }),
    classification({
      id: 19,
      name: { nb: 'Standard for sivilstand', nn: 'Standard for sivilstand', en: 'Classification of marital status' },
      description: {
        nb: `${DEMO_NB}Sivilstand er en persons status i forhold til ekteskapslovgivningen.`,
        nn: `${DEMO_NN}Sivilstand er statusen til ein person etter ekteskapslovgivinga.`,
        en: `${DEMO_EN}Marital status is a person's status under the marriage laws.`,
      },
      type: 'CLASSIFICATION',
      includeShortName: false,
      includeNotes: false,
      owningSection: POPULATION,
      statisticalUnits: [{ nb: 'Person', nn: 'Person', en: 'Person' }],
      familyId: 1,
      lastModified: '2019-06-04T08:37:54Z',
    }),
    classification({
      id: 104,
      name: { nb: 'Standard for fylkesinndeling', nn: 'Standard for fylkesinndeling', en: 'Classification of counties' },
      description: {
        nb: `${DEMO_NB}Fylkesinndelingen deler Norge i fylker. Fylkesnummeret er de to første sifrene i kommunenummeret.`,
        nn: `${DEMO_NN}Fylkesinndelinga deler Noreg i fylke. Fylkesnummeret er dei to første sifra i kommunenummeret.`,
        en: `${DEMO_EN}The county classification divides Norway into counties. The county number is the first two digits of the municipality number.`,
      },
      type: 'CLASSIFICATION',
      includeShortName: false,
      includeNotes: false,
      owningSection: POPULATION,
      statisticalUnits: [{ nb: 'Fylke', nn: 'Fylke', en: 'County' }],
      familyId: 2,
      lastModified: '2024-01-03T09:00:00Z',
    }),
    classification({
      id: 131,
      name: { nb: 'Standard for kommuneinndeling', nn: 'Standard for kommuneinndeling', en: 'Classification of municipalities' },
      description: {
        nb: `${DEMO_NB}Kommuneinndelingen er en administrativ inndeling av Norge i kommuner. Kommunenummeret har fire sifre; de to første er fylkesnummeret.`,
        nn: `${DEMO_NN}Kommuneinndelinga er ei administrativ inndeling av Noreg i kommunar. Kommunenummeret har fire siffer; dei to første er fylkesnummeret.`,
        en: `${DEMO_EN}The municipal classification divides Norway into municipalities. A municipality number has four digits; the first two are the county number.`,
      },
      type: 'CLASSIFICATION',
      includeShortName: false,
      includeNotes: true,
      owningSection: POPULATION,
      statisticalUnits: [{ nb: 'Kommune', nn: 'Kommune', en: 'Municipality' }],
      familyId: 2,
      lastModified: '2024-01-03T09:00:00Z',
    }),
  ];
  return {
    families: FAMILIES,
    classifications,
    versions: [...municipalities.versions, ...counties.versions, sn.version, ...marital.versions, buildSections()],
    variants: [sn.variant],
    correspondenceTables: [
      ...municipalities.tables,
      ...counties.tables,
      ...countyMunicipalityTables(counties.versions, municipalities.versions),
      marital.table,
    ],
  };
}
