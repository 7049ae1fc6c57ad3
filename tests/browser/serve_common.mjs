// Shared by the serve_*.mjs tests (see tests/browser/README.md): start `maillage serve` on a free
// port, wait until it answers, call its API, stop it; launch Chromium offline.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { chromiumFlags } from './chromium_flags.mjs';

export const READY_TIMEOUT_MS = 60_000;

// The flags of check_report.mjs, with 127.0.0.1 reachable: the page comes from the local server.
export const CHROMIUM_FLAGS = chromiumFlags({ localServer: true });

// Exit 2 with one line: a tool, the binary or a package is missing.
export function missing(tag, message) {
    console.log(`${tag}: SKIP/ERROR ${message}`);
    process.exit(2);
}

export async function importOrMissing(tag, name) {
    try {
        return await import(name);
    } catch (e) {
        missing(tag, `cannot load the npm package ${name} (${e.code ?? e.message}): run npm ci at the repository root`);
    }
}

export function checkArgs(tag, usage) {
    const [binary, repoRoot] = process.argv.slice(2);
    if (!binary || !repoRoot) {
        console.log(`usage: ${usage}`);
        process.exit(2);
    }
    const bin = path.resolve(binary);
    if (!fs.existsSync(bin)) missing(tag, `no maillage binary at ${bin}`);
    try {
        fs.accessSync(bin, fs.constants.X_OK);
    } catch {
        missing(tag, `${bin} is not executable`);
    }
    if (!fs.existsSync(repoRoot) || !fs.statSync(repoRoot).isDirectory()) missing(tag, `no repository root ${repoRoot}`);
    return { bin, repoRoot: path.resolve(repoRoot) };
}

export function freePort() {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.unref();
        srv.on('error', reject);
        srv.listen(0, '127.0.0.1', () => {
            const { port } = srv.address();
            srv.close(() => resolve(port));
        });
    });
}

// Starts `BIN serve --port P [extra...]` in repoRoot and waits until GET /api/study answers 200
// (with the token when one is given). Resolves to {base, port, proc, stderr(), stop(), study}.
// Rejects with the server's stderr when it exits or does not answer in time.
export async function startServer(bin, repoRoot, extra = [], token = null) {
    const port = await freePort();
    const proc = spawn(bin, ['serve', '--port', String(port), ...extra], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    let out = '';
    proc.stderr.on('data', (d) => {
        err += d;
        if (err.length > 200_000) err = err.slice(-100_000);
    });
    proc.stdout.on('data', (d) => {
        out += d;
        if (out.length > 200_000) out = out.slice(-100_000);
    });
    let exited = null;
    const exitPromise = new Promise((resolve) =>
        proc.on('exit', (code, signal) => {
            exited = { code, signal };
            resolve(exited);
        }),
    );
    proc.on('error', (e) => {
        exited = { code: null, signal: null, error: e };
    });
    const base = `http://127.0.0.1:${port}`;
    const headers = token ? { 'X-Maillage-Token': token } : {};
    const deadline = Date.now() + READY_TIMEOUT_MS;
    let study = null;
    while (Date.now() < deadline) {
        if (exited) break;
        try {
            const r = await fetch(`${base}/api/study`, { headers, signal: AbortSignal.timeout(5000) });
            if (r.ok) {
                study = await r.json();
                break;
            }
        } catch {
            // not yet listening
        }
        await new Promise((r) => setTimeout(r, 250));
    }
    const tail = () => (err + out).trim().split('\n').slice(-20).join('\n');
    if (!study) {
        if (!exited) proc.kill('SIGKILL');
        const why = exited
            ? exited.error
                ? `could not start: ${exited.error.message}`
                : `exited (code ${exited.code}, signal ${exited.signal}) before answering`
            : `did not answer GET /api/study within ${READY_TIMEOUT_MS / 1000} s`;
        throw new Error(`${bin} serve --port ${port} ${extra.join(' ')}: ${why}; its output:\n${tail()}`);
    }
    const stop = async () => {
        if (exited) return exited;
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
        const r = await exitPromise;
        clearTimeout(t);
        return r;
    };
    return { base, port, proc, study, stderr: tail, stop, alive: () => !exited, exited: () => exited };
}

// One API call: {status, json (or null), text, ms}.
export async function call(base, method, urlPath, { body, raw, token, headers = {} } = {}) {
    const h = { ...headers };
    if (token) h['X-Maillage-Token'] = token;
    let payload;
    if (raw !== undefined) {
        payload = raw;
        h['Content-Type'] ??= 'application/json';
    } else if (body !== undefined) {
        payload = JSON.stringify(body);
        h['Content-Type'] = 'application/json';
    }
    const t0 = performance.now();
    const r = await fetch(`${base}${urlPath}`, { method, headers: h, body: payload, signal: AbortSignal.timeout(30_000) });
    const text = await r.text();
    const ms = performance.now() - t0;
    let json = null;
    try {
        json = JSON.parse(text);
    } catch {
        // not JSON
    }
    return { status: r.status, json, text, ms, type: r.headers.get('content-type') ?? '' };
}

export async function launchChromium(tag, viewport) {
    const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
    if (!fs.existsSync(executablePath)) {
        missing(tag, `Chromium not found at ${executablePath}: apt-get install chromium (or set CHROMIUM=/path/to/chromium)`);
    }
    const puppeteer = (await importOrMissing(tag, 'puppeteer-core')).default;
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-chromium-'));
    try {
        const browser = await puppeteer.launch({
            executablePath,
            headless: true,
            pipe: true,
            userDataDir,
            args: CHROMIUM_FLAGS,
            defaultViewport: viewport,
            timeout: READY_TIMEOUT_MS,
        });
        return {
            browser,
            close: async () => {
                await browser.close().catch(() => {});
                fs.rmSync(userDataDir, { recursive: true, force: true });
            },
        };
    } catch (e) {
        fs.rmSync(userDataDir, { recursive: true, force: true });
        return { error: `Chromium (${executablePath}) could not be started: ${e.message.split('\n')[0]}` };
    }
}

// "Not blank", as in check_report.mjs: share of pixels neither white-ish nor transparent, and the
// number of distinct colours (5 bits a channel) each covering >= 0.5 % of them (and >= 20 px).
export function analysePng(PNG, buffer) {
    const png = PNG.sync.read(buffer);
    const { width, height, data } = png;
    let ink = 0;
    const buckets = new Map();
    for (let p = 0; p < data.length; p += 4) {
        const r = data[p], g = data[p + 1], b = data[p + 2], a = data[p + 3];
        if (a < 16) continue;
        if (r >= 240 && g >= 240 && b >= 240) continue;
        ink++;
        const key = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
        buckets.set(key, (buckets.get(key) ?? 0) + 1);
    }
    const minPixels = Math.max(20, ink * 0.005);
    let colours = 0;
    for (const n of buckets.values()) if (n >= minPixels) colours++;
    return { width, height, inkShare: width * height ? ink / (width * height) : 0, colours };
}

// A small seeded generator (mulberry32), so a run can be repeated.
export function seeded(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

export function percentile(values, p) {
    if (!values.length) return NaN;
    const s = [...values].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
