'use strict';
// Layout checks in Chromium (see layout.sh):  node layout.cjs NPM_PREFIX BASE_URL SITE_DIR
const fs = require('fs');
const os = require('os');
const path = require('path');

const [npmPrefix, baseUrl, siteDir] = process.argv.slice(2);
if (!npmPrefix || !baseUrl || !siteDir) {
  console.error('usage: node layout.cjs NPM_PREFIX BASE_URL SITE_DIR');
  process.exit(2);
}
let chromium;
try {
  ({ chromium } = require(path.join(npmPrefix, 'node_modules', 'playwright-core')));
} catch (err) {
  console.error(`layout: cannot load playwright-core: ${err.message}`);
  process.exit(2);
}
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

function htmlPages(dir, rel = '') {
  const out = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...htmlPages(dir, r));
    else if (/\.html?$/i.test(e.name)) out.push(r);
  }
  return out.sort();
}

// Runs in the page: the problems found at this width.
function problems(wide) {
  const found = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + 1) {
    found.push(`page is ${doc.scrollWidth}px wide on a ${window.innerWidth}px screen`);
  }
  if (wide) {
    for (const box of document.querySelectorAll('.table-scroll, .chart-scroll, .chart')) {
      // A data table in a closed <details> is not on the screen.
      if (!box.checkVisibility()) continue;
      if (box.scrollWidth > box.clientWidth + 1) {
        found.push(`${box.className} cut off: ${box.scrollWidth}px in ${box.clientWidth}px`);
      }
    }
  }
  const size = (sel) => {
    const el = document.querySelector(sel);
    return el ? parseFloat(getComputedStyle(el).fontSize) : null;
  };
  const [h1, h2, h3] = ['main h1', 'main h2', 'main h3'].map(size);
  if (h1 !== null && h2 !== null && !(h1 > h2)) found.push(`h1 (${h1}px) is not larger than h2 (${h2}px)`);
  if (h2 !== null && h3 !== null && h2 < h3) found.push(`h2 (${h2}px) is smaller than h3 (${h3}px)`);
  for (const el of document.querySelectorAll('.figure-nowrap')) {
    // One line box each: the number and its unit stay together.
    const tops = new Set([...el.getClientRects()].map((r) => Math.round(r.top)));
    if (tops.size > 1) found.push(`figure breaks across lines: "${el.textContent.trim()}"`);
  }
  return found;
}

// Runs in the page, printed: tables must fit the paper, with no scroll boxes left. Parts
// marked .print-wide are printed on landscape pages (297 mm less the margins: 1001 px).
function printProblems() {
  const found = [];
  const portrait = document.documentElement.clientWidth;
  for (const t of document.querySelectorAll('table')) {
    if (!t.checkVisibility()) continue;
    const width = t.closest('.print-wide') ? 1001 : portrait;
    const r = t.getBoundingClientRect();
    if (r.width > width + 1) found.push(`table "${(t.caption || {}).textContent || ''}" is ${Math.round(r.width)}px on ${width}px of paper`);
  }
  for (const box of document.querySelectorAll('.table-scroll, .chart-scroll')) {
    if (getComputedStyle(box).overflowX !== 'visible') found.push(`${box.className} keeps a scroll box in print`);
  }
  return found;
}

(async () => {
  const pages = htmlPages(siteDir);
  if (pages.length === 0) {
    console.error(`layout: no .html pages under ${siteDir}`);
    process.exit(2);
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'hallbar-layout-profile-'));
  let browser;
  let count = 0;
  try {
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = browser.pages()[0] || await browser.newPage();
    if (process.env.LAYOUT_PRINT) {
      // The print edition on A4 (210 mm less 2 × 16 mm margins is 673 CSS px).
      await page.emulateMedia({ media: 'print' });
      await page.setViewportSize({ width: 673, height: 1000 });
      for (const rel of pages.filter((p) => p.startsWith(process.env.LAYOUT_PRINT))) {
        const url = new URL(rel.split('/').map(encodeURIComponent).join('/'), baseUrl).href;
        await page.goto(url, { waitUntil: 'load' });
        for (const p of await page.evaluate(printProblems)) {
          count++;
          console.log(`${rel} (print, A4): ${p}`);
        }
      }
      console.log(`layout: ${count} problems in print`);
      process.exitCode = count ? 1 : 0;
      return;
    }
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const width of [360, 1280]) {
        await page.setViewportSize({ width, height: 800 });
        for (const rel of pages) {
          const url = new URL(rel.split('/').map(encodeURIComponent).join('/'), baseUrl).href;
          const resp = await page.goto(url, { waitUntil: 'load' });
          if (!resp || !resp.ok()) {
            count++;
            console.log(`${rel} (${scheme}, ${width}px): HTTP ${resp ? resp.status() : 'no response'}`);
            continue;
          }
          for (const p of await page.evaluate(problems, width >= 1280)) {
            count++;
            console.log(`${rel} (${scheme}, ${width}px): ${p}`);
          }
        }
      }
    }
  } catch (err) {
    console.error(`layout: setup failed: ${err.stack || err}`);
    process.exitCode = 2;
    return;
  } finally {
    if (browser) await browser.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  }
  console.log(`layout: ${count} problems on ${pages.length} pages`);
  process.exitCode = count ? 1 : 0;
})();
