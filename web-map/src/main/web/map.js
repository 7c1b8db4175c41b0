// The funders' coverage map. Framework-free: Leaflet (served by the hub from its webjar), the hub's vector tiles
// (/tiles/...: census areas with their coverage figures, programs; decoded and drawn by mvt.js), and its GraphQL API,
// the same one planners use, for datasets, gaps, plans and reports. The URL holds the view, so it can be shared.

import {decodeTile, paintAreas, paintPoints} from './mvt.js';

const T = {
  en: {
    title: 'Who can reach a mentor?', metric: 'Show', metricCoverage: 'Youth within reach of a program (share)',
    metricAccess: 'Mentoring places per 1,000 youth (2SFCA)', filters: 'Filters', agesFrom: 'Ages from', agesTo: 'to',
    model: 'Mentoring model', setting: 'Setting', language: 'Language', mode: 'Delivery', partnership: 'Partnership',
    any: 'Any', group: 'Group', peer: 'Peer', ementoring: 'E-mentoring', team: 'Team', community: 'Community',
    school: 'School', workplace: 'Workplace', online: 'Online', inPerson: 'In person', virtual: 'Virtual',
    hybrid: 'Hybrid', serviceAreas: 'Show service areas', showGaps: 'Highlight gaps',
    showRegions: 'Partnerships\u2019 regions', regionPrograms: 'Active programs', lastSync: 'Last sync',
    freshness: 'Data age', days: 'days', never: 'never', outsideRegions: 'No partnership works here',
    signIn: 'Funder or planner token', token: 'Access token',
    tokenHint: 'Without a token, figures follow small-area protection (rounded, small counts hidden).',
    inView: 'In view', topGaps: 'Largest gaps', close: 'Close', export: 'Export what you see',
    youth: 'Youth 6–18', covered: 'Within reach', uncovered: 'Not within reach', ratio: 'Share within reach',
    placesPer1000: 'Places per 1,000 youth', programsReaching: 'Programs reaching it', suppressed: 'hidden (small area)',
    zoomTo: 'Zoom to', gap: 'Gap', unmet: 'unmet youth', legendCoverage: 'Share of youth within reach',
    legendAccess: 'Places per 1,000 youth', noData: 'no figure', programs: 'Programs', zoomForPrograms:
      'Zoom in to see programs.', loading: 'Loading…', ready: 'Ready.', partnershipName: 'Partnership',
    ages: 'Ages', capacity: 'Capacity (active / maximum / waitlist)', provenance: 'Source', lastVerified: 'Last verified',
    lastChanged: 'Last changed', modelLabel: 'Model', modeLabel: 'Delivery', radius: 'Service radius',
    languages: 'Languages', dataset: 'Areas', vintage: 'census', error: 'Could not load: ', programsInView: 'Programs in view',
    langButton: 'FR', langLabel: 'Français', mapLabel: 'Coverage map',
    planTitle: 'Plan new programs', planHint: 'For planners (token above): where new sites would reach the most youth now out of reach.',
    planSites: 'New sites', planRadius: 'Radius (km)', planCandidates: 'Candidate sites', torontoSchools: 'Toronto schools',
    grid: 'A 2 km grid', planRun: 'Plan', planClear: 'Clear', planAdds: 'adds', planResult: 'Within reach today: {today}; with the plan: {after} (+{added}).',
    planNeedsToken: 'Planning needs a planner token.',
    layer: 'Areas', automatic: 'Automatic (finest where it exists)', levelPROVINCE: 'provinces and territories',
    levelCENSUS_DIVISION: 'census divisions', levelCENSUS_SUBDIVISION: 'census subdivisions',
    levelNEIGHBOURHOOD: 'neighbourhoods', levelDISSEMINATION_AREA: 'dissemination areas', under: 'beneath',
    areasInView: 'areas in view', curveTitle: 'Youth within reach as sites are added', sitesAxis: 'sites added',
    marginalTitle: 'Youth each new site adds', byProvince: 'Coverage by province', byPartnership: 'Coverage by partnership',
    ageProfile: 'Youth by age: within reach and not', report: 'Print a region report', reportFor: 'Report for',
    reportProvinces: 'Each province and territory', reportPartnership: 'The chosen partnership', reportSelected:
      'The selected area', reportTitle: 'Mentoring coverage report', method: 'Method', credits: 'Credits',
    generated: 'Prepared', filterLine: 'Ages {min}–{max}', reportNoPartnership: 'Choose a partnership under Filters first.',
    reportNoArea: 'Select an area on the map first.', print: 'Print or save as PDF', closeReport: 'Close report',
    skip: 'Skip to the map', mapKeys: 'Arrow keys pan, + and − zoom.',
  },
  fr: {
    title: 'Qui peut trouver un mentor?', metric: 'Afficher', metricCoverage: 'Jeunes à portée d’un programme (part)',
    metricAccess: 'Places de mentorat pour 1 000 jeunes (2SFCA)', filters: 'Filtres', agesFrom: 'Âges de', agesTo: 'à',
    model: 'Modèle de mentorat', setting: 'Milieu', language: 'Langue', mode: 'Prestation', partnership: 'Partenariat',
    any: 'Tous', group: 'En groupe', peer: 'Par les pairs', ementoring: 'Mentorat en ligne', team: 'En équipe',
    community: 'Communautaire', school: 'Scolaire', workplace: 'Milieu de travail', online: 'En ligne',
    inPerson: 'En personne', virtual: 'Virtuel', hybrid: 'Hybride', serviceAreas: 'Afficher les zones desservies',
    showGaps: 'Mettre en évidence les lacunes', showRegions: 'Régions des partenariats',
    regionPrograms: 'Programmes actifs', lastSync: 'Dernière synchronisation', freshness: 'Âge des données', days: 'jours',
    never: 'jamais', outsideRegions: 'Aucun partenariat ici', signIn: 'Jeton de bailleur ou de planificateur', token: 'Jeton d’accès',
    tokenHint: 'Sans jeton, les chiffres suivent la protection des petites zones (arrondis, petits nombres masqués).',
    inView: 'Dans la vue', topGaps: 'Plus grandes lacunes', close: 'Fermer', export: 'Exporter la vue',
    youth: 'Jeunes de 6 à 18 ans', covered: 'À portée', uncovered: 'Hors de portée', ratio: 'Part à portée',
    placesPer1000: 'Places pour 1 000 jeunes', programsReaching: 'Programmes qui la desservent',
    suppressed: 'masqué (petite zone)', zoomTo: 'Zoomer', gap: 'Lacune', unmet: 'jeunes non desservis',
    legendCoverage: 'Part des jeunes à portée', legendAccess: 'Places pour 1 000 jeunes', noData: 'aucune donnée',
    programs: 'Programmes', zoomForPrograms: 'Zoomez pour voir les programmes.', loading: 'Chargement…',
    ready: 'Prêt.', partnershipName: 'Partenariat', ages: 'Âges', capacity: 'Capacité (actifs / maximum / attente)',
    provenance: 'Source', lastVerified: 'Dernière vérification', lastChanged: 'Dernière modification',
    modelLabel: 'Modèle', modeLabel: 'Prestation', radius: 'Rayon desservi', languages: 'Langues', dataset: 'Zones',
    vintage: 'recensement', error: 'Chargement impossible : ', programsInView: 'Programmes dans la vue',
    langButton: 'EN', langLabel: 'English', mapLabel: 'Carte de la couverture',
    planTitle: 'Planifier de nouveaux programmes', planHint: 'Pour les planificateurs (jeton ci-dessus) : où de nouveaux sites rejoindraient le plus de jeunes hors de portée.',
    planSites: 'Nouveaux sites', planRadius: 'Rayon (km)', planCandidates: 'Sites candidats', torontoSchools: 'Écoles de Toronto',
    grid: 'Une grille de 2 km', planRun: 'Planifier', planClear: 'Effacer', planAdds: 'ajoute',
    planResult: 'À portée aujourd’hui : {today}; avec le plan : {after} (+{added}).',
    planNeedsToken: 'La planification demande un jeton de planificateur.',
    layer: 'Zones', automatic: 'Automatique (la plus fine disponible)', levelPROVINCE: 'provinces et territoires',
    levelCENSUS_DIVISION: 'divisions de recensement', levelCENSUS_SUBDIVISION: 'subdivisions de recensement',
    levelNEIGHBOURHOOD: 'quartiers', levelDISSEMINATION_AREA: 'aires de diffusion', under: 'en dessous',
    areasInView: 'zones dans la vue', curveTitle: 'Jeunes à portée à mesure que des sites s’ajoutent',
    sitesAxis: 'sites ajoutés', marginalTitle: 'Jeunes qu’ajoute chaque nouveau site', byProvince: 'Couverture par province',
    byPartnership: 'Couverture par partenariat', ageProfile: 'Jeunes par âge : à portée ou non',
    report: 'Imprimer un rapport régional', reportFor: 'Rapport pour', reportProvinces: 'Chaque province et territoire',
    reportPartnership: 'Le partenariat choisi', reportSelected: 'La zone sélectionnée',
    reportTitle: 'Rapport sur la couverture du mentorat', method: 'Méthode', credits: 'Sources',
    generated: 'Préparé le', filterLine: 'Âges {min} à {max}', reportNoPartnership: 'Choisissez d’abord un partenariat dans les filtres.',
    reportNoArea: 'Sélectionnez d’abord une zone sur la carte.', print: 'Imprimer ou enregistrer en PDF',
    closeReport: 'Fermer le rapport', skip: 'Aller à la carte', mapKeys: 'Flèches : déplacer; + et − : zoomer.',
  },
};

// Every loaded census dataset is a level: drawn from its level's zoom on, where its extent meets the view; the
// finest one there wins, so zoomed in over Vancouver the map never shows Toronto's neighbourhoods.
const LEVELS = {
  PROVINCE: {rank: 0, minZoom: 0}, CENSUS_DIVISION: {rank: 1, minZoom: 5}, CENSUS_SUBDIVISION: {rank: 2, minZoom: 7},
  NEIGHBOURHOOD: {rank: 3, minZoom: 9}, DISSEMINATION_AREA: {rank: 4, minZoom: 10},
};
const PROGRAM_MIN_ZOOM = 6;
const SERVICE_MIN_ZOOM = 8;
const COVERAGE_CLASSES = [0, 0.2, 0.4, 0.6, 0.8];
const ACCESS_CLASSES = [0, 1, 5, 10, 25];
// ColorBrewer YlGnBu: sequential, safe for the common colour-vision deficiencies and in greyscale print.
const PALETTE = ['#ffffcc', '#a1dab4', '#41b6c4', '#2c7fb8', '#253494'];
const NO_DATA = '#bdbdbd';
const FILTER_IDS = ['ageMin', 'ageMax', 'model', 'setting', 'language', 'mode', 'partnership'];

/** The decoded tiles on the map by dataset and tile key; its version moves with every change (tileFeatures' memo). */
class TileStore extends Map {
  version = 0;
  set(key, value) { this.version++; return super.set(key, value); }
  delete(key) { this.version++; return super.delete(key); }
}

const state = {
  lang: 'en', metric: 'coverage', token: sessionStorage.getItem('hubToken') || '', layerChoice: '',
  datasets: new Map(), tiles: new TileStore(), programs: [], selected: null, report: null, top: null, under: null,
  restoring: false, lastUrl: null,
};
const t = key => T[state.lang][key] ?? key;
const $ = id => document.getElementById(id);
const fmt = (v, digits = 0) => v == null ? '—' : Number(v).toLocaleString(state.lang === 'fr' ? 'fr-CA' : 'en-CA',
  {maximumFractionDigits: digits, minimumFractionDigits: digits});
const pct = v => v == null ? '—' : fmt(100 * v, 1) + ' %';

window.hubMap = {state: 'loading', errors: [], readyAt: null, firstPaintAt: null, bytes: 0,
  // Without animation: Leaflet drops a setView that arrives while an animated zoom is still running.
  stats: () => stats(), zoom: () => map.getZoom(), areaPoint: code => areaPoint(code),
  view: (lat, lon, zoom) => map.setView([lat, lon], zoom, {animate: false}),
  codes: () => inView().map(a => a.code),
  // Areas whose figures the caller sees (the public's small areas are withheld, and so is their age profile).
  openCodes: () => inView().filter(a => !a.properties.suppressed).map(a => a.code),
  point: (lat, lon) => { const p = map.latLngToContainerPoint([lat, lon]); return {x: p.x, y: p.y}; }};

async function gql(query, variables = {}) {
  const headers = {'Content-Type': 'application/json'};
  if (state.token) headers.Authorization = 'Bearer ' + state.token;
  const response = await fetch('/graphql', {method: 'POST', headers, body: JSON.stringify({query, variables})});
  const body = await response.json();
  if (body.errors) throw new Error(body.errors.map(e => e.message).join('; '));
  return body.data;
}

const renderer = L.canvas({padding: 0.2});
const map = L.map('map', {preferCanvas: true, renderer, zoomSnap: 1, minZoom: 3, maxZoom: 16, keyboard: true,
  worldCopyJump: false}).setView([62, -96], 3);
map.createPane('under').style.zIndex = 390;
map.createPane('areas').style.zIndex = 395;
map.createPane('points').style.zIndex = 640;
map.createPane('regions').style.zIndex = 420;
const layers = {
  gaps: L.layerGroup().addTo(map), service: L.layerGroup().addTo(map), plan: L.layerGroup().addTo(map),
  regions: L.layerGroup().addTo(map),
  areaTiles: null, underTiles: null, programTiles: null,
};

function filter() {
  const f = {ages: {min: Number($('ageMin').value) || 6, max: Number($('ageMax').value) || 18}};
  for (const [id, key] of [['model', 'model'], ['setting', 'setting'], ['mode', 'mode'], ['language', 'language'],
    ['partnership', 'partnership']]) {
    if ($(id).value) f[key] = [$(id).value];
  }
  return f;
}
const filterKey = () => JSON.stringify([filter(), state.metric, state.token ? 'token' : 'public']);

// --- Levels: which dataset draws here -------------------------------------------------------------------------
function extentBounds(d) {
  return L.latLngBounds([d.extent.south, d.extent.west], [d.extent.north, d.extent.east]);
}
function overlap(a, b) {
  const w = Math.max(0, Math.min(a.getEast(), b.getEast()) - Math.max(a.getWest(), b.getWest()));
  const h = Math.max(0, Math.min(a.getNorth(), b.getNorth()) - Math.max(a.getSouth(), b.getSouth()));
  return w * h;
}
function size(b) {
  return (b.getEast() - b.getWest()) * (b.getNorth() - b.getSouth());
}

/** The dataset drawn on top here, and the coarser one beneath where the top one does not cover the view. */
function chooseLevels() {
  const z = map.getZoom();
  const view = map.getBounds();
  const all = [...state.datasets.values()].filter(d => d.extent && LEVELS[d.level]);
  if (!all.length) return {top: null, under: null};
  const meets = all.filter(d => extentBounds(d).intersects(view));
  const byFit = (a, b) => LEVELS[b.level].rank - LEVELS[a.level].rank
    || overlap(extentBounds(b), view) - overlap(extentBounds(a), view)
    || size(extentBounds(a)) - size(extentBounds(b));
  let top = state.datasets.get(state.layerChoice);
  if (!top) {
    const fitting = meets.filter(d => LEVELS[d.level].minZoom <= z).sort(byFit);
    top = fitting[0] || all.sort((a, b) => LEVELS[a.level].rank - LEVELS[b.level].rank)[0];
  }
  let under = null;
  const topBox = extentBounds(top);
  if (overlap(topBox, view) < 0.98 * size(view)) {
    under = meets.filter(d => d.id !== top.id && LEVELS[d.level].rank < LEVELS[top.level].rank
      && LEVELS[d.level].minZoom <= z && size(extentBounds(d)) > 1.5 * size(topBox)).sort(byFit)[0] || null;
  }
  return {top, under};
}

// --- Vector tiles --------------------------------------------------------------------------------------------
function colour(v) {
  if (v == null) return NO_DATA;
  const classes = state.metric === 'coverage' ? COVERAGE_CLASSES : ACCESS_CLASSES;
  let i = 0;
  while (i + 1 < classes.length && v >= classes[i + 1]) i++;
  return PALETTE[i];
}
function value(p) {
  if (!p) return null;
  return state.metric === 'coverage' ? (p.suppressed ? null : p.ratio ?? null) : p.places_per_1000 ?? null;
}

function tileQuery() {
  return '?filter=' + encodeURIComponent(JSON.stringify(filter())) + '&metric=' + state.metric;
}

/**
 * A layer of the hub's vector tiles: each tile fetched, decoded (mvt.js) and drawn on its canvas, its features kept
 * in {@code state.tiles} for hit tests, In view and exports. A tile that leaves the view stops its request.
 */
const HubTiles = L.GridLayer.extend({
  createTile(coords, done) {
    const canvas = L.DomUtil.create('canvas', 'leaflet-tile');
    const size = this.getTileSize();
    const ratio = window.devicePixelRatio || 1;
    canvas.width = size.x * ratio;
    canvas.height = size.y * ratio;
    canvas.style.width = size.x + 'px';
    canvas.style.height = size.y + 'px';
    const abort = new AbortController();
    canvas.hubAbort = abort;
    const started = performance.now();
    const url = L.Util.template(this.options.url, {x: coords.x, y: coords.y, z: coords.z});
    fetch(url, {...this.options.fetchOptions, signal: abort.signal})
      .then(r => {
        if (!r.ok) throw new Error(`tile ${coords.z}/${coords.x}/${coords.y}: HTTP ${r.status}`);
        return r.arrayBuffer();
      })
      .then(buffer => {
        const tile = decodeTile(buffer);
        performance.mark('hub-tile', {detail: {ms: performance.now() - started, z: coords.z, kind: this.options.kind}});
        const key = this.options.datasetId + '|' + this._tileCoordsToKey(coords);
        // Not yet unloaded: the tile is still on the map.
        if (!abort.signal.aborted) {
          state.tiles.set(key, {layer: this, coords, dataset: this.options.datasetId, kind: this.options.kind,
            layers: tile});
        }
        const ctx = canvas.getContext('2d');
        ctx.scale(ratio, ratio);
        this.options.paint(ctx, tile, size.x);
        done(null, canvas);
      })
      .catch(e => { if (e.name !== 'AbortError') done(e, canvas); });
    return canvas;
  },
});

const programRadius = p => (p.programs > 1 ? 7 + Math.min(12, Math.sqrt(p.programs) * 2) : 5);

function tileLayer(kind, url, datasetId, pane, opacity) {
  const fetchOptions = state.token ? {headers: {Authorization: 'Bearer ' + state.token}} : {};
  const paint = kind === 'programs'
    ? (ctx, tile, size) => tile.programs && paintPoints(ctx, tile.programs, size, programRadius,
      {fill: '#b35806', stroke: '#ffffff', width: 1.5})
    : (ctx, tile, size) => tile.areas && paintAreas(ctx, tile.areas, size, p => colour(value(p)),
      {opacity, stroke: '#4d4d4d', width: 0.6});
  // Clicks are hit-tested on the decoded tiles (hitTest): the programs' tiles lie over the areas' ones.
  const layer = new HubTiles({url, pane, fetchOptions, kind, datasetId, paint, maxZoom: 16});
  layer.on('tileunload', e => {
    e.tile.hubAbort?.abort();
    state.tiles.delete(datasetId + '|' + layer._tileCoordsToKey(e.coords));
  });
  return layer;
}

/**
 * What is under a point of the map: a program (cluster) within its symbol, else the top level's area, else the
 * area beneath; {@code areasFirst} (the keyboard's Enter at the centre) skips programs.
 */
function hitTest(latlng, areasFirst) {
  const z = map.getZoom();
  const gp = map.project(latlng, z);
  let area = null, beneath = null;
  for (const tile of state.tiles.values()) {
    const c = tile.coords;
    if (c.z !== z || gp.x < c.x * 256 || gp.x >= (c.x + 1) * 256 || gp.y < c.y * 256 || gp.y >= (c.y + 1) * 256) continue;
    for (const [name, l] of Object.entries(tile.layers)) {
      const s = l.extent / 256;
      const px = (gp.x - c.x * 256) * s, py = (gp.y - c.y * 256) * s;
      for (const f of l.features) {
        if (name === 'programs') {
          if (areasFirst) continue;
          const p = f.geometry[0][0] || f.geometry[0];
          const r = programRadius(f.properties) + 3;
          if (Math.hypot(p.x - px, p.y - py) <= r * s) return {kind: 'program', properties: f.properties};
        } else if (tile.dataset === state.top?.id && !area && inside(f.geometry, px, py)) {
          area = {kind: 'area', properties: f.properties, dataset: tile.dataset};
        } else if (tile.dataset === state.under?.id && !beneath && inside(f.geometry, px, py)) {
          beneath = {kind: 'area', properties: f.properties, dataset: tile.dataset};
        }
      }
    }
  }
  return area || beneath;
}

function inside(rings, x, y) {
  let odd = false;
  for (const r of rings) {
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      if ((r[i].y > y) !== (r[j].y > y) && x < (r[j].x - r[i].x) * (y - r[i].y) / (r[j].y - r[i].y) + r[i].x) odd = !odd;
    }
  }
  return odd;
}

function select(latlng, areasFirst = false) {
  const hit = hitTest(latlng, areasFirst);
  if (!hit) return;
  if (hit.kind === 'program') {
    if (hit.properties.programs > 1) map.setView(latlng, Math.min(16, map.getZoom() + 2));
    else showProgram(hit.properties.id);
  } else {
    showArea(hit.properties, hit.dataset);
  }
}

/** Resolves once the layer's visible tiles are in: at once when none is pending ('load' fires after the last). */
function waitForTiles(layer) {
  return new Promise(resolve => {
    if (layer._map && !layer._loading) return resolve();
    layer.once('load', () => resolve());
  });
}

async function drawAreas() {
  const {top, under} = chooseLevels();
  if (!top) return;
  const key = filterKey();
  const changed = !layers.areaTiles || state.top?.id !== top.id || state.tilesKey !== key;
  const underChanged = (state.under?.id || null) !== (under?.id || null) || state.tilesKey !== key;
  const waits = [];
  if (changed) {
    if (layers.areaTiles) map.removeLayer(layers.areaTiles);
    layers.areaTiles = tileLayer('areas', `/tiles/areas/${encodeURIComponent(top.id)}/{z}/{x}/{y}.mvt` + tileQuery(),
      top.id, 'areas', 0.8);
    for (const k of [...state.tiles.keys()]) if (k.startsWith(state.top?.id + '|')) state.tiles.delete(k);
    waits.push(waitForTiles(layers.areaTiles));
    layers.areaTiles.addTo(map);
  }
  if (underChanged) {
    if (layers.underTiles) map.removeLayer(layers.underTiles);
    layers.underTiles = null;
    if (under) {
      layers.underTiles = tileLayer('areas', `/tiles/areas/${encodeURIComponent(under.id)}/{z}/{x}/{y}.mvt`
        + tileQuery(), under.id, 'under', 0.55);
      waits.push(waitForTiles(layers.underTiles));
      layers.underTiles.addTo(map);
    }
  }
  state.top = top;
  state.under = under;
  state.tilesKey = key;
  state.dataset = top.id;
  if (!changed && layers.areaTiles._loading) waits.push(waitForTiles(layers.areaTiles));
  await Promise.all(waits);
  if (window.hubMap.firstPaintAt == null) {
    window.hubMap.firstPaintAt = performance.now();
    performance.mark('hub-first-paint');
  }
}

function drawProgramTiles() {
  const key = JSON.stringify(filter());
  if (map.getZoom() < PROGRAM_MIN_ZOOM) {
    if (layers.programTiles) map.removeLayer(layers.programTiles);
    layers.programTiles = null;
    return Promise.resolve();
  }
  if (layers.programTiles && state.programKey === key && state.programToken === state.token) {
    return layers.programTiles._loading ? waitForTiles(layers.programTiles) : Promise.resolve();
  }
  if (layers.programTiles) map.removeLayer(layers.programTiles);
  layers.programTiles = tileLayer('programs', '/tiles/programs/{z}/{x}/{y}.mvt?filter='
    + encodeURIComponent(JSON.stringify(filter())), 'programs', 'points', 1);
  state.programKey = key;
  state.programToken = state.token;
  const wait = waitForTiles(layers.programTiles);
  layers.programTiles.addTo(map);
  return wait;
}

/** Features of loaded tiles, one per code (an area split over tiles is one area), with bounds in degrees. */
function tileFeatures(dataset, layerName) {
  // Asked many times a view (In view, totals, each gap's names): walked once per change of tiles or zoom.
  const memo = dataset + '|' + layerName + '|' + map.getZoom() + '|' + state.tiles.version;
  if (!tileFeatures.memo.has(memo)) {
    if (tileFeatures.memo.size >= 4) tileFeatures.memo.clear();
    tileFeatures.memo.set(memo, walkTileFeatures(dataset, layerName));
  }
  return tileFeatures.memo.get(memo);
}
tileFeatures.memo = new Map();

function walkTileFeatures(dataset, layerName) {
  const byCode = new Map();
  for (const tile of state.tiles.values()) {
    if (tile.dataset !== dataset || !tile.layers[layerName]) continue;
    if (tile.coords.z !== map.getZoom()) continue;
    const l = tile.layers[layerName];
    for (const f of l.features) {
      const id = layerName === 'programs' ? f.properties.id + '@' + tile.coords.x + ':' + tile.coords.y
        + ':' + (f.geometry[0]?.[0]?.x ?? f.geometry[0]?.x) : f.properties.code;
      const bounds = featureBounds(f, tile.coords, l.extent);
      const seen = byCode.get(id);
      if (seen) seen.bounds.extend(bounds);
      else byCode.set(id, {code: f.properties.code, properties: f.properties, bounds, parts: [{f, coords: tile.coords,
        extent: l.extent}]});
      if (seen) seen.parts.push({f, coords: tile.coords, extent: l.extent});
    }
  }
  return [...byCode.values()];
}

function toLatLng(coords, extent, p) {
  const s = 256 / extent;
  return map.unproject(L.point(coords.x * 256 + p.x * s, coords.y * 256 + p.y * s), coords.z);
}
function featureBounds(f, coords, extent) {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const rings = Array.isArray(f.geometry[0]) ? f.geometry : [f.geometry];
  for (const ring of rings) {
    for (const p of ring) {
      minX = Math.min(minX, Math.max(0, p.x)); maxX = Math.max(maxX, Math.min(extent, p.x));
      minY = Math.min(minY, Math.max(0, p.y)); maxY = Math.max(maxY, Math.min(extent, p.y));
    }
  }
  return L.latLngBounds(toLatLng(coords, extent, {x: minX, y: maxY}), toLatLng(coords, extent, {x: maxX, y: minY}));
}

function inView() {
  if (!state.top) return [];
  const view = map.getBounds();
  return tileFeatures(state.top.id, 'areas').filter(a => view.intersects(a.bounds));
}
function programsInView() {
  const view = map.getBounds();
  return tileFeatures('programs', 'programs').filter(p => view.intersects(p.bounds));
}

// --- Figures that tiles do not carry: dataset totals, method and gaps, from GraphQL ----------------------------
const reports = new Map();
function coverageReport(dataset) {
  const key = dataset + filterKey();
  if (!reports.has(key)) {
    const query = state.metric === 'coverage'
      ? `query($d: ID!, $f: CoverageFilter) { coverage(dataset: $d, filter: $f) {
          dataset { id title vintage licence level } method { name description assumptions credits }
          totals { youth covered uncovered ratio suppressed }
          gaps(first: 10) { rank geometry unmetYouth areaKm2 areaCodes } } }`
      : `query($d: ID!, $f: CoverageFilter) { access(dataset: $d, filter: $f) {
          dataset { id title vintage licence level } method { name description assumptions credits } placesPer1000 } }`;
    reports.set(key, gql(query, {d: dataset, f: filter()}).then(d => d.coverage || d.access));
  }
  return reports.get(key);
}

function drawGaps(report) {
  layers.gaps.clearLayers();
  const list = $('gaps');
  list.innerHTML = '';
  const gaps = report?.gaps || [];
  for (const gap of gaps) {
    // Not interactive: a click goes through to the census area under the gap.
    const shape = L.geoJSON(gap.geometry, {renderer, interactive: false, style: {color: '#b2182b', weight: 2,
      dashArray: '4 3', fill: true, fillColor: '#b2182b', fillOpacity: 0.12}});
    if ($('showGaps').checked) shape.addTo(layers.gaps);
    const li = document.createElement('li');
    li.textContent = `${t('gap')} ${gap.rank}: ${fmt(gap.unmetYouth)} ${t('unmet')} (${fmt(gap.areaKm2, 1)} km²) — `
      + `${gap.areaCodes.slice(0, 3).map(c => nameOf(c) || c).join(', ')} `;
    const zoom = document.createElement('button');
    zoom.type = 'button';
    zoom.textContent = t('zoomTo');
    zoom.addEventListener('click', () => map.fitBounds(shape.getBounds(), {maxZoom: 13}));
    li.append(zoom);
    list.append(li);
  }
}

function nameOf(code) {
  const hit = state.top && tileFeatures(state.top.id, 'areas').find(a => a.code === code);
  return hit ? hit.properties.name : null;
}

function datasetLine(d) {
  return `${d.title} (${t('level' + d.level)}; ${d.vintage})`;
}

function summary() {
  const report = state.report;
  const visible = inView();
  const totals = $('totals');
  totals.innerHTML = '';
  if (state.top) {
    $('dataset-line').textContent = `${t('dataset')}: ${datasetLine(state.top)} — ${visible.length} ${t('areasInView')}`
      + (state.under ? `; ${t('under')}: ${datasetLine(state.under)}` : '');
  }
  const add = (label, v) => {
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.textContent = v;
    totals.append(dt, dd);
  };
  if (state.metric === 'coverage') {
    let youth = 0, covered = 0, hidden = 0;
    for (const a of visible) {
      const p = a.properties;
      if (p.suppressed || p.youth == null) { hidden++; continue; }
      youth += p.youth;
      covered += p.covered ?? 0;
    }
    add(t('youth'), fmt(youth));
    add(t('covered'), fmt(covered));
    add(t('uncovered'), fmt(Math.max(0, youth - covered)));
    add(t('ratio'), youth ? fmt(100 * covered / youth, 1) + ' %' : '—');
    if (hidden) add(t('suppressed'), String(hidden));
  } else {
    let youth = 0, weighted = 0;
    for (const a of visible) {
      const p = a.properties;
      if (p.youth == null || p.places_per_1000 == null) continue;
      youth += p.youth;
      weighted += p.youth * p.places_per_1000;
    }
    add(t('youth'), fmt(youth));
    add(t('placesPer1000'), youth ? fmt(weighted / youth, 1) : '—');
  }
  state.programs = programsInView();
  add(t('programsInView'), String(state.programs.reduce((s, p) => s + (p.properties.programs || 1), 0)));
  $('credits').textContent = report ? report.dataset.licence : '';
}

/** Opens the details panel under a title; returns a function that adds one "label: value" row. */
// Partnerships' regions: each outline with its name, a click on it gives the partnership's card; the land outside every
// region is shaded, which is where the national network needs a new partner.
async function drawRegions() {
  layers.regions.clearLayers();
  state.regions = [];
  if (!$('showRegions').checked) return;
  const d = await gql(`{ partnerships(status: [ACTIVE]) { id slug name outline activeProgramCount lastSyncAt } }`);
  state.regions = d.partnerships.filter(p => p.outline);
  const holes = [];
  for (const p of state.regions) {
    const geometry = typeof p.outline === 'string' ? JSON.parse(p.outline) : p.outline;
    const polygons = geometry.type === 'MultiPolygon' ? geometry.coordinates : [geometry.coordinates];
    for (const polygon of polygons) holes.push(polygon[0]);
    L.geoJSON(geometry, {pane: 'regions', interactive: true,
      // The outline only (no fill) answers the pointer: a click inside the region still opens the area there.
      style: {color: '#4a1486', weight: 4, opacity: 0.8, dashArray: '8 4', fill: false}})
      .bindTooltip(p.name, {sticky: true})
      .on('click', e => { L.DomEvent.stopPropagation(e); showRegion(p); })
      .addTo(layers.regions);
  }
  // One shape: Canada's box with every region cut out (even-odd: where regions overlap the cut-outs cancel,
  // so overlaps read as outside here; the network view in the API gives overlaps exactly).
  const box = [[-142, 41], [-52, 41], [-52, 84], [-142, 84], [-142, 41]];
  L.geoJSON({type: 'Polygon', coordinates: [box, ...holes]}, {pane: 'regions', interactive: false,
    style: {stroke: false, fillColor: '#636363', fillOpacity: 0.25, fillRule: 'evenodd'}})
    .bindTooltip(t('outsideRegions')).addTo(layers.regions);
}

function showRegion(p) {
  state.selected = {kind: 'region', slug: p.slug, name: p.name};
  const add = openDetails(p.name);
  add(t('regionPrograms'), fmt(p.activeProgramCount));
  add(t('lastSync'), p.lastSyncAt ? new Date(p.lastSyncAt).toLocaleString(state.lang === 'fr' ? 'fr-CA' : 'en-CA')
    : t('never'));
  add(t('freshness'), p.lastSyncAt ? fmt((Date.now() - Date.parse(p.lastSyncAt)) / 86_400_000, 1) + ' ' + t('days')
    : t('never'));
}

function openDetails(title) {
  $('details').hidden = false;
  $('details-title').textContent = title;
  const body = $('details-body');
  body.innerHTML = '';
  $('details-chart').innerHTML = '';
  return (label, v) => {
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.textContent = v ?? '—';
    body.append(dt, dd);
  };
}

function showArea(p, dataset) {
  state.selected = {kind: 'area', code: p.code, dataset, name: p.name};
  const add = openDetails(p.name);
  if (state.metric === 'coverage') {
    if (p.suppressed) add(t('youth'), t('suppressed'));
    else {
      add(t('youth'), fmt(p.youth));
      add(t('covered'), fmt(p.covered));
      add(t('uncovered'), fmt(p.uncovered));
      add(t('ratio'), pct(p.ratio));
    }
    add(t('programsReaching'), String(p.programs_reaching ?? 0));
  } else {
    add(t('youth'), fmt(p.youth));
    add(t('placesPer1000'), fmt(p.places_per_1000, 1));
  }
  $('details').dataset.code = p.code;
  $('details-close').focus();
  ageProfile(p, dataset);
  writeUrl();
}

/** The area's youth by single year of age, each age's share within reach from coverage() for that age alone. */
async function ageProfile(p, dataset) {
  const box = $('details-chart');
  if (p.suppressed) return;
  try {
    const f = filter();
    const ages = [];
    for (let a = f.ages.min; a <= f.ages.max; a++) ages.push(a);
    const fields = ages.map(a => `a${a}: coverage(dataset: $d, region: {areaCodes: [$c]}, filter: `
      + `{ages: {min: ${a}, max: ${a}}${f.model ? ', model: $model' : ''}${f.setting ? ', setting: $setting' : ''}`
      + `${f.mode ? ', mode: $mode' : ''}${f.language ? ', language: $language' : ''}`
      + `${f.partnership ? ', partnership: $partnership' : ''}}) { totals { youth covered } }`).join('\n');
    const vars = {d: dataset, c: p.code, model: f.model, setting: f.setting, mode: f.mode, language: f.language,
      partnership: f.partnership};
    const decl = '$d: ID!, $c: ID!' + (f.model ? ', $model: [MentoringModel!]' : '') + (f.setting
      ? ', $setting: [ProgramSetting!]' : '') + (f.mode ? ', $mode: [DeliveryMode!]' : '') + (f.language
      ? ', $language: [String!]' : '') + (f.partnership ? ', $partnership: [ID!]' : '');
    const d = await gql(`query(${decl}) { ${fields} }`, vars);
    if (state.selected?.code !== p.code) return;
    const rows = ages.map(a => ({label: String(a), total: d['a' + a].totals.youth, part: d['a' + a].totals.covered}));
    box.append(barChart(t('ageProfile'), rows, {stacked: true, partLabel: t('covered'), restLabel: t('uncovered')}));
  } catch (e) {
    box.textContent = t('error') + (e.message || e);
  }
}

async function showProgram(id) {
  state.selected = {kind: 'program', id};
  try {
    const d = await gql(`query($id: ID!) { program(id: $id) { id name ages { min max } model mode languages
        serviceArea { kind radiusKm } capacity { activeMatches maximum waitlist }
        provenance { source sourceId lastChanged lastVerified } partnership { name } } }`, {id});
    const p = d.program;
    const add = openDetails(p.name);
    add(t('partnershipName'), p.partnership.name);
    add(t('ages'), `${p.ages.min ?? '?'}–${p.ages.max ?? '?'}`);
    add(t('modelLabel'), p.model);
    add(t('modeLabel'), p.mode);
    add(t('languages'), p.languages.join(', '));
    add(t('radius'), p.serviceArea.radiusKm != null ? p.serviceArea.radiusKm + ' km' : p.serviceArea.kind);
    add(t('capacity'), `${p.capacity.activeMatches ?? '?'} / ${p.capacity.maximum ?? '?'} / ${p.capacity.waitlist ?? '?'}`);
    add(t('provenance'), `${p.provenance.source} · ${p.provenance.sourceId}`);
    add(t('lastVerified'), p.provenance.lastVerified ? new Date(p.provenance.lastVerified).toLocaleDateString() : '—');
    add(t('lastChanged'), new Date(p.provenance.lastChanged).toLocaleDateString());
    $('details').dataset.code = '';
    $('details-close').focus();
  } catch (e) {
    setStatus(t('error') + (e.message || e));
  }
}

// Service areas are an opt-in detail: circles of the programs in view, from GraphQL (at most 500 programs).
async function drawServiceAreas() {
  layers.service.clearLayers();
  if (!$('serviceAreas').checked || map.getZoom() < SERVICE_MIN_ZOOM) return;
  const b = map.getBounds();
  const f = {...filter(), bbox: {west: b.getWest(), south: b.getSouth(), east: b.getEast(), north: b.getNorth()}};
  // For programs, ages means "serves all of these ages": untouched (6-18), it would hide every narrower program.
  if (f.ages.min === 6 && f.ages.max === 18) delete f.ages;
  let after = null;
  for (let page = 0; page < 5; page++) {
    const d = await gql(`query($f: ProgramFilter, $a: String) { programs(filter: $f, first: 100, after: $a) {
        edges { node { serviceArea { radiusKm } sites { latitude longitude } } }
        pageInfo { hasNextPage endCursor } } }`, {f, a: after});
    for (const e of d.programs.edges) {
      if (!e.node.serviceArea.radiusKm) continue;
      for (const s of e.node.sites) {
        L.circle([s.latitude, s.longitude], {renderer, interactive: false, radius: e.node.serviceArea.radiusKm * 1000,
          color: '#542788', weight: 1, fillOpacity: 0.05}).addTo(layers.service);
      }
    }
    if (!d.programs.pageInfo.hasNextPage) break;
    after = d.programs.pageInfo.endCursor;
  }
}

function legend() {
  $('legend-title').textContent = state.metric === 'coverage' ? t('legendCoverage') : t('legendAccess');
  const classes = state.metric === 'coverage' ? COVERAGE_CLASSES : ACCESS_CLASSES;
  const list = $('legend');
  list.innerHTML = '';
  const item = (colourValue, label) => {
    const li = document.createElement('li');
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = colourValue;
    li.append(sw, document.createTextNode(' ' + label));
    list.append(li);
  };
  classes.forEach((low, i) => {
    const high = classes[i + 1];
    item(PALETTE[i], state.metric === 'coverage'
      ? (high == null ? `≥ ${low * 100} %` : `${low * 100}–${high * 100} %`)
      : (high == null ? `≥ ${low}` : `${low}–${high}`));
  });
  item(NO_DATA, t('noData'));
  $('legend-dataset').textContent = state.top ? datasetLine(state.top) : '';
}

function translate() {
  document.documentElement.lang = state.lang;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  $('lang').textContent = t('langButton');
  // The accessible name holds the visible text (WCAG 2.5.3).
  $('lang').setAttribute('aria-label', `${t('langButton')} — ${t('langLabel')}`);
  $('map').setAttribute('aria-label', t('mapLabel') + '. ' + t('mapKeys'));
  document.title = t('title');
  layerOptions();
}

function setStatus(text) {
  $('status').textContent = text;
}

function layerOptions() {
  const select = $('layer');
  const chosen = state.layerChoice;
  select.innerHTML = '';
  const auto = document.createElement('option');
  auto.value = '';
  auto.textContent = t('automatic');
  select.append(auto);
  const sorted = [...state.datasets.values()].sort((a, b) => (LEVELS[a.level]?.rank ?? 9) - (LEVELS[b.level]?.rank ?? 9)
    || a.title.localeCompare(b.title));
  for (const d of sorted) {
    const o = document.createElement('option');
    o.value = d.id;
    o.textContent = `${d.title} (${d.vintage})`;
    select.append(o);
  }
  select.value = state.datasets.has(chosen) ? chosen : '';
}

// --- Charts: plain SVG, labelled for screen readers ------------------------------------------------------------
const SVG = 'http://www.w3.org/2000/svg';
function svgEl(name, attrs = {}, text) {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text != null) el.textContent = text;
  return el;
}

/** Horizontal bars: rows of {label, value} (a share, 0..1), or stacked {label, total, part}. */
function barChart(title, rows, options = {}) {
  const figure = document.createElement('figure');
  figure.className = 'chart';
  const caption = document.createElement('figcaption');
  caption.textContent = title;
  const rowH = 18, labelW = 150, w = 360, valueW = 80, barW = w - labelW - valueW;
  const svg = svgEl('svg', {viewBox: `0 0 ${w} ${rows.length * rowH + 4}`, role: 'img', 'aria-label': title,
    width: '100%'});
  const max = options.stacked ? Math.max(1, ...rows.map(r => r.total || 0)) : 1;
  rows.forEach((r, i) => {
    const y = i * rowH + 2;
    svg.append(svgEl('text', {x: labelW - 4, y: y + 12, 'text-anchor': 'end', class: 'chart-label'}, r.label));
    if (options.stacked) {
      const whole = barW * (r.total || 0) / max;
      const part = barW * (r.part || 0) / max;
      svg.append(svgEl('rect', {x: labelW, y, width: whole, height: rowH - 4, class: 'bar-rest'}));
      svg.append(svgEl('rect', {x: labelW, y, width: part, height: rowH - 4, class: 'bar'}));
      svg.append(svgEl('text', {x: labelW + barW + 4, y: y + 12, class: 'chart-label'},
        options.partOnly ? fmt(r.part) : `${fmt(r.part)} / ${fmt(r.total)}`));
    } else {
      svg.append(svgEl('rect', {x: labelW, y, width: barW * Math.max(0, Math.min(1, r.value ?? 0)), height: rowH - 4,
        class: 'bar'}));
      svg.append(svgEl('text', {x: labelW + barW + 4, y: y + 12, class: 'chart-label'}, pct(r.value)));
    }
  });
  figure.append(caption, svg);
  if (options.stacked && !options.partOnly) {
    const key = document.createElement('p');
    key.className = 'hint chart-key';
    key.innerHTML = `<span class="swatch bar-swatch"></span> ${options.partLabel} `
      + `<span class="swatch rest-swatch"></span> ${options.restLabel}`;
    figure.append(key);
  }
  // The numbers as a table too, for screen readers and print.
  const table = document.createElement('table');
  table.className = 'visually-hidden';
  for (const r of rows) {
    const tr = document.createElement('tr');
    tr.innerHTML = '<th scope="row"></th><td></td>';
    tr.children[0].textContent = r.label;
    tr.children[1].textContent = options.partOnly ? fmt(r.part) : options.stacked ? `${fmt(r.part)} / ${fmt(r.total)}`
      : pct(r.value);
    table.append(tr);
  }
  figure.append(table);
  return figure;
}

/** The expansion plan's curve: youth within reach after 0, 1, ... n new sites (curve[0] is today). */
function curveChart(curve) {
  const figure = document.createElement('figure');
  figure.className = 'chart';
  figure.id = 'plan-curve';
  const caption = document.createElement('figcaption');
  caption.textContent = t('curveTitle');
  const w = 300, h = 150, left = 52, bottom = 24, top = 8, right = 10;
  const points = curve;
  const min = Math.min(...points), max = Math.max(...points);
  const span = Math.max(1, max - min);
  const x = i => left + (w - left - right) * i / Math.max(1, points.length - 1);
  const y = v => top + (h - top - bottom) * (1 - (v - min) / span);
  const svg = svgEl('svg', {viewBox: `0 0 ${w} ${h}`, role: 'img', width: '100%', 'aria-label': t('curveTitle')});
  svg.append(svgEl('line', {x1: left, y1: h - bottom, x2: w - right, y2: h - bottom, class: 'axis'}));
  svg.append(svgEl('line', {x1: left, y1: top, x2: left, y2: h - bottom, class: 'axis'}));
  svg.append(svgEl('text', {x: left - 4, y: y(max) + 4, 'text-anchor': 'end', class: 'chart-label'}, fmt(max)));
  svg.append(svgEl('text', {x: left - 4, y: y(min) + 4, 'text-anchor': 'end', class: 'chart-label'}, fmt(min)));
  svg.append(svgEl('text', {x: (w + left) / 2, y: h - 4, 'text-anchor': 'middle', class: 'chart-label'},
    t('sitesAxis')));
  svg.append(svgEl('polyline', {points: points.map((v, i) => `${x(i)},${y(v)}`).join(' '), class: 'curve'}));
  points.forEach((v, i) => {
    const dot = svgEl('circle', {cx: x(i), cy: y(v), r: 3.5, class: 'curve-dot'});
    dot.append(svgEl('title', {}, `${i}: ${fmt(v)}`));
    svg.append(dot);
    svg.append(svgEl('text', {x: x(i), y: h - bottom + 12, 'text-anchor': 'middle', class: 'chart-label'}, String(i)));
  });
  figure.append(caption, svg);
  return figure;
}

// Coverage by province (the province dataset's areas) or by partnership (one coverage() per partnership region).
async function regionChart() {
  const box = $('region-chart');
  if (state.metric !== 'coverage') { box.innerHTML = ''; $('partnership-chart').innerHTML = ''; return; }
  const provinces = [...state.datasets.values()].find(d => d.level === 'PROVINCE');
  if (!provinces) return;
  try {
    const d = await gql(`query($d: ID!, $f: CoverageFilter) { coverage(dataset: $d, filter: $f) {
        areas(first: 20) { code name figures { ratio suppressed } } } }`, {d: provinces.id, f: filter()});
    const rows = d.coverage.areas.map(a => ({label: a.name, value: a.figures.suppressed ? null : a.figures.ratio}))
      .sort((a, b) => (b.value ?? -1) - (a.value ?? -1));
    box.innerHTML = '';
    box.append(barChart(t('byProvince'), rows));
    state.provinceRows = d.coverage.areas;
  } catch (e) {
    box.textContent = t('error') + (e.message || e);
  }
  await partnershipChart(provinces);
}

// Coverage inside each active partnership's region (areas clipped to it, as coverage(region: {partnership}) does),
// best covered first; partnerships without a region have no bar.
async function partnershipChart(provinces) {
  const box = $('partnership-chart');
  try {
    const d = await gql(`{ partnerships(status: [ACTIVE]) { id name regionAreaKm2 } }`);
    const withRegion = d.partnerships.filter(p => p.regionAreaKm2).slice(0, 12);
    if (!withRegion.length) { box.innerHTML = ''; return; }
    const rows = [];
    for (const p of withRegion) {
      const c = await gql(`query($d: ID!, $r: RegionInput, $f: CoverageFilter) { coverage(dataset: $d, region: $r,
          filter: $f) { totals { ratio suppressed } } }`, {d: provinces.id, r: {partnership: p.id}, f: filter()});
      const totals = c.coverage.totals;
      rows.push({label: p.name, value: totals.suppressed ? null : totals.ratio});
    }
    rows.sort((a, b) => (b.value ?? -1) - (a.value ?? -1));
    box.innerHTML = '';
    box.append(barChart(t('byPartnership'), rows));
  } catch (e) {
    box.textContent = t('error') + (e.message || e);
  }
}

// A planner's expansion plan for the areas on screen: proposed sites, their service areas, youth each adds.
async function plan() {
  const summaryLine = $('planSummary');
  const list = $('planList');
  const charts = $('planCharts');
  layers.plan.clearLayers();
  list.innerHTML = '';
  charts.innerHTML = '';
  if (!state.token) {
    summaryLine.textContent = t('planNeedsToken');
    return;
  }
  const radiusKm = Number($('planRadius').value) || 2;
  const candidates = $('planCandidates').value === 'GRID' ? {gridKm: 2} : {openData: 'TORONTO_SCHOOLS'};
  const b = map.getBounds();
  const region = {polygon: {type: 'Polygon', coordinates: [[[b.getWest(), b.getSouth()], [b.getEast(), b.getSouth()],
    [b.getEast(), b.getNorth()], [b.getWest(), b.getNorth()], [b.getWest(), b.getSouth()]]]}};
  document.body.dataset.state = 'loading';
  try {
    const d = await gql(`query($d: ID!, $r: RegionInput, $n: Int!, $k: Float!, $c: CandidatesInput!, $f: CoverageFilter) {
        expansionPlan(dataset: $d, region: $r, sites: $n, radiusKm: $k, candidates: $c, filter: $f) { __typename
          ... on ExpansionPlan { coveredToday curve sites { rank latitude longitude label marginalYouth } }
          ... on InvalidPlan { argument message } ... on NotAllowed { message } } }`,
      {d: state.dataset, r: region, n: Number($('planSites').value) || 5, k: radiusKm, c: candidates, f: filter()});
    const result = d.expansionPlan;
    if (result.__typename !== 'ExpansionPlan') {
      summaryLine.textContent = result.message;
    } else {
      for (const site of result.sites) {
        L.circle([site.latitude, site.longitude], {renderer, interactive: false, radius: radiusKm * 1000,
          color: '#1b7837', weight: 2, fillColor: '#5aae61', fillOpacity: 0.15}).addTo(layers.plan);
        L.circleMarker([site.latitude, site.longitude], {renderer, radius: 8, color: '#fff', weight: 2,
          fillColor: '#1b7837', fillOpacity: 1, interactive: false}).addTo(layers.plan);
        const li = document.createElement('li');
        li.textContent = `${site.label || fmt(site.latitude, 4) + ', ' + fmt(site.longitude, 4)} — ${t('planAdds')} `
          + `${fmt(site.marginalYouth)}`;
        list.append(li);
      }
      const after = result.curve[result.curve.length - 1];
      summaryLine.textContent = t('planResult').replace('{today}', fmt(result.coveredToday))
        .replace('{after}', fmt(after)).replace('{added}', fmt(after - result.coveredToday));
      charts.append(curveChart(result.curve));
      const max = Math.max(1, ...result.sites.map(s => s.marginalYouth));
      charts.append(barChart(t('marginalTitle'), result.sites.map(s => ({label: `${s.rank}. ${(s.label || '').slice(0, 22)}`,
        total: max, part: s.marginalYouth})), {stacked: true, partOnly: true}));
    }
    document.body.dataset.state = 'ready';
  } catch (e) {
    summaryLine.textContent = t('error') + (e.message || e);
    document.body.dataset.state = 'ready';
  }
}

function stats() {
  let gaps = 0;
  layers.gaps.eachLayer(() => gaps++);
  let service = 0;
  layers.service.eachLayer(() => service++);
  let planned = 0;
  layers.plan.eachLayer(() => planned++);
  const programs = programsInView();
  return {areas: state.top ? tileFeatures(state.top.id, 'areas').length : 0, areasInView: inView().length,
    programMarkers: programs.length, programs: programs.reduce((s, p) => s + (p.properties.programs || 1), 0), gaps,
    serviceAreas: service, planLayers: planned, regions: (state.regions || []).length, dataset: state.dataset, under: state.under?.id || null,
    zoom: map.getZoom(), tiles: state.tiles.size};
}

/** A point inside the area (for tests and keyboard users): the middle of the widest span across its middle. */
function areaPoint(code) {
  const hit = inView().find(a => a.code === code);
  if (!hit) return null;
  // Points inside the area along a few horizontal lines, widest span first; the first that a click there would
  // open as this area (not a program marker drawn over it) wins.
  const spans = [];
  for (const {f, coords, extent} of hit.parts) {
    const rings = Array.isArray(f.geometry[0]) ? f.geometry : [f.geometry];
    let minY = Infinity, maxY = -Infinity;
    for (const r of rings) for (const p of r) { minY = Math.min(minY, p.y); maxY = Math.max(maxY, p.y); }
    for (const frac of [0.5, 0.3, 0.7, 0.2, 0.4, 0.6, 0.8]) {
      const y = minY + (maxY - minY) * frac + 0.01;
      const xs = [];
      for (const r of rings) {
        for (let i = 0; i + 1 < r.length; i++) {
          const a = r[i], b = r[i + 1];
          if ((a.y > y) !== (b.y > y)) xs.push(a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y));
        }
      }
      xs.sort((a, b) => a - b);
      for (let i = 0; i + 1 < xs.length; i += 2) {
        const x0 = Math.max(0, xs[i]), x1 = Math.min(extent, xs[i + 1]);
        if (y < 0 || y > extent || x1 - x0 <= 0) continue;
        for (const at of [0.5, 0.25, 0.75]) {
          spans.push({w: x1 - x0, latlng: toLatLng(coords, extent, {x: x0 + (x1 - x0) * at, y})});
        }
      }
    }
  }
  spans.sort((a, b) => b.w - a.w);
  const opens = spans.find(c => {
    const h = hitTest(c.latlng, false);
    return h && h.kind === 'area' && h.properties.code === code;
  });
  const best = opens || spans[0];
  if (!best) return null;
  const p = map.latLngToContainerPoint(best.latlng);
  const box = $('map').getBoundingClientRect();
  return {x: box.left + p.x, y: box.top + p.y};
}

// --- Exports: what is in view, as the user sees it -------------------------------------------------------------
function download(name, type, data) {
  const url = URL.createObjectURL(data instanceof Blob ? data : new Blob([data], {type}));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}

function exportCsv() {
  const quote = v => v == null ? '' : /[",\n]/.test(String(v)) ? '"' + String(v).replace(/"/g, '""') + '"' : String(v);
  const lines = state.metric === 'coverage'
    ? [['dataset', 'code', 'name', 'youth_6_18', 'covered', 'uncovered', 'ratio', 'programs_reaching'].join(',')]
    : [['dataset', 'code', 'name', 'youth_6_18', 'places_per_1000'].join(',')];
  for (const a of inView().sort((x, y) => String(x.code).localeCompare(String(y.code)))) {
    const p = a.properties;
    lines.push((state.metric === 'coverage'
      ? [state.dataset, p.code, p.name, p.youth, p.covered, p.uncovered, p.ratio, p.programs_reaching]
      : [state.dataset, p.code, p.name, p.youth, p.places_per_1000]).map(quote).join(','));
  }
  download(`coverage-${state.dataset}.csv`, 'text/csv', lines.join('\n') + '\n');
}

async function exportGeoJson() {
  // Full outlines (simplified for the zoom) from GraphQL: tiles hold clipped, quantized pieces.
  const b = map.getBounds();
  const tolerance = Math.max(1, Math.round(156543 / 2 ** map.getZoom()));
  const d = await gql(`query($d: ID!, $b: BoundingBoxInput, $s: Float) { censusAreas(dataset: $d, bbox: $b,
      simplifyMeters: $s) { code name boundary } }`, {d: state.dataset, s: tolerance,
    b: {west: b.getWest(), south: b.getSouth(), east: b.getEast(), north: b.getNorth()}});
  const figures = new Map(inView().map(a => [a.code, a.properties]));
  const features = d.censusAreas.map(a => ({type: 'Feature', geometry: a.boundary, properties: {kind: 'area',
    dataset: state.dataset, ...(figures.get(a.code) || {code: a.code, name: a.name})}}));
  for (const g of state.report?.gaps || []) {
    features.push({type: 'Feature', geometry: g.geometry, properties: {kind: 'gap', rank: g.rank,
      unmetYouth: g.unmetYouth, areaKm2: g.areaKm2, areaCodes: g.areaCodes}});
  }
  download(`coverage-${state.dataset}.geojson`, 'application/geo+json',
    JSON.stringify({type: 'FeatureCollection', features}));
}

/** The map as one picture: every tile canvas and the overlay canvas, where they sit on screen. */
function mapCanvas() {
  const box = $('map').getBoundingClientRect();
  const ratio = window.devicePixelRatio || 1;
  const out = document.createElement('canvas');
  out.width = Math.round(box.width * ratio);
  out.height = Math.round(box.height * ratio);
  const ctx = out.getContext('2d');
  ctx.fillStyle = '#dfe7ee';
  ctx.fillRect(0, 0, out.width, out.height);
  for (const c of $('map').querySelectorAll('canvas')) {
    const r = c.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    ctx.drawImage(c, (r.left - box.left) * ratio, (r.top - box.top) * ratio, r.width * ratio, r.height * ratio);
  }
  return out;
}

function exportPng() {
  const out = mapCanvas();
  const ctx = out.getContext('2d');
  ctx.fillStyle = '#1b1b1b';
  ctx.font = '12px sans-serif';
  ctx.fillText(state.report ? state.report.dataset.licence : '', 8, out.height - 8);
  out.toBlob(blob => download(`coverage-${state.dataset}.png`, 'image/png', blob), 'image/png');
}

// --- The printable region report: one page per province, partnership or the selected area ---------------------
async function buildReport() {
  const kind = $('reportFor').value;
  const locale = state.lang === 'fr' ? 'fr-CA' : 'en-CA';
  const f = filter();
  const provinces = [...state.datasets.values()].find(d => d.level === 'PROVINCE');
  const regions = [];
  if (kind === 'SELECTED') {
    if (state.selected?.kind !== 'area') { setStatus(t('reportNoArea')); return; }
    regions.push({title: state.selected.name, dataset: state.selected.dataset,
      region: {areaCodes: [state.selected.code]}});
  } else if (kind === 'PARTNERSHIP') {
    const id = $('partnership').value;
    if (!id) { setStatus(t('reportNoPartnership')); return; }
    regions.push({title: $('partnership').selectedOptions[0].textContent, dataset: state.dataset,
      region: {partnership: id}});
  } else {
    if (!provinces) return;
    const d = await gql(`query($d: ID!) { censusAreas(dataset: $d, simplifyMeters: 3000) { code name province
        boundary } }`, {d: provinces.id});
    for (const a of d.censusAreas.sort((x, y) => x.name.localeCompare(y.name, locale))) {
      regions.push({title: a.name, dataset: provinces.id, region: {areaCodes: [a.code]}, province: a.province,
        outline: a.boundary});
    }
  }
  document.body.dataset.state = 'loading';
  const pages = $('report');
  pages.innerHTML = '';
  const picture = mapCanvas().toDataURL('image/png');
  for (const r of regions) {
    // Ranked gaps come from the finest dataset covering the region (a province: its census divisions, say).
    let gapDataset = r.dataset, gapRegion = r.region;
    if (r.outline) {
      const box = geoBounds(r.outline);
      const finer = [...state.datasets.values()].filter(d => d.extent && LEVELS[d.level]
        && LEVELS[d.level].rank > LEVELS.PROVINCE.rank && overlap(extentBounds(d), box) >= 0.9 * size(box))
        .sort((a, b) => LEVELS[b.level].rank - LEVELS[a.level].rank)[0];
      if (finer && r.province) { gapDataset = finer.id; gapRegion = {province: r.province}; }
    }
    const d = await gql(`query($d: ID!, $r: RegionInput, $g: ID!, $gr: RegionInput, $f: CoverageFilter) {
        c: coverage(dataset: $d, region: $r, filter: $f) { dataset { title vintage licence }
          method { name description assumptions credits } totals { youth covered uncovered ratio suppressed } }
        g: coverage(dataset: $g, region: $gr, filter: $f) { dataset { title } gaps(first: 5) { rank unmetYouth areaKm2 areaCodes } } }`,
      {d: r.dataset, r: r.region, g: gapDataset, gr: gapRegion, f});
    const page = document.createElement('section');
    page.className = 'report-page';
    const c = d.c;
    page.innerHTML = `<div class="report-head"><p class="report-kicker"></p><h2></h2><p class="report-sub"></p></div>
      <dl class="report-figures"></dl><div class="report-figure"></div><h3></h3><ol class="report-gaps"></ol>
      <h3 class="m"></h3><p class="report-method"></p><ul class="report-assumptions"></ul><h3 class="cr"></h3>
      <p class="report-credits"></p>`;
    page.querySelector('.report-kicker').textContent = t('reportTitle');
    page.querySelector('h2').textContent = r.title;
    page.querySelector('.report-sub').textContent = `${c.dataset.title} (${c.dataset.vintage}) · `
      + t('filterLine').replace('{min}', f.ages.min).replace('{max}', f.ages.max) + ` · ${t('generated')} `
      + new Date().toLocaleDateString(locale);
    const dl = page.querySelector('.report-figures');
    for (const [label, v] of [[t('youth'), fmt(c.totals.youth)], [t('covered'), fmt(c.totals.covered)],
      [t('uncovered'), fmt(c.totals.uncovered)], [t('ratio'), pct(c.totals.ratio)]]) {
      const dt = document.createElement('dt'); dt.textContent = label;
      const dd = document.createElement('dd'); dd.textContent = c.totals.suppressed ? t('suppressed') : v;
      dl.append(dt, dd);
    }
    // A province's page shows its outline in its coverage class; other regions, the map as it is on screen.
    if (r.outline) {
      page.querySelector('.report-figure').append(outlineSvg(r.outline, colour(c.totals.suppressed ? null
        : c.totals.ratio), r.title));
    } else {
      const img = document.createElement('img');
      img.className = 'report-map';
      img.src = picture;
      img.alt = `${t('mapLabel')}: ${datasetLine(state.top)}`;
      page.querySelector('.report-figure').append(img);
    }
    page.querySelector('h3').textContent = `${t('topGaps')} (${d.g.dataset.title})`;
    const ol = page.querySelector('.report-gaps');
    for (const g of d.g.gaps) {
      const li = document.createElement('li');
      li.textContent = `${fmt(g.unmetYouth)} ${t('unmet')} (${fmt(g.areaKm2, 1)} km²) — ${g.areaCodes.slice(0, 4).join(', ')}`;
      ol.append(li);
    }
    page.querySelector('h3.m').textContent = `${t('method')}: ${c.method.name}`;
    page.querySelector('.report-method').textContent = c.method.description;
    const ul = page.querySelector('.report-assumptions');
    for (const a of c.method.assumptions) { const li = document.createElement('li'); li.textContent = a; ul.append(li); }
    page.querySelector('h3.cr').textContent = t('credits');
    page.querySelector('.report-credits').textContent = [...new Set([...c.method.credits, c.dataset.licence])].join(' · ');
    pages.append(page);
  }
  pages.hidden = false;
  $('report-tools').hidden = false;
  document.body.classList.add('has-report');
  document.body.dataset.state = 'ready';
  $('report-print').focus();
}

function geoBounds(geometry) {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const b = L.latLngBounds([]);
  for (const poly of polygons) for (const p of poly[0]) b.extend([p[1], p[0]]);
  return b;
}

/** A region's outline as SVG, in a plate carrée squeezed by the cosine of its middle latitude. */
function outlineSvg(geometry, fill, title) {
  const b = geoBounds(geometry);
  const k = Math.cos((b.getNorth() + b.getSouth()) / 2 * Math.PI / 180);
  const w = (b.getEast() - b.getWest()) * k, h = b.getNorth() - b.getSouth();
  const scale = Math.min(600 / w, 380 / h);
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const d = polygons.map(poly => poly.map(ring => 'M' + ring.map(p => `${((p[0] - b.getWest()) * k * scale).toFixed(1)},`
    + `${((b.getNorth() - p[1]) * scale).toFixed(1)}`).join('L') + 'Z').join('')).join('');
  const svg = svgEl('svg', {viewBox: `-5 -5 ${(w * scale + 10).toFixed(0)} ${(h * scale + 10).toFixed(0)}`, role: 'img',
    'aria-label': `${t('mapLabel')}: ${title}`, class: 'report-map'});
  svg.append(svgEl('path', {d, fill, stroke: '#333', 'stroke-width': 1, 'fill-rule': 'evenodd'}));
  return svg;
}

// --- Shareable views: the URL holds the view, the layer, the filters, the indicator and the language ------------
function urlState() {
  const c = map.getCenter();
  const q = new URLSearchParams();
  q.set('lat', c.lat.toFixed(4));
  q.set('lon', c.lng.toFixed(4));
  q.set('z', String(map.getZoom()));
  if (state.layerChoice) q.set('layer', state.layerChoice);
  if (state.metric !== 'coverage') q.set('metric', state.metric);
  if (state.lang !== 'en') q.set('lang', state.lang);
  const f = filter();
  if (f.ages.min !== 6 || f.ages.max !== 18) q.set('ages', `${f.ages.min}-${f.ages.max}`);
  for (const id of ['model', 'setting', 'language', 'mode', 'partnership']) if ($(id).value) q.set(id, $(id).value);
  if ($('serviceAreas').checked) q.set('service', '1');
  if (!$('showGaps').checked) q.set('gaps', '0');
  if (!$('showRegions').checked) q.set('regions', '0');
  if (state.selected?.kind === 'area') q.set('area', state.selected.code);
  return '?' + q.toString();
}

function writeUrl() {
  if (state.restoring) return;
  const url = urlState();
  const replace = state.replaceNext;
  state.replaceNext = false;
  if (url === location.search) return;
  // A settled view is a history entry: back and forward walk through views. The view a back/forward step has just
  // restored only corrects its own entry (a push would cut off the entries ahead of it).
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
}

/** Puts the page in the state the URL names; returns whether the view was set from it. */
function readUrl() {
  const q = new URLSearchParams(location.search);
  state.lang = q.get('lang') === 'fr' ? 'fr' : 'en';
  state.metric = q.get('metric') === 'access' ? 'access' : 'coverage';
  $('metric').value = state.metric;
  state.layerChoice = q.get('layer') || '';
  const ages = /^(\d+)-(\d+)$/.exec(q.get('ages') || '');
  $('ageMin').value = ages ? ages[1] : 6;
  $('ageMax').value = ages ? ages[2] : 18;
  for (const id of ['model', 'setting', 'language', 'mode', 'partnership']) $(id).value = q.get(id) || '';
  $('serviceAreas').checked = q.get('service') === '1';
  $('showGaps').checked = q.get('gaps') !== '0';
  $('showRegions').checked = q.get('regions') !== '0';
  state.wantArea = q.get('area');
  const lat = Number(q.get('lat')), lon = Number(q.get('lon')), z = Number(q.get('z'));
  if (q.has('lat') && Number.isFinite(lat) && Number.isFinite(lon) && Number.isFinite(z)) {
    map.setView([lat, lon], z, {animate: false});
    return true;
  }
  return false;
}

async function refresh() {
  try {
    setStatus(t('loading'));
    const started = performance.now();
    await Promise.all([drawAreas(), drawProgramTiles()]);
    performance.measure('hub-view', {start: started, end: performance.now()});
    summary();
    legend();
    if (window.hubMap.state !== 'ready') window.hubMap.readyAt = performance.now();
    const [report] = await Promise.all([coverageReport(state.dataset), drawServiceAreas()]);
    state.report = report;
    drawGaps(report);
    summary();
    if (state.wantArea) {
      const hit = inView().find(a => a.code === state.wantArea);
      state.wantArea = null;
      if (hit) showArea(hit.properties, state.dataset);
    }
    writeUrl();
    setStatus(t('ready'));
    window.hubMap.state = 'ready';
    document.body.dataset.state = 'ready';
  } catch (e) {
    window.hubMap.errors.push(String(e.message || e));
    setStatus(t('error') + (e.message || e));
    document.body.dataset.state = 'error';
  }
  // For whoever drives the map (the browser bench, an embedding page): a view is drawn, or failed; no polling.
  document.dispatchEvent(new CustomEvent('hub-refreshed', {detail: {state: document.body.dataset.state}}));
}

let pending = null;
function scheduleRefresh() {
  // Coalesces bursts of pans, zooms and filter keystrokes into one refresh.
  clearTimeout(pending);
  document.body.dataset.state = 'loading';
  pending = setTimeout(refresh, 150);
}

async function start() {
  const fromUrl = readUrl();
  translate();
  legend();
  try {
    const config = await (await fetch('/map/config')).json();
    if (config.baseMapUrl) {
      L.tileLayer(config.baseMapUrl, {attribution: config.baseMapAttribution || ''}).addTo(map);
    }
    const d = await gql(`{ partnerships { id name } censusDatasets { id title level vintage licence areaCount
        extent { west south east north } } }`);
    for (const ds of d.censusDatasets) state.datasets.set(ds.id, ds);
    const chosenPartnership = new URLSearchParams(location.search).get('partnership') || '';
    for (const p of d.partnerships) {
      const o = document.createElement('option');
      o.value = p.id;
      o.textContent = p.name;
      $('partnership').append(o);
    }
    $('partnership').value = chosenPartnership;
    layerOptions();
  } catch (e) {
    window.hubMap.errors.push(String(e.message || e));
  }
  if (!fromUrl) history.replaceState(null, '', urlState());
  $('token').value = state.token;
  map.on('moveend', scheduleRefresh);
  map.on('click', e => select(e.latlng));
  // Keyboard: Leaflet pans with the arrows and zooms with + and -; Enter opens what is at the centre.
  // (Its default is prevented: the Enter would otherwise go on to press the details' Close button, focused by then.)
  $('map').addEventListener('keydown', e => {
    if (e.key !== 'Enter' || e.target !== $('map')) return;
    e.preventDefault();
    select(map.getCenter(), true);
  });
  for (const id of [...FILTER_IDS, 'serviceAreas']) {
    $(id).addEventListener('change', () => { regionChart(); scheduleRefresh(); });
  }
  $('layer').addEventListener('change', () => { state.layerChoice = $('layer').value; scheduleRefresh(); });
  $('showGaps').addEventListener('change', () => { drawGaps(state.report); writeUrl(); });
  $('showRegions').addEventListener('change', () => { drawRegions().catch(e => window.hubMap.errors.push(String(e)));
    writeUrl(); });
  $('metric').addEventListener('change', () => { state.metric = $('metric').value; regionChart(); scheduleRefresh(); });
  $('token').addEventListener('change', () => {
    state.token = $('token').value.trim();
    sessionStorage.setItem('hubToken', state.token);
    reports.clear();
    state.tilesKey = null;
    state.programKey = null;
    scheduleRefresh();
  });
  $('lang').addEventListener('click', () => {
    state.lang = state.lang === 'en' ? 'fr' : 'en';
    translate();
    legend();
    summary();
    drawGaps(state.report);
    regionChart();
    writeUrl();
  });
  window.addEventListener('popstate', () => {
    state.restoring = true;
    const lang = state.lang;
    readUrl();
    if (lang !== state.lang) translate();
    state.restoring = false;
    state.replaceNext = true;
    scheduleRefresh();
  });
  $('details-close').addEventListener('click', () => { $('details').hidden = true; state.selected = null; $('map').focus();
    writeUrl(); });
  $('export-csv').addEventListener('click', exportCsv);
  $('export-geojson').addEventListener('click', exportGeoJson);
  $('export-png').addEventListener('click', exportPng);
  $('planRun').addEventListener('click', plan);
  $('planClear').addEventListener('click', () => { layers.plan.clearLayers(); $('planList').innerHTML = '';
    $('planCharts').innerHTML = ''; $('planSummary').textContent = ''; });
  $('report-build').addEventListener('click', () => buildReport().catch(e => {
    setStatus(t('error') + (e.message || e)); document.body.dataset.state = 'ready'; }));
  $('report-print').addEventListener('click', () => window.print());
  $('report-close').addEventListener('click', () => { $('report').hidden = true; $('report-tools').hidden = true;
    document.body.classList.remove('has-report'); $('report-build').focus(); });
  regionChart();
  await drawRegions().catch(e => window.hubMap.errors.push(String(e.message || e)));
  await refresh();
}

start();
