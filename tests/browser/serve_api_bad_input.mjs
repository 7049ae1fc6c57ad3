#!/usr/bin/env node
// Bad input to the `maillage serve` API (see tests/browser/README.md and docs/SERVE_API.md):
//
//   node tests/browser/serve_api_bad_input.mjs MAILLAGE_BINARY REPO_ROOT [--category france_services]
//
// Each bad request must get its documented status and JSON error {"error": CODE, "message": "..."},
// leave the session exactly as it was (GET it before and after), and the server must keep
// answering. A second server started with --token checks the 401s.
//
// Exit: 0 passed; 1 a check failed (one "FAIL ..." line each); 2 usage or the binary missing.
import { call, checkArgs, startServer } from './serve_common.mjs';

const TAG = 'serve_api_bad_input';
const TOKEN = 'secret-86-token'; // the server wants at least 8 characters

const failures = [];
const fail = (line) => failures.push(line);
let checked = 0;

function option(name, dflt) {
    const i = process.argv.indexOf(name);
    return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : dflt;
}

// The parts of a state a failed request must not change (last_change included: nothing happened).
function fingerprint(st) {
    const { session, category, bands_minutes, gap_threshold_minutes, classes, communes, sites, figures, changes, can_undo, can_redo, last_change } = st;
    const lc = last_change ? { ...last_change, server_ms: undefined } : null;
    return JSON.stringify({ session, category, bands_minutes, gap_threshold_minutes, classes, communes, sites, figures, changes, can_undo, can_redo, lc });
}

async function expectError(base, what, method, path, opts, status, code, sessionCheck) {
    checked++;
    let r;
    try {
        r = await call(base, method, path, opts);
    } catch (e) {
        fail(`${what}: no answer: ${e.message}`);
        return;
    }
    if (r.status !== status) fail(`${what}: HTTP ${r.status}, expected ${status} (${r.text.slice(0, 160)})`);
    if (!r.json || typeof r.json !== 'object') fail(`${what}: the answer is not JSON: ${r.text.slice(0, 160)}`);
    else {
        if (r.json.error !== code) fail(`${what}: error "${r.json.error}", expected "${code}"`);
        if (typeof r.json.message !== 'string' || !r.json.message.trim()) fail(`${what}: no "message" in the error`);
    }
    if (!/application\/json/.test(r.type)) fail(`${what}: Content-Type "${r.type}", application/json expected`);
    if (sessionCheck) await sessionCheck(what);
}

async function main() {
    const { bin, repoRoot } = checkArgs(TAG, 'node tests/browser/serve_api_bad_input.mjs MAILLAGE_BINARY REPO_ROOT [--category KEY]');
    const category = option('--category', 'france_services');

    // ---- without a token -------------------------------------------------------------------------
    let server;
    try {
        server = await startServer(bin, repoRoot);
    } catch (e) {
        fail(`server: ${e.message}`);
        return;
    }
    try {
        const { base, study } = server;
        const created = await call(base, 'POST', '/api/sessions', { body: { category } });
        if (created.status !== 201) {
            fail(`POST /api/sessions {"category": "${category}"}: HTTP ${created.status} (${created.text.slice(0, 200)})`);
            return;
        }
        const id = created.json.session;
        const sp = `/api/sessions/${encodeURIComponent(id)}`;
        // One real change first, so that "unchanged" covers a non-empty history.
        const c = study.communes[Math.floor(study.communes.length / 2)];
        const added = await call(base, 'POST', `${sp}/changes`, { body: { kind: 'add', x: c.label.x, y: c.label.y, name: 'Site de test' } });
        if (added.status !== 200) fail(`a valid add at ${c.code}'s label point: HTTP ${added.status} (${added.text.slice(0, 200)})`);
        const before = await call(base, 'GET', sp);
        if (before.status !== 200) {
            fail(`GET ${sp}: HTTP ${before.status}`);
            return;
        }
        const reference = fingerprint(before.json);
        const unchanged = async (what) => {
            const now = await call(base, 'GET', sp);
            if (now.status !== 200) fail(`${what}: then GET the session: HTTP ${now.status}`);
            else if (fingerprint(now.json) !== reference) fail(`${what}: the session changed`);
        };
        const ch = `${sp}/changes`;
        const siteId = before.json.sites.find((s) => !s.added)?.id ?? before.json.sites[0]?.id;

        await expectError(base, 'malformed JSON (changes)', 'POST', ch, { raw: '{"kind": "add", "x": 497000,' }, 400, 'bad_request', unchanged);
        await expectError(base, 'JSON not an object (changes)', 'POST', ch, { raw: '[1, 2, 3]' }, 400, 'bad_request', unchanged);
        await expectError(base, 'empty body (changes)', 'POST', ch, { raw: '' }, 400, 'bad_request', unchanged);
        await expectError(base, 'unknown kind', 'POST', ch, { body: { kind: 'teleport', x: c.label.x, y: c.label.y } }, 400, 'bad_request', unchanged);
        await expectError(base, 'no kind', 'POST', ch, { body: { x: c.label.x, y: c.label.y } }, 400, 'bad_request', unchanged);
        await expectError(base, 'add without y', 'POST', ch, { body: { kind: 'add', x: c.label.x } }, 400, 'bad_request', unchanged);
        await expectError(base, 'add with a string x', 'POST', ch, { body: { kind: 'add', x: 'far', y: c.label.y } }, 400, 'bad_request', unchanged);
        await expectError(base, 'add outside the study (0, 0)', 'POST', ch, { body: { kind: 'add', x: 0, y: 0 } }, 422, 'outside', unchanged);
        await expectError(base, 'add far outside (Paris)', 'POST', ch, { body: { kind: 'add', x: 652000, y: 6862000 } }, 422, 'outside', unchanged);
        await expectError(base, 'close an unknown site id', 'POST', ch, { body: { kind: 'close', site_id: 'no-such-site-86' } }, 404, 'not_found', unchanged);
        await expectError(base, 'close without site_id', 'POST', ch, { body: { kind: 'close' } }, 400, 'bad_request', unchanged);
        await expectError(base, 'move an unknown site id', 'POST', ch, { body: { kind: 'move', site_id: 'no-such-site-86', x: c.label.x, y: c.label.y } }, 404, 'not_found', unchanged);
        if (siteId) {
            await expectError(base, 'move a site outside the study', 'POST', ch, { body: { kind: 'move', site_id: siteId, x: 0, y: 0 } }, 422, 'outside', unchanged);
        }
        const big = JSON.stringify({ kind: 'add', x: c.label.x, y: c.label.y, name: 'x'.repeat(70 * 1024) });
        await expectError(base, 'oversized body (70 kB)', 'POST', ch, { raw: big }, 413, 'too_large', unchanged);
        await expectError(base, 'redo with nothing to redo', 'POST', `${sp}/redo`, {}, 400, 'bad_request', unchanged);

        await expectError(base, 'malformed JSON (new session)', 'POST', '/api/sessions', { raw: '{category: france_services}' }, 400, 'bad_request', unchanged);
        await expectError(base, 'unknown category', 'POST', '/api/sessions', { body: { category: 'no_such_category' } }, 422, 'unknown_category', unchanged);
        await expectError(base, 'oversized body (new session)', 'POST', '/api/sessions', { raw: JSON.stringify({ category, pad: 'y'.repeat(70 * 1024) }) }, 413, 'too_large', unchanged);

        const ghost = `/api/sessions/${'0'.repeat(28)}dead`; // the shape of a session id (32 hex), no such session
        await expectError(base, 'unknown session (GET)', 'GET', ghost, {}, 404, 'not_found', unchanged);
        await expectError(base, 'unknown session (change)', 'POST', `${ghost}/changes`, { body: { kind: 'add', x: c.label.x, y: c.label.y } }, 404, 'not_found', unchanged);
        await expectError(base, 'unknown session (undo)', 'POST', `${ghost}/undo`, {}, 404, 'not_found', unchanged);
        await expectError(base, 'unknown session (export)', 'GET', `${ghost}/export.yaml`, {}, 404, 'not_found', unchanged);
        await expectError(base, 'unknown session (DELETE)', 'DELETE', ghost, {}, 404, 'not_found', unchanged);
        await expectError(base, 'unknown API path', 'GET', '/api/nothing-here', {}, 404, 'not_found', unchanged);

        // A fresh session: undo with nothing to undo.
        const fresh = await call(base, 'POST', '/api/sessions', { body: { category } });
        if (fresh.status === 201) {
            const fp = `/api/sessions/${encodeURIComponent(fresh.json.session)}`;
            await expectError(base, 'undo with nothing to undo', 'POST', `${fp}/undo`, {}, 400, 'bad_request', unchanged);
            const del = await call(base, 'DELETE', fp);
            if (del.status !== 204) fail(`DELETE a session: HTTP ${del.status}, 204 expected`);
            await expectError(base, 'a deleted session', 'GET', fp, {}, 404, 'not_found', unchanged);
        } else fail(`a second session: HTTP ${fresh.status}`);

        const up = await call(base, 'GET', '/api/study').catch((e) => ({ status: 0, text: e.message }));
        if (up.status !== 200 || !server.alive()) fail(`server: not answering after the bad input (GET /api/study: ${up.status}): ${server.stderr()}`);
    } finally {
        await server.stop();
    }

    // ---- with --token ----------------------------------------------------------------------------
    let guarded;
    try {
        guarded = await startServer(bin, repoRoot, ['--token', TOKEN], TOKEN);
    } catch (e) {
        fail(`server --token: ${e.message}`);
        return;
    }
    try {
        const { base } = guarded;
        await expectError(base, 'no token (study)', 'GET', '/api/study', {}, 401, 'token');
        await expectError(base, 'wrong token (study)', 'GET', '/api/study', { token: 'not-the-secret' }, 401, 'token');
        await expectError(base, 'no token (new session)', 'POST', '/api/sessions', { body: { category } }, 401, 'token');
        await expectError(base, 'wrong token in the URL', 'GET', `/api/study?token=wrong`, {}, 401, 'token');
        const ok = await call(base, 'POST', '/api/sessions', { body: { category }, token: TOKEN });
        checked++;
        if (ok.status !== 201) fail(`right token (header): POST /api/sessions: HTTP ${ok.status}`);
        else {
            const sp = `/api/sessions/${encodeURIComponent(ok.json.session)}`;
            const reference = fingerprint(ok.json);
            const unchanged = async (what) => {
                const now = await call(base, 'GET', sp, { token: TOKEN });
                if (now.status !== 200) fail(`${what}: then GET the session with the token: HTTP ${now.status}`);
                else if (fingerprint(now.json) !== reference) fail(`${what}: the session changed`);
            };
            const c = guarded.study.communes[0];
            await expectError(base, 'no token (change)', 'POST', `${sp}/changes`, { body: { kind: 'add', x: c.label.x, y: c.label.y } }, 401, 'token', unchanged);
            await expectError(base, 'wrong token (change)', 'POST', `${sp}/changes`, { body: { kind: 'add', x: c.label.x, y: c.label.y }, token: 'nope' }, 401, 'token', unchanged);
            await expectError(base, 'no token (GET session)', 'GET', sp, {}, 401, 'token');
            await expectError(base, 'no token (export)', 'GET', `${sp}/export.yaml`, {}, 401, 'token');
            const q = await call(base, 'GET', `${sp}/export.yaml?token=${TOKEN}`);
            checked++;
            if (q.status !== 200) fail(`right token in the URL (?token=): GET export.yaml: HTTP ${q.status}`);
        }
        const page = await call(base, 'GET', `/?token=${TOKEN}`);
        checked++;
        if (page.status !== 200 || !/<html/i.test(page.text)) fail(`the page at /?token=…: HTTP ${page.status}`);
        const up = await call(base, 'GET', '/api/study', { token: TOKEN }).catch((e) => ({ status: 0, text: e.message }));
        if (up.status !== 200 || !guarded.alive()) fail(`server --token: not answering at the end (GET /api/study: ${up.status}): ${guarded.stderr()}`);
    } finally {
        await guarded.stop();
    }
}

main()
    .catch((e) => fail(`internal error: ${e.stack ?? e}`))
    .finally(() => {
        if (failures.length) {
            for (const f of failures) console.log(`FAIL ${f}`);
            console.log(`${TAG}: ${failures.length} failure(s) in ${checked} requests checked`);
            process.exit(1);
        }
        console.log(`${TAG}: OK (${checked} bad or guarded requests, each with its documented status and error code, sessions unchanged)`);
        process.exit(0);
    });
