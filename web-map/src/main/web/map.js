// The funders' coverage map. Framework-free: Leaflet (served by the hub from its webjar) and the hub's GraphQL API,
// the same one planners use. Every vector is drawn on one canvas, which is also what the PNG export saves.

const T = {
  en: {
    title: 'Who can reach a mentor?', metric: 'Show', metricCoverage: 'Youth within reach of a program (share)',
    metricAccess: 'Mentoring places per 1,000 youth (2SFCA)', filters: 'Filters', agesFrom: 'Ages from', agesTo: 'to',
    model: 'Mentoring model', setting: 'Setting', language: 'Language', mode: 'Delivery', partnership: 'Partnership',
    any: 'Any', group: 'Group', peer: 'Peer', ementoring: 'E-mentoring', team: 'Team', community: 'Community',
    school: 'School', workplace: 'Workplace', online: 'Online', inPerson: 'In person', virtual: 'Virtual',
    hybrid: 'Hybrid', serviceAreas: 'Show service areas', showGaps: 'Highlight gaps',
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
  },
  fr: {
    title: 'Qui peut trouver un mentor?', metric: 'Afficher', metricCoverage: 'Jeunes à portée d’un programme (part)',
    metricAccess: 'Places de mentorat pour 1 000 jeunes (2SFCA)', filters: 'Filtres', agesFrom: 'Âges de', agesTo: 'à',
    model: 'Modèle de mentorat', setting: 'Milieu', language: 'Langue', mode: 'Prestation', partnership: 'Partenariat',
    any: 'Tous', group: 'En groupe', peer: 'Par les pairs', ementoring: 'Mentorat en ligne', team: 'En équipe',
    community: 'Communautaire', school: 'Scolaire', workplace: 'Milieu de travail', online: 'En ligne',
    inPerson: 'En personne', virtual: 'Virtuel', hybrid: 'Hybride', serviceAreas: 'Afficher les zones desservies',
    showGaps: 'Mettre en évidence les lacunes', signIn: 'Jeton de bailleur ou de planificateur', token: 'Jeton d’accès',
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
  },
};

// Which census layer draws at which zoom, simplified for that zoom (metres): never megabytes of full resolution.
const LEVELS = [
  {dataset: 'provinces', minZoom: 0, maxZoom: 4, simplify: 5000},
  {dataset: 'census-divisions', minZoom: 5, maxZoom: 8, simplify: 800},
  {dataset: 'toronto-neighbourhoods', minZoom: 9, maxZoom: 22, simplify: 15, under: {dataset: 'census-divisions', simplify: 150}},
];
const PROGRAM_MIN_ZOOM = 8;
const COVERAGE_CLASSES = [0, 0.2, 0.4, 0.6, 0.8];
const ACCESS_CLASSES = [0, 1, 5, 10, 25];
const PALETTE = ['#ffffcc', '#a1dab4', '#41b6c4', '#2c7fb8', '#253494'];

const state = {
  lang: 'en', metric: 'coverage', token: sessionStorage.getItem('hubToken') || '',
  geometry: new Map(), figures: new Map(), datasets: new Map(), programs: [], areaLayers: [], selected: null,
};
const t = key => T[state.lang][key] ?? key;
const $ = id => document.getElementById(id);
const fmt = (v, digits = 0) => v == null ? '—' : Number(v).toLocaleString(state.lang === 'fr' ? 'fr-CA' : 'en-CA',
  {maximumFractionDigits: digits, minimumFractionDigits: digits});

window.hubMap = {state: 'loading', errors: [], readyAt: null, stats: () => stats(), areaPoint: code => areaPoint(code),
  view: (lat, lon, zoom) => map.setView([lat, lon], zoom), codes: () => inView().map(a => a.code)};

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
const layers = {
  under: L.layerGroup().addTo(map), areas: L.layerGroup().addTo(map), gaps: L.layerGroup().addTo(map),
  service: L.layerGroup().addTo(map), programs: L.layerGroup().addTo(map), plan: L.layerGroup().addTo(map),
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

function level() {
  const z = map.getZoom();
  return LEVELS.find(l => z >= l.minZoom && z <= l.maxZoom) || LEVELS[0];
}

async function boundaries(dataset, simplify) {
  const key = dataset + '@' + simplify;
  if (!state.geometry.has(key)) {
    state.geometry.set(key, gql(`query($d: ID!, $s: Float) { censusAreas(dataset: $d, simplifyMeters: $s) {
        code name province boundary } }`, {d: dataset, s: simplify}).then(d => d.censusAreas));
  }
  return state.geometry.get(key);
}

async function figures(dataset) {
  const key = dataset + filterKey();
  if (!state.figures.has(key)) {
    const f = filter();
    // Ask for exactly the dataset's areas, inline: the hub's query-cost limit weighs what a query may return.
    const n = Math.max(1, state.datasets.get(dataset)?.areaCount || 1000);
    const query = state.metric === 'coverage'
      ? `query($d: ID!, $f: CoverageFilter) { coverage(dataset: $d, filter: $f) {
          dataset { id title vintage licence } method { name }
          totals { youth covered uncovered ratio suppressed }
          areas(first: ${n}) { code name figures { youth covered uncovered ratio suppressed } programsReaching }
          gaps(first: 10) { rank geometry unmetYouth areaKm2 areaCodes } } }`
      : `query($d: ID!, $f: CoverageFilter) { access(dataset: $d, filter: $f) {
          dataset { id title vintage licence } method { name } placesPer1000
          areas(first: ${n}) { code name youth placesPer1000 } } }`;
    state.figures.set(key, gql(query, {d: dataset, f}).then(d => d.coverage || d.access));
  }
  return state.figures.get(key);
}

function value(row) {
  if (!row) return null;
  return state.metric === 'coverage' ? (row.figures.suppressed ? null : row.figures.ratio) : row.placesPer1000;
}

function colour(v) {
  if (v == null) return '#c8c8c8';
  const classes = state.metric === 'coverage' ? COVERAGE_CLASSES : ACCESS_CLASSES;
  let i = 0;
  while (i + 1 < classes.length && v >= classes[i + 1]) i++;
  return PALETTE[i];
}

async function drawAreas() {
  const lv = level();
  setStatus(t('loading'));
  const [areas, report] = await Promise.all([boundaries(lv.dataset, lv.simplify), figures(lv.dataset)]);
  const under = lv.under ? await Promise.all([boundaries(lv.under.dataset, lv.under.simplify), figures(lv.under.dataset)])
    : null;
  layers.areas.clearLayers();
  layers.under.clearLayers();
  state.areaLayers = [];
  if (under) drawLayer(under[0], under[1], layers.under, lv.under.dataset, 0.55);
  drawLayer(areas, report, layers.areas, lv.dataset, 0.8);
  state.report = report;
  state.dataset = lv.dataset;
  drawGaps(report);
  legend();
  summary();
  setStatus(t('ready'));
}

function drawLayer(areas, report, group, dataset, opacity) {
  const byCode = new Map(report.areas.map(a => [a.code, a]));
  for (const area of areas) {
    const row = byCode.get(area.code);
    const layer = L.geoJSON(area.boundary, {renderer, style: {color: '#555', weight: 0.6, fillColor: colour(value(row)),
        fillOpacity: opacity}});
    layer.on('click', () => showArea(area, row, dataset));
    layer.addTo(group);
    state.areaLayers.push({code: area.code, dataset, layer, row, area, under: group === layers.under});
  }
}

function drawGaps(report) {
  layers.gaps.clearLayers();
  const list = $('gaps');
  list.innerHTML = '';
  const gaps = report.gaps || [];
  for (const gap of gaps) {
    // Not interactive: a click goes through to the census area under the gap.
    const shape = L.geoJSON(gap.geometry, {renderer, interactive: false, style: {color: '#c0392b', weight: 2,
        dashArray: '4 3',
        fill: true, fillColor: '#c0392b', fillOpacity: 0.12}});
    if ($('showGaps').checked) shape.addTo(layers.gaps);
    const li = document.createElement('li');
    const codes = gap.areaCodes.slice(0, 3).map(c => nameOf(c) || c).join(', ');
    li.textContent = `${t('gap')} ${gap.rank}: ${fmt(gap.unmetYouth)} ${t('unmet')} (${fmt(gap.areaKm2, 1)} km²) — ${codes} `;
    const zoom = document.createElement('button');
    zoom.type = 'button';
    zoom.textContent = t('zoomTo');
    zoom.addEventListener('click', () => map.fitBounds(shape.getBounds(), {maxZoom: 13}));
    li.append(zoom);
    list.append(li);
  }
  if (!gaps.length && state.metric === 'access') list.innerHTML = '';
}

function nameOf(code) {
  const hit = state.areaLayers.find(a => a.code === code);
  return hit ? hit.area.name : null;
}

function inView() {
  const bounds = map.getBounds();
  return state.areaLayers.filter(a => !a.under && bounds.intersects(a.layer.getBounds()));
}

function summary() {
  const report = state.report;
  if (!report) return;
  const visible = inView();
  const totals = $('totals');
  totals.innerHTML = '';
  $('dataset-line').textContent = `${t('dataset')}: ${report.dataset.title} (${t('vintage')} ${report.dataset.vintage})`
    + ` — ${visible.length}`;
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
      if (!a.row || a.row.figures.suppressed) { hidden++; continue; }
      youth += a.row.figures.youth;
      covered += a.row.figures.covered;
    }
    add(t('youth'), fmt(youth));
    add(t('covered'), fmt(covered));
    add(t('uncovered'), fmt(Math.max(0, youth - covered)));
    add(t('ratio'), youth ? fmt(100 * covered / youth, 1) + ' %' : '—');
    if (hidden) add(t('suppressed'), String(hidden));
  } else {
    let youth = 0, weighted = 0;
    for (const a of visible) {
      if (!a.row || a.row.youth == null) continue;
      youth += a.row.youth;
      weighted += a.row.youth * a.row.placesPer1000;
    }
    add(t('youth'), fmt(youth));
    add(t('placesPer1000'), youth ? fmt(weighted / youth, 1) : '—');
  }
  add(t('programsInView'), String(state.programs.length));
  $('credits').textContent = report.dataset.licence;
}

/** Opens the details panel under a title; returns a function that adds one "label: value" row. */
function openDetails(title) {
  $('details').hidden = false;
  $('details-title').textContent = title;
  const body = $('details-body');
  body.innerHTML = '';
  return (label, v) => {
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.textContent = v ?? '—';
    body.append(dt, dd);
  };
}

function showArea(area, row, dataset) {
  state.selected = {kind: 'area', code: area.code};
  const add = openDetails(area.name);
  if (!row) {
    add(t('youth'), t('noData'));
  } else if (state.metric === 'coverage') {
    const f = row.figures;
    if (f.suppressed) add(t('youth'), t('suppressed'));
    else {
      add(t('youth'), fmt(f.youth));
      add(t('covered'), fmt(f.covered));
      add(t('uncovered'), fmt(f.uncovered));
      add(t('ratio'), fmt(100 * f.ratio, 1) + ' %');
    }
    add(t('programsReaching'), String(row.programsReaching));
  } else {
    add(t('youth'), fmt(row.youth));
    add(t('placesPer1000'), fmt(row.placesPer1000, 1));
  }
  $('details').dataset.code = area.code;
  $('details-close').focus();
}

function showProgram(p) {
  state.selected = {kind: 'program', id: p.id};
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
}

async function drawPrograms() {
  layers.programs.clearLayers();
  layers.service.clearLayers();
  if (map.getZoom() < PROGRAM_MIN_ZOOM) {
    state.programs = [];
    return;
  }
  const b = map.getBounds();
  const f = {...filter(), bbox: {west: b.getWest(), south: b.getSouth(), east: b.getEast(), north: b.getNorth()}};
  // For programs, ages means "serves all of these ages": untouched (6-18), it would hide every narrower program.
  if (f.ages.min === 6 && f.ages.max === 18) delete f.ages;
  const programs = [];
  let after = null;
  for (let page = 0; page < 5; page++) {
    const d = await gql(`query($f: ProgramFilter, $a: String) { programs(filter: $f, first: 100, after: $a) {
        edges { node { id name ages { min max } model mode languages serviceArea { kind radiusKm }
          capacity { activeMatches maximum waitlist } provenance { source sourceId lastChanged lastVerified }
          partnership { name } sites { latitude longitude } } }
        pageInfo { hasNextPage endCursor } } }`, {f, a: after});
    programs.push(...d.programs.edges.map(e => e.node));
    if (!d.programs.pageInfo.hasNextPage) break;
    after = d.programs.pageInfo.endCursor;
  }
  state.programs = programs;
  // Clusters: programs whose first site falls in the same 40-pixel cell are drawn as one sized circle.
  const cells = new Map();
  for (const p of programs) {
    if (!p.sites.length) continue;
    const pt = map.latLngToContainerPoint([p.sites[0].latitude, p.sites[0].longitude]);
    const key = Math.floor(pt.x / 40) + ':' + Math.floor(pt.y / 40);
    if (!cells.has(key)) cells.set(key, []);
    cells.get(key).push(p);
    if ($('serviceAreas').checked && p.serviceArea.radiusKm) {
      for (const s of p.sites) {
        L.circle([s.latitude, s.longitude], {renderer, interactive: false, radius: p.serviceArea.radiusKm * 1000,
          color: '#7a3e9d',
          weight: 1, fillOpacity: 0.05}).addTo(layers.service);
      }
    }
  }
  for (const group of cells.values()) {
    const lat = group.reduce((s, p) => s + p.sites[0].latitude, 0) / group.length;
    const lon = group.reduce((s, p) => s + p.sites[0].longitude, 0) / group.length;
    const marker = L.circleMarker([lat, lon], {renderer, radius: group.length === 1 ? 5 : 7 + Math.min(12,
        Math.sqrt(group.length) * 2), color: '#fff', weight: 1.5, fillColor: '#d35400', fillOpacity: 0.95});
    marker.bindTooltip(group.length === 1 ? group[0].name : `${group.length} ${t('programs').toLowerCase()}`);
    marker.on('click', () => group.length === 1 ? showProgram(group[0]) : map.setView([lat, lon], map.getZoom() + 2));
    marker.addTo(layers.programs);
  }
}

function legend() {
  $('legend-title').textContent = state.metric === 'coverage' ? t('legendCoverage') : t('legendAccess');
  const classes = state.metric === 'coverage' ? COVERAGE_CLASSES : ACCESS_CLASSES;
  const list = $('legend');
  list.innerHTML = '';
  classes.forEach((low, i) => {
    const high = classes[i + 1];
    const li = document.createElement('li');
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = PALETTE[i];
    const label = state.metric === 'coverage'
      ? (high == null ? `≥ ${low * 100} %` : `${low * 100}–${high * 100} %`)
      : (high == null ? `≥ ${low}` : `${low}–${high}`);
    li.append(sw, document.createTextNode(' ' + label));
    list.append(li);
  });
  const li = document.createElement('li');
  const sw = document.createElement('span');
  sw.className = 'swatch';
  sw.style.background = '#c8c8c8';
  li.append(sw, document.createTextNode(' ' + t('noData')));
  list.append(li);
}

function translate() {
  document.documentElement.lang = state.lang;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  $('lang').textContent = t('langButton');
  $('lang').setAttribute('aria-label', t('langLabel'));
  $('map').setAttribute('aria-label', t('mapLabel'));
  document.title = t('title');
}

function setStatus(text) {
  $('status').textContent = text;
}

// A planner's expansion plan for the areas on screen: proposed sites, their service areas, youth each adds.
async function plan() {
  const summaryLine = $('planSummary');
  const list = $('planList');
  layers.plan.clearLayers();
  list.innerHTML = '';
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
          color: '#1e8449', weight: 2, fillColor: '#2ecc71', fillOpacity: 0.15}).addTo(layers.plan);
        L.circleMarker([site.latitude, site.longitude], {renderer, radius: 8, color: '#fff', weight: 2,
          fillColor: '#1e8449', fillOpacity: 1}).bindTooltip(`${site.rank}. ${site.label || ''}`).addTo(layers.plan);
        const li = document.createElement('li');
        li.textContent = `${site.label || fmt(site.latitude, 4) + ', ' + fmt(site.longitude, 4)} — ${t('planAdds')} `
          + `${fmt(site.marginalYouth)}`;
        list.append(li);
      }
      const after = result.curve[result.curve.length - 1];
      summaryLine.textContent = t('planResult').replace('{today}', fmt(result.coveredToday))
        .replace('{after}', fmt(after)).replace('{added}', fmt(after - result.coveredToday));
    }
    document.body.dataset.state = 'ready';
  } catch (e) {
    summaryLine.textContent = t('error') + (e.message || e);
    document.body.dataset.state = 'ready';
  }
}

function stats() {
  let drawn = 0;
  layers.areas.eachLayer(g => g.eachLayer(() => drawn++));
  let programs = 0;
  layers.programs.eachLayer(() => programs++);
  let gaps = 0;
  layers.gaps.eachLayer(() => gaps++);
  let service = 0;
  layers.service.eachLayer(() => service++);
  let planned = 0;
  layers.plan.eachLayer(() => planned++);
  return {areas: drawn, programMarkers: programs, programs: state.programs.length, gaps, serviceAreas: service,
    planLayers: planned,
    dataset: state.dataset, zoom: map.getZoom()};
}

function areaPoint(code) {
  const hit = state.areaLayers.find(a => a.code === code && !a.under);
  if (!hit) return null;
  const p = map.latLngToContainerPoint(hit.layer.getBounds().getCenter());
  const box = $('map').getBoundingClientRect();
  return {x: box.left + p.x, y: box.top + p.y};
}

// Exports: what is in view, as the user sees it.
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
  for (const a of inView()) {
    const r = a.row;
    if (state.metric === 'coverage') {
      const f = r ? r.figures : {};
      lines.push([a.dataset, a.code, a.area.name, f.youth, f.covered, f.uncovered, f.ratio, r?.programsReaching]
        .map(quote).join(','));
    } else {
      lines.push([a.dataset, a.code, a.area.name, r?.youth, r?.placesPer1000].map(quote).join(','));
    }
  }
  download(`coverage-${state.dataset}.csv`, 'text/csv', lines.join('\n') + '\n');
}

function exportGeoJson() {
  const features = inView().map(a => ({type: 'Feature', geometry: a.area.boundary,
    properties: {kind: 'area', dataset: a.dataset, code: a.code, name: a.area.name,
      ...(a.row ? (state.metric === 'coverage' ? a.row.figures : {youth: a.row.youth, placesPer1000: a.row.placesPer1000}) : {})}}));
  for (const g of state.report?.gaps || []) {
    features.push({type: 'Feature', geometry: g.geometry, properties: {kind: 'gap', rank: g.rank,
      unmetYouth: g.unmetYouth, areaKm2: g.areaKm2, areaCodes: g.areaCodes}});
  }
  download(`coverage-${state.dataset}.geojson`, 'application/geo+json',
    JSON.stringify({type: 'FeatureCollection', features}));
}

function exportPng() {
  const canvas = renderer._container;
  const out = document.createElement('canvas');
  out.width = canvas.width;
  out.height = canvas.height;
  const ctx = out.getContext('2d');
  ctx.fillStyle = '#dfe7ee';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(canvas, 0, 0);
  ctx.fillStyle = '#1b1b1b';
  ctx.font = '12px sans-serif';
  ctx.fillText(state.report ? state.report.dataset.licence : '', 8, out.height - 8);
  out.toBlob(blob => download(`coverage-${state.dataset}.png`, 'image/png', blob), 'image/png');
}

async function refresh() {
  try {
    await drawAreas();
    await drawPrograms();
    summary();
    if (window.hubMap.state !== 'ready') {
      window.hubMap.readyAt = performance.now();
    }
    window.hubMap.state = 'ready';
    document.body.dataset.state = 'ready';
  } catch (e) {
    window.hubMap.errors.push(String(e.message || e));
    setStatus(t('error') + (e.message || e));
    document.body.dataset.state = 'error';
  }
}

let pending = null;
function scheduleRefresh() {
  // Coalesces bursts of pans, zooms and filter keystrokes into one refresh.
  clearTimeout(pending);
  document.body.dataset.state = 'loading';
  pending = setTimeout(refresh, 150);
}

async function start() {
  translate();
  legend();
  try {
    const config = await (await fetch('/map/config')).json();
    if (config.baseMapUrl) {
      L.tileLayer(config.baseMapUrl, {attribution: config.baseMapAttribution || ''}).addTo(map);
    }
    const d = await gql('{ partnerships { id name } censusDatasets { id title areaCount } }');
    for (const ds of d.censusDatasets) state.datasets.set(ds.id, ds);
    for (const p of d.partnerships) {
      const o = document.createElement('option');
      o.value = p.id;
      o.textContent = p.name;
      $('partnership').append(o);
    }
  } catch (e) {
    window.hubMap.errors.push(String(e.message || e));
  }
  $('token').value = state.token;
  map.on('moveend', scheduleRefresh);
  for (const id of ['ageMin', 'ageMax', 'model', 'setting', 'language', 'mode', 'partnership', 'serviceAreas']) {
    $(id).addEventListener('change', scheduleRefresh);
  }
  $('showGaps').addEventListener('change', () => state.report && drawGaps(state.report));
  $('metric').addEventListener('change', () => { state.metric = $('metric').value; scheduleRefresh(); });
  $('token').addEventListener('change', () => {
    state.token = $('token').value.trim();
    sessionStorage.setItem('hubToken', state.token);
    state.figures.clear();
    scheduleRefresh();
  });
  $('lang').addEventListener('click', () => {
    state.lang = state.lang === 'en' ? 'fr' : 'en';
    translate();
    legend();
    summary();
    if (state.report) drawGaps(state.report);
  });
  $('details-close').addEventListener('click', () => { $('details').hidden = true; $('map').focus(); });
  $('export-csv').addEventListener('click', exportCsv);
  $('export-geojson').addEventListener('click', exportGeoJson);
  $('export-png').addEventListener('click', exportPng);
  $('planRun').addEventListener('click', plan);
  $('planClear').addEventListener('click', () => { layers.plan.clearLayers(); $('planList').innerHTML = '';
    $('planSummary').textContent = ''; });
  await refresh();
}

start();
