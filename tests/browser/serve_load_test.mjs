#!/usr/bin/env node
// Load on `maillage serve` (see tests/browser/README.md): concurrent sessions making changes.
//
//   node tests/browser/serve_load_test.mjs MAILLAGE_BINARY REPO_ROOT [--sessions 20] [--changes 50]
//        [--p95-ms 50] [--server-p95-ms 5] [--seed 86] [--category france_services]
//
// Each session (all at once) makes --changes requests in turn: an add at a random commune's label
// point (seeded), then either an undo of it or a close of the added site, and so on. Every answer
// must be 200 (a 422 "outside" is counted, not failed) and consistent: open sites = baseline + adds
// − closes of the changes in force, as many changes listed. At the end each session's state is
// read again and the server must still answer. Prints one parsable line:
//   serve_load: p50_ms=… p95_ms=… max_ms=… server_p95_ms=… requests=… outside=… sessions=… changes=… wall_s=… server_p50_ms=… over_1s=…
// and fails when the round-trip p95 or the server's own p95 (last_change.server_ms) is above its limit.
//
// Exit: 0 passed; 1 a check failed (one "FAIL ..." line each); 2 usage or the binary missing.
import { call, checkArgs, percentile, seeded, startServer } from './serve_common.mjs';

const TAG = 'serve_load_test';

function option(name, dflt) {
    const i = process.argv.indexOf(name);
    if (i < 0) return dflt;
    const v = process.argv[i + 1];
    if (v === undefined) {
        console.log(`${TAG}: ${name} needs a value`);
        process.exit(2);
    }
    return v;
}

function numberOption(name, dflt) {
    const v = Number(option(name, String(dflt)));
    if (!Number.isFinite(v) || v <= 0) {
        console.log(`${TAG}: ${name} must be a positive number`);
        process.exit(2);
    }
    return v;
}

const failures = [];
const fail = (line) => failures.push(line);
const MAX_FAILURES_PER_SESSION = 5;

async function runSession(base, study, category, index, changes, seed, stats) {
    const rnd = seeded(seed * 1000 + index);
    const tag = `session ${index + 1}`;
    let failed = 0;
    const sfail = (line) => {
        if (++failed <= MAX_FAILURES_PER_SESSION) fail(`${tag}: ${line}`);
    };
    const created = await call(base, 'POST', '/api/sessions', { body: { category } });
    if (created.status !== 201) {
        sfail(`POST /api/sessions: HTTP ${created.status} ${created.text.slice(0, 200)}`);
        return null;
    }
    const id = created.json.session;
    const baseSites = created.json.sites.length;
    const applied = []; // the changes in force, as the server should hold them: {kind, site_id}
    let lastAdded = null; // the site added by the previous step, if still open
    const open = () => baseSites + applied.filter((c) => c.kind === 'add').length - applied.filter((c) => c.kind === 'close').length;

    for (let step = 0; step < changes; step++) {
        let path = `/api/sessions/${encodeURIComponent(id)}/changes`;
        let body;
        let kind;
        if (step % 2 === 0 || !lastAdded) {
            const c = study.communes[Math.floor(rnd() * study.communes.length)];
            kind = 'add';
            body = { kind, x: c.label.x, y: c.label.y };
        } else if (rnd() < 0.5) {
            kind = 'undo';
            path = `/api/sessions/${encodeURIComponent(id)}/undo`;
        } else {
            kind = 'close';
            body = { kind, site_id: lastAdded };
        }
        let r;
        try {
            r = await call(base, 'POST', path, body === undefined ? {} : { body });
        } catch (e) {
            sfail(`step ${step + 1} (${kind}): no answer: ${e.message}`);
            return null;
        }
        stats.rtt.push(r.ms);
        if (r.status === 422 && r.json?.error === 'outside') {
            stats.outside++;
            lastAdded = null;
            continue;
        }
        if (r.status !== 200 || !r.json) {
            sfail(`step ${step + 1} (${kind}): HTTP ${r.status} ${r.text.slice(0, 200)}`);
            continue;
        }
        const st = r.json;
        if (typeof st.last_change?.server_ms === 'number') stats.server.push(st.last_change.server_ms);
        else if (kind !== 'undo') sfail(`step ${step + 1} (${kind}): no last_change.server_ms in the answer`);
        if (kind === 'add') {
            const last = st.changes[st.changes.length - 1];
            if (last?.kind !== 'add' || !last.site_id) {
                sfail(`step ${step + 1} (add): the last change listed is ${JSON.stringify(last)}`);
                return null;
            }
            applied.push({ kind: 'add', site_id: last.site_id });
            lastAdded = last.site_id;
        } else if (kind === 'undo') {
            applied.pop();
            lastAdded = null;
        } else {
            applied.push({ kind: 'close', site_id: lastAdded });
            lastAdded = null;
        }
        if (st.sites.length !== open()) sfail(`step ${step + 1} (${kind}): ${st.sites.length} open sites, ${open()} expected`);
        if (st.changes.length !== applied.length) sfail(`step ${step + 1} (${kind}): ${st.changes.length} changes listed, ${applied.length} expected`);
        if (st.can_undo !== applied.length > 0) sfail(`step ${step + 1} (${kind}): can_undo ${st.can_undo} with ${applied.length} changes`);
    }

    const final = await call(base, 'GET', `/api/sessions/${encodeURIComponent(id)}`);
    if (final.status !== 200) {
        sfail(`GET the session at the end: HTTP ${final.status}`);
        return id;
    }
    const st = final.json;
    const got = st.changes.map((c) => `${c.kind} ${c.site_id}`).join(', ');
    const want = applied.map((c) => `${c.kind} ${c.site_id}`).join(', ');
    if (got !== want) sfail(`final state: changes [${got}], expected [${want}]`);
    if (st.sites.length !== open()) sfail(`final state: ${st.sites.length} open sites, ${open()} expected (baseline ${baseSites} + adds − closes)`);
    const closed = new Set(applied.filter((c) => c.kind === 'close').map((c) => c.site_id));
    const addedOpen = applied.filter((c) => c.kind === 'add' && !closed.has(c.site_id)).map((c) => c.site_id).sort();
    const addedListed = st.sites.filter((s) => s.added).map((s) => s.id).sort();
    if (addedOpen.join() !== addedListed.join()) sfail(`final state: added sites listed [${addedListed}], expected [${addedOpen}]`);
    if (st.communes.minutes.length !== study.communes.length) sfail(`final state: ${st.communes.minutes.length} commune times, ${study.communes.length} communes`);
    stats.sessions++;
    return id;
}

async function main() {
    const { bin, repoRoot } = checkArgs(
        TAG,
        'node tests/browser/serve_load_test.mjs MAILLAGE_BINARY REPO_ROOT [--sessions 20] [--changes 50] [--p95-ms 50] [--server-p95-ms 5] [--seed 86] [--category france_services]',
    );
    const sessions = numberOption('--sessions', 20);
    const changes = numberOption('--changes', 50);
    const p95Limit = numberOption('--p95-ms', 50);
    const serverLimit = numberOption('--server-p95-ms', 5);
    const seed = numberOption('--seed', 86);
    const category = option('--category', 'france_services');

    let server;
    try {
        server = await startServer(bin, repoRoot);
    } catch (e) {
        fail(`server: ${e.message}`);
        return;
    }
    try {
        const { base, study } = server;
        if (!study.categories?.some((c) => c.key === category)) {
            fail(`no category ${category} in /api/study`);
            return;
        }
        const stats = { rtt: [], server: [], outside: 0, sessions: 0 };
        const t0 = performance.now();
        const ids = await Promise.all(
            Array.from({ length: sessions }, (_, i) =>
                runSession(base, study, category, i, changes, seed, stats).catch((e) => {
                    fail(`session ${i + 1}: ${e.message}`);
                    return null;
                }),
            ),
        );
        const wall = performance.now() - t0;
        if (stats.sessions !== sessions) fail(`${sessions - stats.sessions} of ${sessions} sessions did not finish consistent`);

        const up = await call(base, 'GET', '/api/study').catch((e) => ({ status: 0, text: e.message }));
        if (up.status !== 200 || !server.alive()) fail(`server: not answering after the load (GET /api/study: ${up.status}): ${server.stderr()}`);
        for (const id of ids.filter(Boolean)) {
            const d = await call(base, 'DELETE', `/api/sessions/${encodeURIComponent(id)}`).catch(() => ({ status: 0 }));
            if (d.status !== 204) fail(`DELETE session ${id}: HTTP ${d.status}`);
        }

        const f = (v) => (Number.isFinite(v) ? v.toFixed(2) : 'nan');
        const p50 = percentile(stats.rtt, 50), p95 = percentile(stats.rtt, 95), max = Math.max(...stats.rtt);
        const sp95 = percentile(stats.server, 95);
        console.log(
            `serve_load: p50_ms=${f(p50)} p95_ms=${f(p95)} max_ms=${f(max)} server_p95_ms=${f(sp95)} requests=${stats.rtt.length} outside=${stats.outside} sessions=${sessions} changes=${changes} wall_s=${(wall / 1000).toFixed(1)} server_p50_ms=${f(percentile(stats.server, 50))} over_1s=${stats.rtt.filter((v) => v > 1000).length}`,
        );
        if (!(p95 <= p95Limit)) fail(`round-trip p95 ${f(p95)} ms above the limit ${p95Limit} ms (--p95-ms)`);
        if (!(sp95 <= serverLimit)) fail(`server p95 (last_change.server_ms) ${f(sp95)} ms above the limit ${serverLimit} ms (--server-p95-ms)`);
    } finally {
        await server.stop();
    }
}

main()
    .catch((e) => fail(`internal error: ${e.stack ?? e}`))
    .finally(() => {
        if (failures.length) {
            for (const f of failures) console.log(`FAIL ${f}`);
            console.log(`${TAG}: ${failures.length} failure(s)`);
            process.exit(1);
        }
        console.log(`${TAG}: OK`);
        process.exit(0);
    });
