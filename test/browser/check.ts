/**
 * Opens a generated HTML page in headless Chromium (Debian's /usr/bin/chromium via playwright-core)
 * and reports whether its charts rendered and whether anything went wrong. Shared by the report
 * and audit tests.
 *
 * A chart is an element with a `data-chart` attribute (the pages' convention) or, on a page without
 * any, a `.vega-embed` / `svg.marks` element. It counts as rendered when it holds an svg or canvas of
 * non-zero size with at least one drawn mark (path, rect, line, circle, text or canvas pixels).
 * Any request that would leave the machine is blocked and reported: the pages must work offline.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.OGI_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface PageCheck {
  /** Chart containers whose svg/canvas has a size and drawn marks. */
  chartsRendered: number;
  /** Chart containers found on the page. */
  chartsFound: number;
  /** Names (data-chart values) of containers that did not render. */
  chartsMissing: string[];
  /** console.error messages and uncaught page errors. */
  consoleErrors: string[];
  /** Requests to anything but file: or data: URLs (blocked). */
  externalRequests: string[];
  /** document.title, to tell which page was checked. */
  title: string;
}

/**
 * Runs in the page (a string, so this file needs no DOM typings): finds chart containers and tells
 * which drew something.
 */
const CHART_PROBE = `(() => {
  let containers = Array.from(document.querySelectorAll('[data-chart]'));
  if (containers.length === 0) containers = Array.from(document.querySelectorAll('.vega-embed, svg.marks'));
  const missing = [];
  let rendered = 0;
  containers.forEach((c, i) => {
    const surfaces = c.matches('svg, canvas') ? [c] : Array.from(c.querySelectorAll('svg, canvas'));
    const ok = surfaces.some((s) => {
      const r = s.getBoundingClientRect();
      if (r.width < 10 || r.height < 10) return false;
      if (s instanceof HTMLCanvasElement) return s.width > 0 && s.height > 0;
      return s.querySelectorAll('path, rect, line, circle, text').length > 0;
    });
    if (ok) rendered++;
    else missing.push(c.getAttribute('data-chart') || '#' + i);
  });
  return { rendered, found: containers.length, missing, title: document.title };
})()`;

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export async function checkPageInBrowser(htmlPath: string, opts: { settleMs?: number } = {}): Promise<PageCheck> {
  if (!existsSync(htmlPath)) throw new Error(`checkPageInBrowser: no such file: ${htmlPath}`);
  const userDataDir = mkdtempSync(join(tmpdir(), 'ogi-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    offline: false,
  });
  const consoleErrors: string[] = [];
  const externalRequests: string[] = [];
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
      externalRequests.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(resolve(htmlPath)).href, { waitUntil: 'load' });
    // Pages that draw with vega-embed render after load; give them a moment.
    await page.waitForTimeout(opts.settleMs ?? 300);
    const result = (await page.evaluate(CHART_PROBE)) as { rendered: number; found: number; missing: string[]; title: string };
    return {
      chartsRendered: result.rendered,
      chartsFound: result.found,
      chartsMissing: result.missing,
      consoleErrors,
      externalRequests,
      title: result.title,
    };
  } finally {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}
