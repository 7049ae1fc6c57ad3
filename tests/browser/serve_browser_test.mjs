#!/usr/bin/env node
// The what-if page of `maillage serve` in a real browser (see tests/browser/README.md).
//
//   node tests/browser/serve_browser_test.mjs MAILLAGE_BINARY REPO_ROOT [--category france_services] [--keep DIR]
//
// Starts MAILLAGE_BINARY serve on a free port (cwd REPO_ROOT), opens the page in headless Chromium
// (no request may leave 127.0.0.1:PORT; no console or page error), picks the category, adds a site
// by clicking the map at the commune farthest from any site, closes a site through its menu (the
// page's figures = the API's after each step), exports the scenario YAML, undoes twice (figures
// back to the baseline), checks the map is not blank; then `MAILLAGE_BINARY run EXPORTED.yaml`
// must give the figures of the session before the undo.
//
// Exit: 0 passed; 1 a check failed (one "FAIL ..." line each); 2 usage, or Chromium, the binary
// or an npm package missing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analysePng, call, checkArgs, importOrMissing, launchChromium, startServer } from './serve_common.mjs';

const TAG = 'serve_browser_test';
// A projector-like screen; the Vienne is taller than wide, so not too wide a map frame.
const VIEWPORT = { width: 1280, height: 960, deviceScaleFactor: 1 };
const STEP_TIMEOUT_MS = 30_000;
const RUN_TIMEOUT_MS = 600_000;
const MAP_MIN_INK = 0.3;
const MAP_MIN_COLOURS = 4;

const failures = [];
const failCounts = new Map();
const fail = (line) => {
    if (failCounts.has(line)) failCounts.set(line, failCounts.get(line) + 1);
    else {
        failCounts.set(line, 1);
        failures.push(line);
    }
};
const notes = [];

function option(name, dflt) {
    const i = process.argv.indexOf(name);
    return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : dflt;
}

// ---- what the page shows -------------------------------------------------------------------------
async function readPage(page) {
    return page.evaluate(() => {
        const num = (v) => (v === null || v === '' ? null : Number(v));
        const dep = {};
        for (const kf of document.querySelectorAll('#figures-departement [data-key]')) dep[kf.dataset.key] = num(kf.dataset.value);
        const areas = {};
        for (const table of document.querySelectorAll('table.areas[data-kind]')) {
            const rows = {};
            for (const tr of table.querySelectorAll('tr[data-area]')) {
                const r = {};
                for (const td of tr.querySelectorAll('td[data-key]')) r[td.dataset.key] = num(td.dataset.value);
                rows[tr.dataset.area] = r;
            }
            areas[table.dataset.kind] = rows;
        }
        return {
            session: document.body.dataset.session,
            version: Number(document.body.dataset.stateVersion),
            busy: document.body.dataset.busy,
            dep,
            areas,
            sites: [...document.querySelectorAll('#map circle.site')].map((c) => ({ id: c.dataset.id, added: c.classList.contains('added') })),
            changes: document.querySelectorAll('#changes li').length,
            undoDisabled: document.getElementById('undo').disabled,
            redoDisabled: document.getElementById('redo').disabled,
            message: document.getElementById('message').textContent,
            messageIsError: document.getElementById('message').classList.contains('error'),
            communesFilled: [...document.querySelectorAll('#map use.commune')].filter((u) => /^#[0-9a-f]{6}$/i.test(u.getAttribute('fill') ?? '')).length,
            communes: document.querySelectorAll('#map use.commune').length,
        };
    });
}

// The page's figures against a state of the API.
function comparePageToState(shown, st, when) {
    const dep = st.figures.departement;
    for (const [k, v] of Object.entries(dep.within_minutes)) {
        if (shown.dep[`within_${k}`] !== v) fail(`${when}: département, within ${k} min: page shows ${shown.dep[`within_${k}`]}, API ${v}`);
    }
    if (shown.dep.beyond_gap !== dep.beyond_gap) fail(`${when}: département, beyond gap: page shows ${shown.dep.beyond_gap}, API ${dep.beyond_gap}`);
    const base = dep.baseline?.beyond_gap;
    if (base !== undefined && shown.dep.beyond_gap_delta !== dep.beyond_gap - base) {
        fail(`${when}: département, beyond gap change: page shows ${shown.dep.beyond_gap_delta}, API ${dep.beyond_gap} - ${base}`);
    }
    for (const [kind, list] of [['territories', st.figures.territories], ['epcis', st.figures.epcis]]) {
        const rows = shown.areas[kind] ?? {};
        if (Object.keys(rows).length !== list.length) fail(`${when}: ${kind}: page shows ${Object.keys(rows).length} rows, API ${list.length}`);
        for (const a of list) {
            const r = rows[a.id];
            if (!r) {
                fail(`${when}: ${kind} ${a.id}: no row on the page`);
                continue;
            }
            if (r.beyond_gap !== a.beyond_gap) fail(`${when}: ${kind} ${a.id}, beyond gap: page ${r.beyond_gap}, API ${a.beyond_gap}`);
            if (r.population !== a.population) fail(`${when}: ${kind} ${a.id}, population: page ${r.population}, API ${a.population}`);
            if ((r.mean_minutes ?? null) !== (a.mean_minutes ?? null)) fail(`${when}: ${kind} ${a.id}, mean minutes: page ${r.mean_minutes}, API ${a.mean_minutes}`);
        }
    }
    const drawn = shown.sites.map((s) => s.id).sort();
    const open = st.sites.map((s) => s.id).sort();
    if (JSON.stringify(drawn) !== JSON.stringify(open)) fail(`${when}: ${drawn.length} sites drawn, the API lists ${open.length} open sites (or other ids)`);
    const addedDrawn = shown.sites.filter((s) => s.added).map((s) => s.id).sort();
    const addedOpen = st.sites.filter((s) => s.added).map((s) => s.id).sort();
    if (JSON.stringify(addedDrawn) !== JSON.stringify(addedOpen)) fail(`${when}: added sites drawn [${addedDrawn}], API [${addedOpen}]`);
    if (shown.changes !== st.changes.length) fail(`${when}: ${shown.changes} changes listed, API ${st.changes.length}`);
    if (shown.undoDisabled !== !st.can_undo) fail(`${when}: undo button ${shown.undoDisabled ? 'disabled' : 'enabled'}, can_undo ${st.can_undo}`);
    if (shown.redoDisabled !== !st.can_redo) fail(`${when}: redo button ${shown.redoDisabled ? 'disabled' : 'enabled'}, can_redo ${st.can_redo}`);
    if (shown.communesFilled !== shown.communes) fail(`${when}: ${shown.communes - shown.communesFilled} communes without a #rrggbb fill`);
}

function sameFigures(a, b) {
    return JSON.stringify({ w: a.within_minutes, g: a.beyond_gap, m: a.mean_minutes }) === JSON.stringify({ w: b.within_minutes, g: b.beyond_gap, m: b.mean_minutes });
}

async function waitNewState(page, version, what) {
    try {
        await page.waitForFunction((v) => Number(document.body.dataset.stateVersion) > v && document.body.dataset.busy === '0', { timeout: STEP_TIMEOUT_MS }, version);
        return true;
    } catch {
        const msg = await page.$eval('#message', (m) => m.textContent).catch(() => '');
        fail(`${what}: the page did not show a new state within ${STEP_TIMEOUT_MS / 1000} s (message: "${msg}")`);
        return false;
    }
}

// Client coordinates of a Lambert-93 point on the map (through the SVG's CTM).
async function screenPoint(page, study, x, y) {
    return page.evaluate(
        (box, unit, x, y) => {
            const svg = document.getElementById('map');
            const p = new DOMPoint((x - box.min_x) / unit, (box.max_y - y) / unit).matrixTransform(svg.getScreenCTM());
            const r = svg.getBoundingClientRect();
            const hit = document.elementFromPoint(p.x, p.y);
            return { x: p.x, y: p.y, inside: p.x > r.left && p.x < r.right && p.y > r.top && p.y < r.bottom, hit: hit ? `${hit.tagName}.${hit.getAttribute('class') ?? ''}` : null, code: hit?.dataset?.code ?? null };
        },
        study.box, study.unit_m, x, y,
    );
}

// ---- `maillage run` on the export ----------------------------------------------------------------
function checkRunOnExport(bin, repoRoot, yamlPath, outDir, category, final) {
    const r = spawnSync(bin, ['run', yamlPath, '-o', outDir], { cwd: repoRoot, encoding: 'utf8', timeout: RUN_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) {
        const tail = `${r.stderr ?? ''}${r.stdout ?? ''}`.trim().split('\n').slice(-8).join(' | ');
        fail(`run: ${path.basename(bin)} run EXPORTED.yaml failed (status ${r.status}${r.error ? `, ${r.error.message}` : ''}): ${tail}`);
        return;
    }
    const file = path.join(outDir, 'comparison.json');
    if (!fs.existsSync(file)) {
        fail(`run: no ${file}`);
        return;
    }
    const cmp = JSON.parse(fs.readFileSync(file, 'utf8'));
    const variants = cmp.variants ?? [];
    if (variants.length !== 1) fail(`run: the export holds ${variants.length} variants, 1 expected`);
    const v = variants[0];
    const cov = (v?.coverage ?? []).find((c) => c.category === category);
    if (!cov) {
        fail(`run: comparison.json has no coverage of ${category} in its variant`);
        return;
    }
    const byBand = (o) => new Map(Object.entries(o ?? {}).map(([k, x]) => [Number(k), x]));
    let compared = 0;
    const gap = final.gap_threshold_minutes;
    const areaCheck = (label, ran, sess) => {
        if (!ran) {
            fail(`run: ${label}: missing from comparison.json`);
            return;
        }
        const within = byBand(ran.population_within_minutes);
        for (const [k, val] of Object.entries(sess.within_minutes)) {
            const got = within.get(Number(k));
            if (!got) fail(`run: ${label}: no band ${k} in comparison.json`);
            else {
                compared++;
                if (got.variant !== val) fail(`run: ${label}, within ${k} min: maillage run ${got.variant}, the session ${val}`);
                if (sess.baseline && got.baseline !== sess.baseline.within_minutes?.[k]) {
                    fail(`run: ${label}, within ${k} min, baseline: maillage run ${got.baseline}, the session ${sess.baseline.within_minutes?.[k]}`);
                }
            }
        }
        // comparison.json gives population_beyond_gap for the département; for the other areas,
        // population − within(gap) when the gap threshold is a band (the unreachable count as beyond).
        let beyond = ran.population_beyond_gap?.variant;
        if (beyond === undefined && within.has(Number(gap))) beyond = ran.population - within.get(Number(gap)).variant;
        if (beyond === undefined) notes.push(`${label}: beyond-gap not in comparison.json and the gap is not a band: not compared`);
        else {
            compared++;
            if (beyond !== sess.beyond_gap) fail(`run: ${label}, beyond gap: maillage run ${beyond}, the session ${sess.beyond_gap}`);
        }
        const mean = ran.mean_minutes?.variant;
        if (mean !== undefined && sess.mean_minutes !== null && Math.abs(mean - sess.mean_minutes) > 0.051) {
            fail(`run: ${label}, mean minutes: maillage run ${mean}, the session ${sess.mean_minutes}`);
        }
    };
    areaCheck('département', cov.departement, final.figures.departement);
    const ranTerr = new Map((cov.territories ?? []).map((t) => [t.id, t]));
    for (const t of final.figures.territories) areaCheck(`territoire ${t.id}`, ranTerr.get(t.id), t);
    const ranEpci = new Map((cov.epci ?? cov.epcis ?? []).map((t) => [String(t.id), t]));
    for (const e of final.figures.epcis) areaCheck(`EPCI ${e.id}`, ranEpci.get(String(e.id)), e);
    notes.push(`maillage run on the export: ${compared} figures compared`);
}

// ---- main ----------------------------------------------------------------------------------------
async function main() {
    const { bin, repoRoot } = checkArgs(TAG, 'node tests/browser/serve_browser_test.mjs MAILLAGE_BINARY REPO_ROOT [--category KEY] [--keep DIR]');
    const category = option('--category', 'france_services');
    const keep = option('--keep', null);
    const { PNG } = await importOrMissing(TAG, 'pngjs');
    const chromium = await launchChromium(TAG, VIEWPORT);
    if (chromium.error) {
        console.log(`${TAG}: SKIP/ERROR ${chromium.error}`);
        process.exit(2);
    }
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-serve-browser-'));
    let server = null;
    let final = null;
    let yamlPath = null;
    try {
        try {
            server = await startServer(bin, repoRoot);
        } catch (e) {
            fail(`server: ${e.message}`);
            return;
        }
        const { base, study } = server;
        const host = new URL(base).host;
        const page = await chromium.browser.newPage();
        const requests = [];
        await page.setRequestInterception(true);
        page.on('request', (req) => {
            const url = req.url();
            requests.push(url);
            if (url.startsWith('data:') || url.startsWith('blob:')) return req.continue();
            let ok = false;
            try {
                ok = new URL(url).host === host;
            } catch {
                ok = false;
            }
            if (ok) return req.continue();
            fail(`request: the page requests something outside ${host}: ${url} (${req.resourceType()})`);
            return req.abort('blockedbyclient');
        });
        page.on('requestfailed', (req) => {
            if (/ERR_BLOCKED_BY_CLIENT/.test(req.failure()?.errorText ?? '')) return; // reported above
            fail(`request failed: ${req.url()}: ${req.failure()?.errorText ?? 'unknown error'}`);
        });
        page.on('response', (res) => {
            if (res.status() >= 400) fail(`request: ${res.request().method()} ${res.url()}: HTTP ${res.status()}`);
        });
        page.on('console', (msg) => {
            if (msg.type() !== 'error' && msg.type() !== 'assert') return;
            if (/net::ERR_BLOCKED_BY_CLIENT/.test(msg.text())) return; // the blocked request is reported
            fail(`console error: ${msg.text()}`);
        });
        page.on('pageerror', (err) => fail(`page error: ${err.message ?? err}`));
        page.on('error', (err) => fail(`page crashed: ${err.message ?? err}`));

        // Load.
        try {
            const res = await page.goto(`${base}/`, { waitUntil: 'load', timeout: STEP_TIMEOUT_MS });
            if (!res?.ok()) fail(`load: ${base}/: status ${res?.status()}`);
            await page.waitForFunction(() => document.body?.dataset.ready === '1', { timeout: STEP_TIMEOUT_MS });
        } catch (e) {
            fail(`load: the page did not get ready (body[data-ready="1"]): ${e.message.split('\n')[0]}`);
            return;
        }
        const doc = await page.evaluate(() => ({
            lang: document.documentElement.lang,
            communes: document.querySelectorAll('#map use.commune').length,
            epcis: document.querySelectorAll('#map use.epci-outline').length,
            territories: document.querySelectorAll('#map use.territory-outline').length,
            towns: document.querySelectorAll('#map text.town').length,
            defs: document.querySelectorAll('.geo-defs path[id^="c-"]').length,
            vectorEffect: (() => { // computed on the defs path; the pixels of the outlines are checked at the end
                const p = document.querySelector('.geo-defs path');
                return p ? getComputedStyle(p).vectorEffect : null;
            })(),
            warningShown: (() => {
                const w = document.getElementById('estimate-warning');
                return !w.hidden && w.getBoundingClientRect().height > 0 ? w.textContent : null;
            })(),
            options: [...document.querySelectorAll('#category option')].map((o) => o.value).filter(Boolean),
            unlabelledButtons: [...document.querySelectorAll('button')].filter((b) => !(b.getAttribute('aria-label') || b.textContent.trim())).length,
        }));
        if (doc.lang !== 'fr') fail(`document: lang="${doc.lang}", expected fr`);
        if (doc.communes !== study.communes.length) fail(`map: ${doc.communes} communes drawn, /api/study has ${study.communes.length}`);
        if (doc.defs !== study.communes.length) fail(`map: ${doc.defs} commune paths in the inserted geometry_svg, ${study.communes.length} expected`);
        if (doc.epcis !== study.epcis.length) fail(`map: ${doc.epcis} EPCI outlines, ${study.epcis.length} expected`);
        if (doc.territories !== study.territories.length) fail(`map: ${doc.territories} territory outlines, ${study.territories.length} expected`);
        if (doc.towns === 0 && (study.towns ?? []).length) fail('map: no town name drawn');
        if (doc.vectorEffect !== 'non-scaling-stroke') fail(`map: the geometry paths have vector-effect ${doc.vectorEffect}, non-scaling-stroke expected`);
        if (study.travel_time_source === 'estimated' && !doc.warningShown) fail('page: travel_time_source is "estimated" but the warning is not shown');
        if (JSON.stringify(doc.options) !== JSON.stringify(study.categories.map((c) => c.key))) fail(`page: category options [${doc.options}] differ from /api/study's`);
        if (doc.unlabelledButtons) fail(`page: ${doc.unlabelledButtons} buttons without a label`);
        if (!doc.options.includes(category)) {
            fail(`page: no category ${category} to choose`);
            return;
        }

        // Choose the category: a session, the baseline.
        const v0 = (await readPage(page)).version;
        await page.select('#category', category);
        if (!(await waitNewState(page, v0, `choosing ${category}`))) return;
        let shown = await readPage(page);
        const sessionId = shown.session;
        if (!sessionId) {
            fail('page: no session id in body[data-session] after choosing the category');
            return;
        }
        const sget = async () => {
            const r = await call(base, 'GET', `/api/sessions/${encodeURIComponent(sessionId)}`);
            if (r.status !== 200) throw new Error(`GET /api/sessions/${sessionId}: HTTP ${r.status} ${r.text.slice(0, 200)}`);
            return r.json;
        };
        const baseline = await sget();
        comparePageToState(shown, baseline, 'baseline');
        if (!sameFigures(baseline.figures.departement, baseline.figures.departement.baseline ?? {})) fail('baseline: the figures of a new session differ from its own baseline');
        if (baseline.communes.minutes.length !== study.communes.length) fail(`baseline: communes.minutes has ${baseline.communes.minutes.length} values, ${study.communes.length} communes`);

        // Add a site where it is needed most: the commune farthest from any site.
        let far = -1;
        baseline.communes.minutes.forEach((m, i) => {
            if (m !== null && (far < 0 || m > baseline.communes.minutes[far])) far = i;
        });
        if (far < 0) {
            fail('baseline: no commune has a travel time');
            return;
        }
        const farCommune = study.communes[far];
        const pt = await screenPoint(page, study, farCommune.label.x, farCommune.label.y);
        if (!pt.inside) {
            fail(`add: the label point of ${farCommune.code} is off the map (${pt.x}, ${pt.y})`);
            return;
        }
        if (pt.code !== farCommune.code) notes.push(`the click on ${farCommune.code}'s label point lands on ${pt.hit} (${pt.code ?? ''})`);
        await page.mouse.click(pt.x, pt.y);
        if (!(await waitNewState(page, shown.version, `add a site at ${farCommune.name} (${farCommune.code})`))) return;
        shown = await readPage(page);
        const afterAdd = await sget();
        comparePageToState(shown, afterAdd, 'after the add');
        const added = afterAdd.sites.filter((s) => s.added);
        if (added.length !== 1) fail(`after the add: ${added.length} added sites in the API state, 1 expected`);
        if (afterAdd.changes.length !== 1 || afterAdd.changes[0]?.kind !== 'add') fail('after the add: the API lists no add change');
        if (afterAdd.sites.length !== baseline.sites.length + 1) fail(`after the add: ${afterAdd.sites.length} open sites, ${baseline.sites.length + 1} expected`);
        if (added[0]) {
            const drawn = await page.$(`#map circle.site.added[data-id="${added[0].id}"]`);
            if (!drawn) fail(`after the add: site ${added[0].id} not drawn as circle.site.added`);
            const dx = Math.abs(added[0].x - farCommune.label.x), dy = Math.abs(added[0].y - farCommune.label.y);
            // One screen pixel is a few hundred metres at the full view; 3 px of slack.
            const mPerPx = await page.evaluate(() => 1 / document.getElementById('map').getScreenCTM().a);
            if (Math.hypot(dx, dy) > 3 * mPerPx * study.unit_m + study.unit_m) fail(`after the add: the site is at (${added[0].x}, ${added[0].y}), clicked at ${farCommune.code}'s label point (${farCommune.label.x}, ${farCommune.label.y})`);
        }
        const mFar = afterAdd.communes.minutes[far];
        if (!(mFar !== null && mFar < baseline.communes.minutes[far])) fail(`after the add: ${farCommune.code} still at ${mFar} min (was ${baseline.communes.minutes[far]})`);
        if (afterAdd.figures.departement.beyond_gap > baseline.figures.departement.beyond_gap) fail('after the add: more people beyond the gap than before');
        if (sameFigures(afterAdd.figures.departement, baseline.figures.departement) && baseline.communes.minutes[far] > baseline.gap_threshold_minutes) {
            fail('after the add: the département figures did not change');
        }
        if (shown.messageIsError) fail(`after the add: the page shows an error: ${shown.message}`);

        // The tooltip of the commune just beside the new site (the site's circle covers the point).
        const hover = await page.evaluate((x, y) => {
            for (const [dx, dy] of [[14, 0], [-14, 0], [0, 14], [0, -14], [14, 14], [-14, -14]]) {
                const e = document.elementFromPoint(x + dx, y + dy);
                if (e?.matches?.('use.commune')) return { x: x + dx, y: y + dy, code: e.dataset.code };
            }
            return null;
        }, pt.x, pt.y);
        if (!hover) notes.push('tooltip not checked: no commune right beside the new site');
        else {
            await page.mouse.move(hover.x + 2, hover.y + 2);
            await page.mouse.move(hover.x, hover.y);
            const tip = await page.$eval('#tooltip', (t) => (t.hidden ? null : t.textContent));
            const i = study.communes.findIndex((c) => c.code === hover.code);
            const c = study.communes[i];
            const nearest = afterAdd.sites.find((s) => s.id === afterAdd.communes.nearest_site[i]);
            if (!tip) fail(`tooltip: nothing shown when hovering commune ${hover.code}`);
            else {
                if (!tip.includes(c.name)) fail(`tooltip: "${tip}" does not name ${c.name}`);
                if (nearest && !tip.includes(nearest.name)) fail(`tooltip: "${tip}" does not name the nearest site ${nearest.name}`);
                const m = afterAdd.communes.minutes[i];
                const shownMinutes = m === null ? 'inaccessible' : new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(m);
                if (!tip.includes(shownMinutes)) fail(`tooltip: "${tip}" does not give the time ${shownMinutes}`);
            }
        }

        // Close a baseline site through its menu: one whose circle is on top where it is drawn.
        const target = await page.evaluate(() => {
            const r = document.getElementById('map').getBoundingClientRect();
            for (const c of document.querySelectorAll('#map circle.site:not(.added)')) {
                const b = c.getBoundingClientRect();
                const x = b.left + b.width / 2, y = b.top + b.height / 2;
                if (x < r.left + 60 || x > r.right - 20 || y < r.top + 20 || y > r.bottom - 50) continue;
                if (document.elementFromPoint(x, y) === c) return { id: c.dataset.id, x, y };
            }
            return null;
        });
        if (!target) {
            fail('close: no baseline site circle can be clicked on the map');
            return;
        }
        await page.mouse.click(target.x, target.y);
        try {
            await page.waitForSelector('#site-menu:not([hidden])', { visible: true, timeout: 5000 });
        } catch {
            fail(`close: clicking site ${target.id} opened no menu`);
            return;
        }
        const menuText = await page.$eval('#site-menu', (m) => m.textContent);
        if (!menuText.includes('Fermer ce site') || !menuText.includes('Déplacer')) fail(`close: the site menu reads "${menuText.trim()}"`);
        await page.click('#site-close');
        if (!(await waitNewState(page, shown.version + 0, `close site ${target.id}`))) return;
        shown = await readPage(page);
        const afterClose = await sget();
        comparePageToState(shown, afterClose, 'after the close');
        if (afterClose.sites.some((s) => s.id === target.id)) fail(`after the close: site ${target.id} still open in the API state`);
        if (afterClose.sites.length !== baseline.sites.length) fail(`after the close: ${afterClose.sites.length} open sites, ${baseline.sites.length} expected`);
        if (afterClose.changes.length !== 2 || afterClose.changes[1]?.kind !== 'close' || afterClose.changes[1]?.site_id !== target.id) {
            fail(`after the close: the API changes are [${afterClose.changes.map((c) => `${c.kind} ${c.site_id}`)}]`);
        }
        final = afterClose;

        // Export before undoing: the YAML (and the GeoJSON).
        const href = await page.$eval('#export-yaml', (a) => a.href);
        const expected = `${base}/api/sessions/${encodeURIComponent(sessionId)}/export.yaml`;
        if (href !== expected) fail(`export: the YAML button points to ${href}, expected ${expected}`);
        const y = await call(base, 'GET', `/api/sessions/${encodeURIComponent(sessionId)}/export.yaml`);
        if (y.status !== 200 || !y.text.trim()) fail(`export: GET export.yaml: HTTP ${y.status}`);
        else {
            if (!/yaml/.test(y.type)) fail(`export: export.yaml Content-Type "${y.type}", text/yaml expected`);
            yamlPath = path.join(work, 'exported.yaml');
            fs.writeFileSync(yamlPath, y.text);
        }
        const g = await call(base, 'GET', `/api/sessions/${encodeURIComponent(sessionId)}/export.geojson`);
        if (g.status !== 200 || g.json?.type !== 'FeatureCollection') fail(`export: GET export.geojson: HTTP ${g.status}, not a FeatureCollection`);
        else {
            const points = g.json.features.filter((f) => f.geometry?.type === 'Point').length;
            if (points !== final.sites.length) fail(`export: export.geojson has ${points} points, ${final.sites.length} open sites`);
        }

        // Undo twice: back to the baseline.
        for (let i = 0; i < 2; i++) {
            const before = (await readPage(page)).version;
            await page.click('#undo');
            if (!(await waitNewState(page, before, `undo ${i + 1}`))) return;
        }
        shown = await readPage(page);
        const afterUndo = await sget();
        comparePageToState(shown, afterUndo, 'after two undos');
        if (!sameFigures(afterUndo.figures.departement, baseline.figures.departement)) fail('after two undos: the département figures are not the baseline');
        for (const [k, v] of Object.entries(baseline.figures.departement.within_minutes)) {
            if (shown.dep[`within_${k}`] !== v) fail(`after two undos: the page shows ${shown.dep[`within_${k}`]} within ${k} min, baseline ${v}`);
        }
        if (shown.dep.beyond_gap !== baseline.figures.departement.beyond_gap) fail(`after two undos: the page shows ${shown.dep.beyond_gap} beyond the gap, baseline ${baseline.figures.departement.beyond_gap}`);
        if (afterUndo.can_undo || !afterUndo.can_redo) fail(`after two undos: can_undo ${afterUndo.can_undo}, can_redo ${afterUndo.can_redo}`);
        if (JSON.stringify(afterUndo.communes.minutes) !== JSON.stringify(baseline.communes.minutes)) fail('after two undos: communes.minutes differ from the baseline');

        // The map is not blank.
        await page.mouse.move(2, 2);
        const map = await page.$('#map');
        const png = Buffer.from(await map.screenshot({ type: 'png' }));
        if (keep) {
            fs.mkdirSync(keep, { recursive: true });
            fs.writeFileSync(path.join(keep, 'serve-map.png'), png);
            await page.screenshot({ path: path.join(keep, 'serve-page.png') });
        }
        const px = analysePng(PNG, png);
        if (px.inkShare < MAP_MIN_INK) fail(`screenshot: the map looks blank: ${(100 * px.inkShare).toFixed(1)} % drawn, at least ${100 * MAP_MIN_INK} %`);
        if (px.colours < MAP_MIN_COLOURS) fail(`screenshot: ${px.colours} colours on the map, at least ${MAP_MIN_COLOURS}`);
        notes.push(`map ${px.width}x${px.height}: ${(100 * px.inkShare).toFixed(1)} % drawn, ${px.colours} colours; ${requests.length} requests`);

        // Stroke widths do not scale with the map: drawn 4 px wide in pure green (no class colour), the territory outlines
        // must cover about 4 px × their length on screen, not a hairline (a stroke scaled by the
        // viewBox is a fraction of a pixel at the full view).
        const outlinePx = await page.evaluate(() => {
            const k = document.getElementById('map').getScreenCTM().a;
            let len = 0;
            for (const p of document.querySelectorAll('.geo-defs path[id^="t-"]')) len += p.getTotalLength();
            return len * k;
        });
        await page.addStyleTag({ content: '#map use.territory-outline { stroke: #00ff00 !important; stroke-width: 4px !important; }' });
        const painted = PNG.sync.read(Buffer.from(await map.screenshot({ type: 'png' })));
        let outlinePixels = 0;
        for (let i = 0; i < painted.data.length; i += 4) if (painted.data[i] < 90 && painted.data[i + 1] > 200 && painted.data[i + 2] < 90) outlinePixels++;
        notes.push(`territory outlines at 4 px: ${outlinePixels} px for ${Math.round(outlinePx)} px of length`);
        if (outlinePixels < 1.5 * outlinePx) {
            fail(`map: the territory outlines drawn 4 px wide cover ${outlinePixels} pixels for ${Math.round(outlinePx)} px of length (at least 1.5 × expected): is vector-effect: non-scaling-stroke applied to the paths <use> draws?`);
        }
        await page.close();
    } finally {
        if (!final || !yamlPath) fs.rmSync(work, { recursive: true, force: true });
        await chromium.close();
        if (server) {
            const alive = server.alive();
            await server.stop();
            if (!alive) fail(`server: it exited during the test (${JSON.stringify(server.exited())}): ${server.stderr()}`);
        }
    }

    try {
        if (final && yamlPath) {
            checkRunOnExport(bin, repoRoot, yamlPath, path.join(work, 'out'), category, final);
            if (keep) fs.copyFileSync(yamlPath, path.join(keep, 'exported.yaml'));
        } else if (!failures.length) fail('run: nothing exported');
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}

main()
    .catch((e) => fail(`internal error: ${e.stack ?? e}`))
    .finally(() => {
        if (failures.length) {
            for (const f of failures) console.log(`FAIL ${f}${failCounts.get(f) > 1 ? ` (${failCounts.get(f)} times)` : ''}`);
            console.log(`${TAG}: ${failures.length} failure(s)`);
            process.exit(1);
        }
        console.log(`${TAG}: OK (${notes.join('; ')})`);
        process.exit(0);
    });
