import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

// Headless Chromium from the OS package (Debian's `chromium`, installed by scripts/setup.sh),
// driven by playwright-core: Playwright's own browser downloads are not reachable here. The
// flags keep the browser from reaching the network on its own (updates, sync, field trials).

export const CHROMIUM_PATH = process.env.MMDRILL_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumInstalled(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export async function launchChromium(): Promise<Browser> {
  if (!chromiumInstalled())
    throw new Error(`${CHROMIUM_PATH} not found: run \`npm run setup\` (installs Debian's chromium package)`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}
