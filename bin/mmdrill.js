#!/usr/bin/env node
// Entry point installed as `mmdrill`; the compiled CLI lives in dist/ (built by `npm run build`).
import '../dist/src/cli/main.js';
