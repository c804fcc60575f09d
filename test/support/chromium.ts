/**
 * Debian's Chromium (installed by the test set-up) driven by playwright-core, headless, in a fresh
 * profile: the one launch the dashboard's browser tests share.
 */
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** A headless Chromium context with a fresh --user-data-dir under `dir` (1280 x 1000 viewport). */
export function launchChromium(dir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(path.join(dir, 'chromium-profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 1000 },
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}
