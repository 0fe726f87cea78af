#!/usr/bin/env node
// Entry point installed as `mmdrill`; the compiled CLI lives in dist/ (built by `npm run build`).
// Interrupts exit 130 from the first moment: armed before the CLI's modules load.
const { armEarlyInterrupt } = await import('../dist/src/cli/early-interrupt.js');
armEarlyInterrupt();
await import('../dist/src/cli/main.js');
