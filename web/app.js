// maillage serve — the what-if map (docs/SERVE_API.md). Plain ES module, no dependency, no
// request outside the server that served the page.

const SVG_NS = 'http://www.w3.org/2000/svg';
const TOKEN = new URLSearchParams(window.location.search).get('token');
const NUMBER = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const DECIMAL = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const BLANK_FILL = '#e6e6e6';
const SITE_RADIUS_PX = 7;
const ADDED_RADIUS_PX = 9;
const TOWN_FONT_PX = 15;
const OUTSIDE_MESSAGE = "hors du territoire étudié : rien n'a changé";

const $ = (id) => document.getElementById(id);
const el = {
    map: $('map'),
    frame: $('map-frame'),
    communes: $('layer-communes'),
    epcis: $('layer-epcis'),
    territories: $('layer-territories'),
    towns: $('layer-towns'),
    sites: $('layer-sites'),
    category: $('category'),
    message: $('message'),
    undo: $('undo'),
    redo: $('redo'),
    legend: $('legend'),
    figuresDep: $('figures-departement'),
    figuresAreas: $('figures-areas'),
    changes: $('changes'),
    noChanges: $('no-changes'),
    exportYaml: $('export-yaml'),
    exportGeojson: $('export-geojson'),
    tooltip: $('tooltip'),
    menu: $('site-menu'),
    menuTitle: $('site-menu-title'),
    banner: $('mode-banner'),
    scaleLine: $('scale-bar-line'),
    scaleText: $('scale-bar-text'),
};

let study = null;
let state = null;
let communeIndex = new Map(); // code -> index in study.communes
let busy = false;
let stateVersion = 0;
const siteSeen = new Map(); // id -> {name, x, y}: every site of the session seen so far (closed ones too)
let menuSite = null; // the site whose menu is open
let moving = null; // the site being moved (next map click places it)
let full = null; // the whole study in path units {x, y, w, h}
let view = null; // the current viewBox

// ---- the API -------------------------------------------------------------------------------------
class ApiError extends Error {
    constructor(status, code, message) {
        super(message);
        this.status = status;
        this.code = code;
    }
}

function apiUrl(path) {
    return TOKEN ? `${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(TOKEN)}` : path;
}

async function api(method, path, body) {
    const headers = {};
    if (TOKEN) headers['X-Maillage-Token'] = TOKEN;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res;
    try {
        res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
    } catch {
        throw new ApiError(0, 'network', 'le serveur ne répond pas (maillage serve est-il toujours lancé ?)');
    }
    if (res.status === 204) return null;
    let data = null;
    try {
        data = await res.json();
    } catch {
        if (!res.ok) throw new ApiError(res.status, 'http', `erreur ${res.status} du serveur`);
        throw new ApiError(res.status, 'http', 'réponse illisible du serveur');
    }
    if (!res.ok) throw new ApiError(res.status, data?.error ?? 'http', data?.message ?? `erreur ${res.status} du serveur`);
    return data;
}

// Runs one request at a time: while it runs, clicks and buttons are ignored.
async function exclusive(task) {
    if (busy) return;
    setBusy(true);
    try {
        await task();
    } catch (e) {
        showError(e);
    } finally {
        setBusy(false);
    }
}

function setBusy(b) {
    busy = b;
    document.body.dataset.busy = b ? '1' : '0';
    el.map.setAttribute('aria-busy', b ? 'true' : 'false');
    el.category.disabled = b;
    el.undo.disabled = b || !state?.can_undo;
    el.redo.disabled = b || !state?.can_redo;
    for (const id of ['site-close', 'site-move']) $(id).disabled = b;
}

function showMessage(text, kind = 'info') {
    el.message.textContent = text;
    el.message.className = `message ${kind}`;
}

function showError(e) {
    if (e instanceof ApiError && e.status === 422 && e.code === 'outside') showMessage(OUTSIDE_MESSAGE, 'error');
    else if (e instanceof ApiError) showMessage(e.message, 'error');
    else {
        console.error(e);
        showMessage(`erreur inattendue : ${e.message ?? e}`, 'error');
    }
}

// ---- formatting ----------------------------------------------------------------------------------
const fmtInt = (n) => NUMBER.format(n);
const fmtMinutes = (m) => (m === null || m === undefined ? 'inaccessible' : `${DECIMAL.format(m)} min`);
const fmtBand = (k) => String(k).replace('.', ',');

function fmtDelta(d, decimal = false) {
    if (d === null || d === undefined || Number.isNaN(d)) return '';
    if (Math.abs(d) < (decimal ? 0.05 : 0.5)) return '=';
    const s = decimal ? DECIMAL.format(Math.abs(d)) : NUMBER.format(Math.abs(d));
    return `${d > 0 ? '+' : '−'}${s}`;
}

// better: +1 when a rise is good news, -1 when it is bad news.
function deltaClass(d, better) {
    if (d === null || d === undefined || Math.abs(d) < 1e-9) return 'delta zero';
    return d * better > 0 ? 'delta good' : 'delta bad';
}

function node(tag, attrs = {}, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
}

function svgNode(tag, attrs = {}) {
    const e = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    return e;
}

// ---- coordinates ---------------------------------------------------------------------------------
const toUnits = (x, y) => ({ u: (x - study.box.min_x) / study.unit_m, v: (study.box.max_y - y) / study.unit_m });
const toLambert = (u, v) => ({ x: Math.round(study.box.min_x + u * study.unit_m), y: Math.round(study.box.max_y - v * study.unit_m) });

function clientToUnits(clientX, clientY) {
    const p = new DOMPoint(clientX, clientY).matrixTransform(el.map.getScreenCTM().inverse());
    return { u: p.x, v: p.y };
}

function unitsPerPx() {
    const ctm = el.map.getScreenCTM();
    return ctm && ctm.a > 0 ? 1 / ctm.a : 1;
}

// ---- the map -------------------------------------------------------------------------------------
function buildMap() {
    $('geo-defs-holder').innerHTML = study.geometry_svg;
    const W = (study.box.max_x - study.box.min_x) / study.unit_m;
    const H = (study.box.max_y - study.box.min_y) / study.unit_m;
    const pad = 0.02 * Math.max(W, H);
    full = { x: -pad, y: -pad, w: W + 2 * pad, h: H + 2 * pad };

    const frag = document.createDocumentFragment();
    study.communes.forEach((c, i) => {
        communeIndex.set(c.code, i);
        frag.append(svgNode('use', { href: `#c-${c.code}`, class: 'commune', 'data-code': c.code, fill: BLANK_FILL }));
    });
    el.communes.replaceChildren(frag);
    el.epcis.replaceChildren(...study.epcis.map((e) => svgNode('use', { href: `#e-${e.id}`, class: 'epci-outline', 'data-id': e.id })));
    el.territories.replaceChildren(
        ...study.territories.map((t) => svgNode('use', { href: `#t-${t.id}`, class: 'territory-outline', 'data-id': t.id })),
    );
    const towns = [];
    for (const code of study.towns ?? []) {
        const i = communeIndex.get(code);
        if (i === undefined) continue;
        const c = study.communes[i];
        const { u, v } = toUnits(c.label.x, c.label.y);
        const t = svgNode('text', { class: 'town', x: u, y: v, 'data-code': code });
        t.textContent = c.name;
        towns.push(t);
    }
    el.towns.replaceChildren(...towns);
    setView({ ...full });
}

function setView(v) {
    const minW = full.w / 60, maxW = full.w * 1.5;
    if (v.w < minW) {
        const k = minW / v.w;
        v = { x: v.x - (v.w * (k - 1)) / 2, y: v.y - (v.h * (k - 1)) / 2, w: v.w * k, h: v.h * k };
    } else if (v.w > maxW) {
        const k = maxW / v.w;
        v = { x: v.x + (v.w * (1 - k)) / 2, y: v.y + (v.h * (1 - k)) / 2, w: v.w * k, h: v.h * k };
    }
    view = v;
    el.map.setAttribute('viewBox', `${v.x} ${v.y} ${v.w} ${v.h}`);
    updateSizes();
}

function zoomAt(factor, u, v) {
    setView({ x: u - (u - view.x) * factor, y: v - (v - view.y) * factor, w: view.w * factor, h: view.h * factor });
}

function zoomCentre(factor) {
    zoomAt(factor, view.x + view.w / 2, view.y + view.h / 2);
}

function pan(du, dv) {
    setView({ ...view, x: view.x + du, y: view.y + dv });
}

// Sizes in screen pixels whatever the zoom: site radii, town labels, the scale bar.
function updateSizes() {
    if (!study) return;
    const k = unitsPerPx();
    for (const c of el.sites.querySelectorAll('circle.site')) {
        c.setAttribute('r', String((c.classList.contains('added') ? ADDED_RADIUS_PX : SITE_RADIUS_PX) * k));
    }
    el.towns.setAttribute('font-size', String(TOWN_FONT_PX * k));
    // Dashes are in user units even with a non-scaling stroke: 8 px on, 5 px off on screen.
    el.epcis.setAttribute('stroke-dasharray', `${8 * k} ${5 * k}`);
    placeTowns(k);

    const metresPerPx = study.unit_m * k;
    const target = 140 * metresPerPx / 1000; // km for ~140 px
    const p = 10 ** Math.floor(Math.log10(target));
    const km = [5, 2, 1].map((m) => m * p).find((x) => x <= target) ?? p;
    el.scaleLine.style.width = `${(km * 1000) / metresPerPx}px`;
    el.scaleText.textContent = `${km >= 1 ? fmtInt(km) : String(km).replace('.', ',')} km`;
}

// Town names in the order of /api/study (largest first); one that would overlap a name already
// placed is hidden at this zoom.
function placeTowns(k) {
    const placed = [];
    const gap = 2 * k;
    for (const t of el.towns.children) {
        t.setAttribute('dy', String(-0.4 * TOWN_FONT_PX * k));
        t.removeAttribute('visibility');
        let b;
        try {
            b = t.getBBox();
        } catch {
            continue;
        }
        const clash = placed.some((q) => b.x < q.x + q.width + gap && q.x < b.x + b.width + gap && b.y < q.y + q.height + gap && q.y < b.y + b.height + gap);
        if (clash) t.setAttribute('visibility', 'hidden');
        else placed.push(b);
    }
}

function drawSites() {
    const frag = document.createDocumentFragment();
    const k = unitsPerPx();
    const sorted = [...state.sites].sort((a, b) => Number(a.added) - Number(b.added)); // added ones on top
    for (const s of sorted) {
        const { u, v } = toUnits(s.x, s.y);
        const c = svgNode('circle', {
            class: s.added ? 'site added' : 'site',
            cx: u,
            cy: v,
            r: (s.added ? ADDED_RADIUS_PX : SITE_RADIUS_PX) * k,
            'data-id': s.id,
            tabindex: '0',
            role: 'button',
            'aria-label': `${s.added ? 'Site ajouté' : 'Site'} : ${s.name} (Entrée : fermer ou déplacer)`,
        });
        const title = svgNode('title');
        title.textContent = `${s.name}${s.added ? ' (ajouté)' : ''}`;
        c.append(title);
        frag.append(c);
    }
    el.sites.replaceChildren(frag);
}

// ---- rendering the state -------------------------------------------------------------------------
function render(s) {
    state = s;
    for (const site of s.sites) siteSeen.set(site.id, { name: site.name, x: site.x, y: site.y });
    document.body.dataset.session = s.session;
    const fills = s.communes.class.map((k) => s.classes[k]?.colour ?? BLANK_FILL);
    for (const [i, use] of [...el.communes.children].entries()) use.setAttribute('fill', fills[i] ?? BLANK_FILL);
    drawSites();
    renderLegend();
    renderFigures();
    renderChanges();
    const base = `api/sessions/${encodeURIComponent(s.session)}`;
    for (const [a, suffix] of [[el.exportYaml, 'export.yaml'], [el.exportGeojson, 'export.geojson']]) {
        a.href = apiUrl(`${base}/${suffix}`);
        a.classList.remove('disabled');
        a.removeAttribute('aria-disabled');
    }
    el.exportYaml.download = `scenario-${s.category}.yaml`;
    el.exportGeojson.download = `communes-et-sites-${s.category}.geojson`;
    stateVersion++;
    document.body.dataset.stateVersion = String(stateVersion);
    setBusy(busy);
}

function renderLegend() {
    const items = state.classes.map((c) => {
        const li = node('li');
        li.append(node('span', { class: 'swatch', style: `background:${c.colour}` }), node('span', {}, c.label));
        return li;
    });
    const site = node('li', { class: 'wide' });
    site.append(node('span', { class: 'swatch site-swatch' }), node('span', {}, `${state.category_label} : site ouvert`));
    const added = node('li', { class: 'wide' });
    added.append(node('span', { class: 'swatch site-swatch added' }), node('span', {}, 'site ajouté dans cette séance'));
    el.legend.replaceChildren(...items, site, added);
}

function keyFigure(key, label, value, valueText, delta, deltaText, better, share) {
    const d = node('div', { class: 'key-figure', 'data-key': key, 'data-value': String(value) });
    d.append(node('span', { class: 'label' }, label));
    const line = node('span', { class: 'line' });
    line.append(node('span', { class: 'value' }, valueText));
    if (share !== undefined) line.append(node('span', { class: 'share' }, share));
    d.append(line);
    d.append(node('span', { class: deltaClass(delta, better), 'data-key': `${key}_delta`, 'data-value': String(delta ?? 0) }, delta ? `${deltaText} depuis le départ` : 'inchangé'));
    return d;
}

function renderFigures() {
    const dep = state.figures.departement;
    const b = dep.baseline ?? dep;
    const pct = (n) => (dep.population > 0 ? `${DECIMAL.format((100 * n) / dep.population)} %` : '');
    const items = [];
    for (const k of Object.keys(dep.within_minutes)) {
        const v = dep.within_minutes[k], d = v - (b.within_minutes?.[k] ?? v);
        items.push(keyFigure(`within_${k}`, `habitants à moins de ${fmtBand(k)} min`, v, fmtInt(v), d, fmtDelta(d), +1, pct(v)));
    }
    const g = dep.beyond_gap, dg = g - (b.beyond_gap ?? g);
    items.push(keyFigure('beyond_gap', `habitants à plus de ${fmtBand(state.gap_threshold_minutes)} min (seuil d'écart)`, g, fmtInt(g), dg, fmtDelta(dg), -1, pct(g)));
    const m = dep.mean_minutes, dm = m === null || b.mean_minutes === null ? 0 : m - b.mean_minutes;
    items.push(keyFigure('mean_minutes', 'temps moyen (pondéré par la population)', m ?? '', fmtMinutes(m), dm, `${fmtDelta(dm, true)} min`, -1));
    el.figuresDep.replaceChildren(node('h3', {}, `${dep.name} — ${fmtInt(dep.population)} habitants`), ...items);

    el.figuresAreas.replaceChildren(
        areaTable('territories', 'Par territoire', 'Territoire', state.figures.territories),
        areaTable('epcis', 'Par EPCI', 'EPCI', state.figures.epcis),
    );
}

function areaTable(kind, caption, first, areas) {
    const gap = fmtBand(state.gap_threshold_minutes);
    const table = node('table', { class: 'areas', 'data-kind': kind });
    table.append(node('caption', {}, caption));
    const head = node('tr');
    head.append(
        node('th', { scope: 'col' }, first),
        node('th', { scope: 'col' }, 'Habitants'),
        node('th', { scope: 'col', title: `habitants à plus de ${gap} min` }, `> ${gap} min`),
        node('th', { scope: 'col', title: 'changement depuis le départ' }, 'Δ'),
        node('th', { scope: 'col', title: 'temps moyen pondéré par la population' }, 'Moy.'),
        node('th', { scope: 'col', title: 'changement depuis le départ' }, 'Δ'),
    );
    const thead = node('thead');
    thead.append(head);
    const tbody = node('tbody');
    for (const a of areas) {
        const b = a.baseline ?? a;
        const dg = a.beyond_gap - (b.beyond_gap ?? a.beyond_gap);
        const dm = a.mean_minutes === null || b.mean_minutes === null ? 0 : a.mean_minutes - b.mean_minutes;
        const tr = node('tr', { 'data-area': a.id });
        tr.append(
            node('th', { scope: 'row', class: 'name' }, a.name),
            node('td', { 'data-key': 'population', 'data-value': String(a.population) }, fmtInt(a.population)),
            node('td', { 'data-key': 'beyond_gap', 'data-value': String(a.beyond_gap) }, fmtInt(a.beyond_gap)),
            node('td', { class: deltaClass(dg, -1), 'data-key': 'beyond_gap_delta', 'data-value': String(dg) }, fmtDelta(dg)),
            node('td', { 'data-key': 'mean_minutes', 'data-value': String(a.mean_minutes ?? '') }, a.mean_minutes === null ? '—' : DECIMAL.format(a.mean_minutes)),
            node('td', { class: deltaClass(dm, -1), 'data-key': 'mean_minutes_delta', 'data-value': String(dm) }, fmtDelta(dm, true)),
        );
        tbody.append(tr);
    }
    table.append(thead, tbody);
    return table;
}

// The commune under a Lambert-93 point, or null (hit test on the geometry paths).
function communeAt(x, y) {
    const { u, v } = toUnits(x, y);
    const p = new DOMPoint(u, v);
    for (const c of study.communes) {
        const path = document.getElementById(`c-${c.code}`);
        try {
            if (path?.isPointInFill(p)) return c;
        } catch {
            return null;
        }
    }
    return null;
}

// A change in French for the list (the server's own description, in the engine's words, is its
// tooltip).
function describeChange(c) {
    const site = siteSeen.get(c.site_id);
    const name = site ? `« ${site.name} »` : `le site ${c.site_id}`;
    if (c.kind === 'add') {
        const where = site ? communeAt(site.x, site.y) : null;
        return `Ajout de ${name}${where ? ` à ${where.name}` : site ? ' (hors du département)' : ''}`;
    }
    if (c.kind === 'close') return `Fermeture de ${name}`;
    if (c.kind === 'move') {
        const now = state.sites.find((q) => q.id === c.site_id);
        const where = now ? communeAt(now.x, now.y) : null;
        return `Déplacement de ${name}${where ? ` vers ${where.name}` : ''}`;
    }
    return c.description || c.kind;
}

function renderChanges() {
    el.changes.replaceChildren(
        ...state.changes.map((c) => node('li', { 'data-kind': c.kind, 'data-site': c.site_id ?? '', title: c.description || undefined }, describeChange(c))),
    );
    el.noChanges.hidden = state.changes.length > 0;
}

// One line on what the last request did, with its effect on the population beyond the gap
// threshold (computed from the two states, so undo and redo read the same as a change).
function reportChange(what, before) {
    const gap = fmtBand(state.gap_threshold_minutes);
    const d = before === undefined ? state.last_change?.beyond_gap_delta : state.figures.departement.beyond_gap - before;
    const effect = d ? ` — habitants à plus de ${gap} min : ${fmtDelta(d)}` : ` — aucun effet sur les habitants à plus de ${gap} min`;
    showMessage(`${what}${effect}`, 'info');
}

// ---- actions -------------------------------------------------------------------------------------
async function chooseCategory(key) {
    closeMenu();
    cancelMove();
    if (!key) return;
    await exclusive(async () => {
        const old = state?.session;
        const s = await api('POST', 'api/sessions', { category: key });
        render(s);
        showMessage(`${s.category_label} : ${s.sites.length} sites ouverts. Cliquez sur la carte pour en ajouter un.`, 'info');
        if (old) api('DELETE', `api/sessions/${encodeURIComponent(old)}`).catch(() => {});
    });
}

function sessionPath(suffix) {
    return `api/sessions/${encodeURIComponent(state.session)}/${suffix}`;
}

async function postChange(change) {
    await exclusive(async () => {
        const before = state.figures.departement.beyond_gap;
        render(await api('POST', sessionPath('changes'), change));
        const last = state.changes[state.changes.length - 1];
        reportChange(last ? describeChange(last) : 'Changement fait', before);
    });
}

async function undoRedo(which) {
    if (!state) return;
    await exclusive(async () => {
        const before = state.figures.departement.beyond_gap;
        render(await api('POST', sessionPath(which)));
        reportChange(which === 'undo' ? 'Dernier changement annulé' : 'Changement rétabli', before);
    });
}

// ---- site menu and move mode ---------------------------------------------------------------------
function openMenu(siteId, clientX, clientY) {
    const s = state?.sites.find((q) => q.id === siteId);
    if (!s) return;
    cancelMove();
    menuSite = s;
    el.menuTitle.textContent = s.name;
    el.menu.hidden = false;
    const fr = el.frame.getBoundingClientRect();
    const w = el.menu.offsetWidth, h = el.menu.offsetHeight;
    const left = Math.min(Math.max(clientX - fr.left + 12, 4), fr.width - w - 4);
    const top = Math.min(Math.max(clientY - fr.top + 12, 4), fr.height - h - 4);
    el.menu.style.left = `${left}px`;
    el.menu.style.top = `${top}px`;
    $('site-close').focus();
}

function closeMenu() {
    if (el.menu.hidden) return;
    el.menu.hidden = true;
    const id = menuSite?.id;
    menuSite = null;
    const c = id ? el.sites.querySelector(`circle.site[data-id="${CSS.escape(id)}"]`) : null;
    if (c && el.menu.contains(document.activeElement)) c.focus();
}

function startMove() {
    const s = menuSite;
    closeMenu();
    if (!s) return;
    moving = s;
    el.banner.textContent = `Cliquez sur la carte pour placer « ${s.name} » (Échap pour annuler)`;
    el.banner.hidden = false;
    el.frame.classList.add('moving');
}

function cancelMove() {
    moving = null;
    el.banner.hidden = true;
    el.frame.classList.remove('moving');
}

// ---- map events ----------------------------------------------------------------------------------
let drag = null; // {x, y, view, moved}
let suppressClick = false;

function onPointerDown(e) {
    if (e.button !== 0) return;
    drag = { x: e.clientX, y: e.clientY, start: { ...view }, k: unitsPerPx(), moved: false, id: e.pointerId };
}

function onPointerMove(e) {
    if (drag && (e.buttons & 1)) {
        const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
        if (!drag.moved && Math.hypot(dx, dy) > 5) {
            drag.moved = true;
            el.map.setPointerCapture?.(drag.id);
            el.frame.classList.add('panning');
            hideTooltip();
        }
        if (drag.moved) setView({ ...drag.start, x: drag.start.x - dx * drag.k, y: drag.start.y - dy * drag.k });
        return;
    }
    showTooltip(e);
}

function onPointerUp() {
    if (drag?.moved) suppressClick = true;
    drag = null;
    el.frame.classList.remove('panning');
}

function onMapClick(e) {
    if (suppressClick) {
        suppressClick = false;
        return;
    }
    if (busy || !study) return;
    const circle = e.target.closest?.('circle.site');
    if (circle && !moving) {
        openMenu(circle.dataset.id, e.clientX, e.clientY);
        return;
    }
    if (!el.menu.hidden) {
        closeMenu();
        return;
    }
    if (!state) {
        showMessage("Choisissez d'abord une catégorie de service.", 'error');
        el.category.focus();
        return;
    }
    const { u, v } = clientToUnits(e.clientX, e.clientY);
    const { x, y } = toLambert(u, v);
    if (moving) {
        const s = moving;
        cancelMove();
        postChange({ kind: 'move', site_id: s.id, x, y });
    } else {
        postChange({ kind: 'add', x, y });
    }
}

function showTooltip(e) {
    const use = e.target.closest?.('use.commune');
    if (!use) {
        hideTooltip();
        return;
    }
    const i = communeIndex.get(use.dataset.code);
    const c = study.communes[i];
    const rows = [node('strong', {}, c.name)];
    if (state) {
        const m = state.communes.minutes[i];
        rows.push(node('span', {}, `Temps : ${fmtMinutes(m)}`));
    }
    rows.push(node('span', {}, `Population : ${fmtInt(c.population)} hab.`));
    if (state) {
        const id = state.communes.nearest_site[i];
        const site = id === null || id === undefined ? null : state.sites.find((s) => s.id === id);
        rows.push(node('span', {}, `Site le plus proche : ${id === null || id === undefined ? 'aucun' : site ? site.name : id}`));
    }
    el.tooltip.replaceChildren(...rows);
    el.tooltip.hidden = false;
    const fr = el.frame.getBoundingClientRect();
    const w = el.tooltip.offsetWidth, h = el.tooltip.offsetHeight;
    let left = e.clientX - fr.left + 16, top = e.clientY - fr.top + 16;
    if (left + w > fr.width - 4) left = e.clientX - fr.left - w - 16;
    if (top + h > fr.height - 4) top = e.clientY - fr.top - h - 16;
    el.tooltip.style.left = `${Math.max(4, left)}px`;
    el.tooltip.style.top = `${Math.max(4, top)}px`;
}

function hideTooltip() {
    el.tooltip.hidden = true;
}

function onWheel(e) {
    e.preventDefault();
    const { u, v } = clientToUnits(e.clientX, e.clientY);
    zoomAt(e.deltaY > 0 ? 1.2 : 1 / 1.2, u, v);
}

function onMapKey(e) {
    const step = 0.1;
    const keys = {
        '+': () => zoomCentre(1 / 1.25),
        '=': () => zoomCentre(1 / 1.25),
        '-': () => zoomCentre(1.25),
        '0': () => setView({ ...full }),
        ArrowLeft: () => pan(-view.w * step, 0),
        ArrowRight: () => pan(view.w * step, 0),
        ArrowUp: () => pan(0, -view.h * step),
        ArrowDown: () => pan(0, view.h * step),
    };
    if (e.target.matches?.('circle.site') && (e.key === 'Enter' || e.key === ' ')) {
        e.preventDefault();
        const r = e.target.getBoundingClientRect();
        openMenu(e.target.dataset.id, r.left + r.width / 2, r.top + r.height / 2);
        return;
    }
    if (keys[e.key]) {
        e.preventDefault();
        keys[e.key]();
    }
}

function onKey(e) {
    if (e.key !== 'Escape') return;
    if (!el.menu.hidden) closeMenu();
    if (moving) {
        cancelMove();
        showMessage('Déplacement annulé.', 'info');
    }
    hideTooltip();
}

function wire() {
    el.category.addEventListener('change', () => chooseCategory(el.category.value));
    el.undo.addEventListener('click', () => undoRedo('undo'));
    el.redo.addEventListener('click', () => undoRedo('redo'));
    $('zoom-in').addEventListener('click', () => zoomCentre(1 / 1.25));
    $('zoom-out').addEventListener('click', () => zoomCentre(1.25));
    $('zoom-reset').addEventListener('click', () => setView({ ...full }));
    $('site-close').addEventListener('click', () => {
        const s = menuSite;
        closeMenu();
        if (s) postChange({ kind: 'close', site_id: s.id });
    });
    $('site-move').addEventListener('click', startMove);
    $('site-menu-cancel').addEventListener('click', closeMenu);
    for (const a of [el.exportYaml, el.exportGeojson]) {
        a.addEventListener('click', (e) => {
            if (a.classList.contains('disabled')) e.preventDefault();
        });
    }
    el.map.addEventListener('pointerdown', onPointerDown);
    el.map.addEventListener('pointermove', onPointerMove);
    el.map.addEventListener('pointerup', onPointerUp);
    el.map.addEventListener('pointercancel', onPointerUp);
    el.map.addEventListener('pointerleave', hideTooltip);
    el.map.addEventListener('click', onMapClick);
    el.map.addEventListener('wheel', onWheel, { passive: false });
    el.map.addEventListener('keydown', onMapKey);
    document.addEventListener('keydown', onKey);
    window.addEventListener('resize', updateSizes);
}

async function start() {
    wire();
    setBusy(true);
    try {
        study = await api('GET', 'api/study');
    } catch (e) {
        showError(e);
        setBusy(false);
        return;
    }
    document.title = `maillage — ${study.title}`;
    $('study-title').textContent = study.title;
    if (study.travel_time_source === 'estimated') {
        const w = $('estimate-warning');
        w.replaceChildren(node('strong', {}, 'Temps estimés. '), document.createTextNode(study.travel_time_warning || ''));
        w.hidden = false;
    }
    for (const c of study.categories) {
        el.category.append(node('option', { value: c.key }, `${c.label} (${fmtInt(c.sites)} sites)`));
    }
    buildMap();
    setBusy(false);
    document.body.dataset.ready = '1';
    showMessage('Choisissez une catégorie de service pour colorer la carte.', 'info');
    const wanted = new URLSearchParams(window.location.search).get('category');
    if (wanted && study.categories.some((c) => c.key === wanted)) {
        el.category.value = wanted;
        await chooseCategory(wanted);
    }
}

start();
