#!/usr/bin/env node
// Real-browser check of a maillage HTML report (see tests/browser/README.md).
//
//   node tests/browser/check_report.mjs REPORT.html [--pdf REPORT.pdf] [--screenshots DIR] [--no-validate]
//
// Exit codes: 0 all checks passed; 1 at least one check failed (each failure printed on
// its own line, prefixed "FAIL"); 2 usage error, or a tool is missing (Chromium, poppler-utils,
// the npm packages) or Chromium could not be started.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { chromiumFlags } from './chromium_flags.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const HTMLVALIDATE_CONFIG = path.join(HERE, '.htmlvalidate.json');

// "Not blank": share of pixels that are neither white-ish nor transparent ("ink"), and the
// number of distinct ink colours (5 bits a channel, each covering a significant area).
const MAP_MIN_INK = 0.15;
const MAP_MIN_COLOURS = 3;
const CHART_MIN_INK = 0.02;
const CHART_MIN_COLOURS = 2;
const WHITEISH = 240; // r, g and b all >= this: background
const TRANSPARENT = 16; // alpha < this: background
const COLOUR_MIN_SHARE = 0.005; // a colour counts when it covers >= 0.5 % of the ink (and >= 20 px)
const COLOUR_MIN_PIXELS = 20;

const VIEWPORT = { width: 1000, height: 1400, deviceScaleFactor: 1 };
const LOAD_TIMEOUT_MS = 60_000;
const SETTLE_MS = 300; // after load: late console errors and timers

const CHROMIUM_FLAGS = chromiumFlags();

function usage(message) {
    if (message) console.error(`check_report: ${message}`);
    console.error(
        'usage: node tests/browser/check_report.mjs REPORT.html [--pdf REPORT.pdf] [--screenshots DIR] [--no-validate]',
    );
    process.exit(2);
}

function fatal(message) {
    console.error(`check_report: ${message}`);
    process.exit(2);
}

function parseArgs(argv) {
    const opts = { report: null, pdf: null, screenshots: null, validate: true };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const value = () => {
            if (i + 1 >= argv.length || argv[i + 1].startsWith('--')) usage(`${a} needs a value`);
            return argv[++i];
        };
        if (a === '--pdf') opts.pdf = value();
        else if (a.startsWith('--pdf=')) opts.pdf = a.slice(6);
        else if (a === '--screenshots') opts.screenshots = value();
        else if (a.startsWith('--screenshots=')) opts.screenshots = a.slice(14);
        else if (a === '--no-validate') opts.validate = false;
        else if (a === '-h' || a === '--help') usage();
        else if (a.startsWith('-')) usage(`unknown option ${a}`);
        else if (opts.report === null) opts.report = a;
        else usage(`unexpected argument ${a}`);
    }
    if (!opts.report) usage('no report given');
    if (!fs.existsSync(opts.report) || !fs.statSync(opts.report).isFile()) usage(`no such file: ${opts.report}`);
    if (opts.pdf && !fs.existsSync(opts.pdf)) usage(`no such file: ${opts.pdf}`);
    return opts;
}

async function importOrDie(name) {
    try {
        return await import(name);
    } catch (e) {
        fatal(`cannot load the npm package ${name} (${e.code ?? e.message}): run npm ci at the repository root`);
    }
}

// Whitespace, U+00A0 and U+202F included (JS \s covers the Unicode space separators), to one space.
export function normaliseSpaces(s) {
    return s.replace(/[\s\u00a0\u2007\u2009\u202f]+/g, ' ').trim();
}

function stripHash(u) {
    const i = u.indexOf('#');
    return i < 0 ? u : u.slice(0, i);
}

// ---- pixels --------------------------------------------------------------------------------------
function analysePng(PNG, buffer) {
    const png = PNG.sync.read(buffer);
    const { width, height, data } = png;
    const total = width * height;
    let ink = 0;
    const buckets = new Map();
    for (let p = 0; p < data.length; p += 4) {
        const r = data[p], g = data[p + 1], b = data[p + 2], a = data[p + 3];
        if (a < TRANSPARENT) continue;
        if (r >= WHITEISH && g >= WHITEISH && b >= WHITEISH) continue;
        ink++;
        const key = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
        buckets.set(key, (buckets.get(key) ?? 0) + 1);
    }
    const minPixels = Math.max(COLOUR_MIN_PIXELS, ink * COLOUR_MIN_SHARE);
    let colours = 0;
    for (const n of buckets.values()) if (n >= minPixels) colours++;
    return { width, height, inkShare: total ? ink / total : 0, colours };
}

// ---- poppler -------------------------------------------------------------------------------------
function runTool(cmd, args) {
    const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (r.error && r.error.code === 'ENOENT') {
        fatal(`${cmd} not found: apt-get install poppler-utils (or bash scripts/setup.sh)`);
    }
    return r;
}

function checkPdf(pdfPath, pageCount, keyValues, fail) {
    const info = runTool('pdfinfo', [pdfPath]);
    if (info.status !== 0) {
        fail(`pdf: pdfinfo failed on ${pdfPath}: ${(info.stderr || '').trim()}`);
        return null;
    }
    const pagesMatch = /^Pages:\s+(\d+)/m.exec(info.stdout);
    const pdfPages = pagesMatch ? Number(pagesMatch[1]) : NaN;
    if (pdfPages !== pageCount) {
        fail(`pdf: ${pdfPages} pages in ${path.basename(pdfPath)}, but the report has ${pageCount} section.page (each must fit exactly one A4 page)`);
    }
    const sizeMatch = /^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(info.stdout);
    if (sizeMatch) {
        const w = Number(sizeMatch[1]), h = Number(sizeMatch[2]);
        if (Math.abs(w - 595.28) > 2 || Math.abs(h - 841.89) > 2) {
            fail(`pdf: page size ${w} x ${h} pt is not A4 portrait (595 x 842 pt)`);
        }
    }
    const text = runTool('pdftotext', ['-layout', '-enc', 'UTF-8', pdfPath, '-']);
    if (text.status !== 0) {
        fail(`pdf: pdftotext failed on ${pdfPath}: ${(text.stderr || '').trim()}`);
        return pdfPages;
    }
    const haystack = normaliseSpaces(text.stdout);
    for (const { key, value } of keyValues) {
        const needle = normaliseSpaces(value);
        if (needle && !haystack.includes(needle)) {
            fail(`pdf: key figure ${key}: its value "${needle}" is not in the PDF text (pdftotext -layout)`);
        }
    }
    return pdfPages;
}

// ---- html-validate -------------------------------------------------------------------------------
async function validateHtml(reportPath, fail) {
    const { HtmlValidate, StaticConfigLoader } = await importOrDie('html-validate');
    const config = JSON.parse(fs.readFileSync(HTMLVALIDATE_CONFIG, 'utf8'));
    const validator = new HtmlValidate(new StaticConfigLoader(config));
    const report = await validator.validateFile(reportPath);
    let count = 0;
    for (const result of report.results) {
        for (const m of result.messages) {
            count++;
            const level = m.severity === 2 ? 'error' : 'warning';
            fail(`html-validate: ${path.basename(reportPath)}:${m.line}:${m.column}: ${m.message} [${m.ruleId}, ${level}]`);
        }
    }
    return count;
}

// ---- browser -------------------------------------------------------------------------------------
async function checkInBrowser(opts, fail) {
    const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
    if (!fs.existsSync(executablePath)) {
        fatal(`Chromium not found at ${executablePath}: apt-get install chromium (or set CHROMIUM=/path/to/chromium)`);
    }
    const puppeteer = (await importOrDie('puppeteer-core')).default;
    const { PNG } = await importOrDie('pngjs');

    const reportUrl = pathToFileURL(path.resolve(opts.report)).href;
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-chromium-'));
    let browser;
    try {
        browser = await puppeteer.launch({
            executablePath,
            headless: true,
            pipe: true,
            userDataDir,
            args: CHROMIUM_FLAGS,
            defaultViewport: VIEWPORT,
            timeout: LOAD_TIMEOUT_MS,
        });
    } catch (e) {
        fs.rmSync(userDataDir, { recursive: true, force: true });
        fatal(`Chromium (${executablePath}) could not be started: ${e.message.split('\n')[0]}`);
    }

    const summary = { maps: 0, charts: 0, pages: 0, keyFigures: [] };
    try {
        const page = await browser.newPage();
        const blocked = new Set();
        await page.setRequestInterception(true);
        page.on('request', (req) => {
            const url = req.url();
            if (stripHash(url) === reportUrl || url.startsWith('data:')) {
                req.continue();
                return;
            }
            if (!blocked.has(url)) {
                blocked.add(url);
                fail(`request: the report requests an external resource: ${url} (${req.resourceType()})`);
            }
            req.abort('blockedbyclient');
        });
        page.on('requestfailed', (req) => {
            if (blocked.has(req.url())) return;
            fail(`request failed: ${req.url()}: ${req.failure()?.errorText ?? 'unknown error'}`);
        });
        page.on('response', (res) => {
            if (res.status() >= 400) fail(`request failed: ${res.url()}: HTTP ${res.status()}`);
        });
        page.on('console', (msg) => {
            if (msg.type() !== 'error' && msg.type() !== 'assert') return;
            const where = msg.location()?.url ?? '';
            // The blocked external requests are already reported, once each.
            if (blocked.has(where) || /net::ERR_BLOCKED_BY_CLIENT/.test(msg.text())) return;
            const line = msg.location()?.lineNumber;
            fail(`console error: ${msg.text()}${line !== undefined ? ` (line ${line + 1})` : ''}`);
        });
        page.on('pageerror', (err) => fail(`page error: ${err.message ?? err}`));
        page.on('error', (err) => fail(`page crashed: ${err.message ?? err}`));

        try {
            const response = await page.goto(reportUrl, { waitUntil: 'load', timeout: LOAD_TIMEOUT_MS });
            if (response && !response.ok()) fail(`load: ${reportUrl}: status ${response.status()}`);
        } catch (e) {
            fail(`load: ${reportUrl}: ${e.message.split('\n')[0]}`);
            return summary;
        }
        await page.evaluate(() => document.fonts.ready.then(() => undefined));
        await new Promise((r) => setTimeout(r, SETTLE_MS));

        // Document-level conventions.
        const doc = await page.evaluate(() => ({
            lang: document.documentElement.getAttribute('lang'),
            charset: document.characterSet,
            pages: document.querySelectorAll('section.page').length,
            keyFigures: [...document.querySelectorAll('.key-figure')].map((el) => ({
                key: el.getAttribute('data-key'),
                dataValue: el.getAttribute('data-value'),
                values: [...el.querySelectorAll('.value')].map((v) => v.textContent),
            })),
        }));
        if (doc.lang !== 'fr') fail(`document: <html lang="${doc.lang ?? ''}">, expected lang="fr"`);
        if (doc.charset !== 'UTF-8') fail(`document: character set ${doc.charset}, expected UTF-8 (<meta charset="utf-8">)`);
        summary.pages = doc.pages;
        if (doc.pages === 0) fail('document: no section.page');
        const keyValues = [];
        for (const [i, kf] of doc.keyFigures.entries()) {
            const name = kf.key || `#${i + 1}`;
            if (!kf.key) fail(`key figure ${name}: no data-key`);
            if (kf.dataValue === null || kf.dataValue.trim() === '' || !Number.isFinite(Number(kf.dataValue))) {
                fail(`key figure ${name}: data-value "${kf.dataValue ?? ''}" is not a number`);
            }
            if (kf.values.length !== 1 || normaliseSpaces(kf.values[0]) === '') {
                fail(`key figure ${name}: expected one non-empty .value, found ${kf.values.length}`);
            }
            for (const v of kf.values) keyValues.push({ key: name, value: v });
        }
        summary.keyFigures = keyValues;

        if (opts.screenshots) fs.mkdirSync(opts.screenshots, { recursive: true });
        const kinds = [
            { selector: 'svg.map', kind: 'map', idAttr: 'data-map', minInk: MAP_MIN_INK, minColours: MAP_MIN_COLOURS },
            { selector: 'svg.chart', kind: 'chart', idAttr: 'data-chart', minInk: CHART_MIN_INK, minColours: CHART_MIN_COLOURS },
        ];
        const seenMapIds = new Set();
        for (const k of kinds) {
            const handles = await page.$$(k.selector);
            if (k.kind === 'map') summary.maps = handles.length;
            else summary.charts = handles.length;
            for (const [i, handle] of handles.entries()) {
                const info = await handle.evaluate((el, idAttr) => {
                    const cs = getComputedStyle(el);
                    const r = el.getBoundingClientRect();
                    const communes = [...el.querySelectorAll('.commune')];
                    return {
                        id: el.getAttribute(idAttr),
                        role: el.getAttribute('role'),
                        label: el.getAttribute('aria-label'),
                        width: r.width,
                        height: r.height,
                        hidden: cs.display === 'none' || cs.visibility !== 'visible' || Number(cs.opacity) === 0,
                        communes: communes.length,
                        badCommunes: communes
                            .filter((p) => !p.getAttribute('data-code') || !/^#[0-9a-fA-F]{6}$/.test(p.getAttribute('fill') ?? ''))
                            .slice(0, 3)
                            .map((p) => `data-code="${p.getAttribute('data-code') ?? ''}" fill="${p.getAttribute('fill') ?? ''}"`),
                        legend: el.querySelector('g.legend') !== null,
                    };
                }, k.idAttr);
                const name = `${k.kind} ${info.id || `#${i + 1}`}`;
                if (k.kind === 'map') {
                    if (!info.id) fail(`${name}: no data-map`);
                    else if (seenMapIds.has(info.id)) fail(`${name}: data-map="${info.id}" used twice`);
                    else seenMapIds.add(info.id);
                    if (info.role !== 'img' || !info.label?.trim()) fail(`${name}: needs role="img" and a non-empty aria-label`);
                    if (info.communes === 0) fail(`${name}: no .commune element`);
                    for (const b of info.badCommunes) fail(`${name}: .commune without data-code or #rrggbb fill: ${b}`);
                    if (!info.legend) fail(`${name}: no g.legend`);
                }
                if (info.hidden) {
                    fail(`${name}: not visible (display, visibility or opacity)`);
                    continue;
                }
                if (!(info.width > 0 && info.height > 0)) {
                    fail(`${name}: zero size (${info.width} x ${info.height} px)`);
                    continue;
                }
                let buffer;
                try {
                    buffer = Buffer.from(await handle.screenshot({ type: 'png', omitBackground: true }));
                } catch (e) {
                    fail(`${name}: screenshot failed: ${e.message.split('\n')[0]}`);
                    continue;
                }
                if (opts.screenshots) {
                    const safe = String(info.id || i + 1).replace(/[^A-Za-z0-9_.-]/g, '_');
                    fs.writeFileSync(path.join(opts.screenshots, `${k.kind}-${safe}.png`), buffer);
                }
                const px = analysePng(PNG, buffer);
                const inkPct = (100 * px.inkShare).toFixed(1);
                if (px.inkShare < k.minInk) {
                    fail(`${name}: looks blank: ${inkPct} % of its ${px.width}x${px.height} pixels are drawn (neither white nor transparent), at least ${100 * k.minInk} % expected`);
                } else if (px.colours < k.minColours) {
                    fail(`${name}: ${px.colours} distinct colour(s) drawn, at least ${k.minColours} expected`);
                }
            }
        }
        // Printed, every page must hold its content: a section taller than its A4 page would be
        // cut (the print stylesheet hides overflow so the page count stays right).
        await page.emulateMediaType('print');
        const overflowing = await page.evaluate(() =>
            [...document.querySelectorAll('section.page')]
                .map((s, i) => ({ id: s.id || `#${i + 1}`, over: s.scrollHeight - s.clientHeight }))
                .filter((p) => p.over > 1));
        for (const o of overflowing) fail(`page ${o.id}: its content is ${o.over} px taller than the printed page (it would be cut)`);
        await page.emulateMediaType('screen');
        await page.close();
    } finally {
        await browser.close().catch(() => {});
        fs.rmSync(userDataDir, { recursive: true, force: true });
    }
    return summary;
}

async function main() {
    const opts = parseArgs(process.argv.slice(2));
    const failures = [];
    const fail = (line) => failures.push(line);

    let validationMessages = null;
    if (opts.validate) validationMessages = await validateHtml(opts.report, fail);
    const summary = await checkInBrowser(opts, fail);
    let pdfPages = null;
    if (opts.pdf) pdfPages = checkPdf(opts.pdf, summary.pages, summary.keyFigures, fail);

    const parts = [
        `${summary.maps} map(s)`,
        `${summary.charts} chart(s)`,
        `${summary.pages} page(s)`,
        opts.pdf ? `PDF ${pdfPages ?? '?'} page(s), ${summary.keyFigures.length} key figure(s) checked in its text` : `${summary.keyFigures.length} key figure(s) (no --pdf: text not checked)`,
        opts.validate ? `html-validate ${validationMessages} message(s)` : 'html-validate skipped',
    ];
    const name = path.basename(opts.report);
    if (failures.length) {
        for (const f of failures) console.log(`FAIL ${f}`);
        console.log(`check_report: ${name}: ${failures.length} failure(s); ${parts.join(', ')}`);
        process.exit(1);
    }
    console.log(`check_report: ${name}: OK: ${parts.join(', ')}`);
    process.exit(0);
}

main().catch((e) => {
    console.error(`check_report: internal error: ${e.stack ?? e}`);
    process.exit(2);
});
