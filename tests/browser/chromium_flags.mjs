// The one list of Chromium flags of the browser tests (check_report.mjs, serve_common.mjs):
// headless, no sandbox (CI containers), nothing from the network. `localServer`: the page
// comes from `maillage serve` on 127.0.0.1, left out of the "no host name resolves" rule.
// (The C++ PDF printer, src/core/report/pdf_printer.cpp, keeps its own list: it runs outside
// node.)
export function chromiumFlags({ localServer = false } = {}) {
    return [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // Belt and braces: no host name resolves, so nothing the page does can reach a network
        // even if a request escaped interception.
        localServer ? '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1' : '--host-resolver-rules=MAP * ~NOTFOUND',
    ];
}
