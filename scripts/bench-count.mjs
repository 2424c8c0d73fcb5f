#!/usr/bin/env node
// Reads a Go trace with stallscope and prints how many events it holds and how
// long that took. The benchmark runs it as a child so RSS is measured alone.
import { openGoTrace } from '../dist/parsers/gotrace/index.js';
import { FileSource } from '../dist/io/byte-source.js';

const t0 = process.hrtime.bigint();
const reader = openGoTrace(FileSource.open(process.argv[2]));
let events = 0;
// nextShared: the loop keeps no record, so the reader may refill one (no allocation per event).
while (reader.nextShared()) events++;
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(JSON.stringify({ events, seconds, warnings: reader.warnings.length }));
