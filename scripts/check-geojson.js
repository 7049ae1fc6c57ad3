#!/usr/bin/env node
// Independent GeoJSON validation for the test suite: @placemarkio/check-geojson
// parses the file and reports RFC 7946 violations (geometry structure, positions, ...).
// Usage: node scripts/check-geojson.js FILE...   exit 0 = all valid.
'use strict';
const fs = require('fs');
const path = require('path');
const { check } = require(path.join(__dirname, '..', 'node_modules', '@placemarkio', 'check-geojson'));

let failed = 0;
for (const file of process.argv.slice(2)) {
  try {
    check(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    failed++;
    const issues = (e.issues || []).map((i) => `  ${i.message} (from ${i.from} to ${i.to})`).join('\n');
    process.stderr.write(`${file}: invalid GeoJSON\n${issues || e.message}\n`);
  }
}
process.exit(failed ? 1 : 0);
