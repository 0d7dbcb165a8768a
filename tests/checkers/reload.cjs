'use strict';
// Live reload in a real browser: Debian's Chromium (playwright-core) keeps a page of
// `hallbar serve` open while this script saves the page's Markdown the ways editors do,
// and waits for the browser to show the new text; then a broken save must show the
// error overlay and the fix must remove it. Called by reload.sh:
//   node reload.cjs NPM_PREFIX BASE_URL SITE_DIR
// Final line: "reload: N of N saves shown in the browser, median X ms".
const fs = require('fs');
const os = require('os');
const path = require('path');

const [npmPrefix, baseUrl, siteDir] = process.argv.slice(2);
const { chromium } = require(path.join(npmPrefix, 'node_modules', 'playwright-core'));
const page_md = path.join(siteDir, 'content', 'program', 'alla-spelar-roll.md');
const url = baseUrl + 'program/alla-spelar-roll/';
const original = fs.readFileSync(page_md, 'utf8');
const TIMEOUT = 10000;

const saves = {
  'in place': (text) => fs.writeFileSync(page_md, text),
  'temporary file renamed over it': (text) => {
    const tmp = path.join(path.dirname(page_md), '.alla-spelar-roll.md.tmp');
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, page_md);
  },
  'vim (4913 probe, backup, new file)': (text) => {
    const dir = path.dirname(page_md);
    fs.writeFileSync(path.join(dir, '4913'), '');
    fs.unlinkSync(path.join(dir, '4913'));
    fs.renameSync(page_md, page_md + '~');
    fs.writeFileSync(page_md, text);
    fs.unlinkSync(page_md + '~');
  },
  'deleted, then created': (text) => {
    fs.unlinkSync(page_md);
    fs.writeFileSync(page_md, text);
  },
};

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  let failures = 0;
  const times = [];
  try {
    const page = await browser.newPage();
    await page.goto(url, { waitUntil: 'load' });
    // The moment the page asks for itself again is the moment the reload event arrived.
    let requested = 0;
    page.on('request', (r) => { if (r.url() === url && !requested) requested = Date.now(); });
    let n = 0;
    for (const [how, save] of Object.entries(saves)) {
      n += 1;
      const marker = `Webbläsartest ${n}`;
      requested = 0;
      const t0 = Date.now();
      save(original.replace('Den övergripande filosofin', `${marker}. Den övergripande filosofin`));
      try {
        await page.waitForFunction((m) => document.body && document.body.innerText.includes(m), marker, { timeout: TIMEOUT, polling: 20 });
        const ms = Date.now() - t0;
        const event = requested ? requested - t0 : NaN;
        times.push(event);
        console.log(`ok: ${how}: reload event after ${event} ms, new text shown after ${ms} ms`);
      } catch (e) {
        failures += 1;
        console.log(`FAILED: ${how}: the browser did not show the new text within ${TIMEOUT} ms`);
      }
    }
    // A broken save shows the overlay over the last good page; the fix removes it.
    fs.writeFileSync(page_md, original.replace('weight: 5', 'vikt: 5'));
    try {
      await page.waitForSelector('#hallbar-errors', { timeout: TIMEOUT });
      const overlay = await page.innerText('#hallbar-errors');
      if (!overlay.includes('did you mean `weight`?')) throw new Error(overlay);
      console.log('ok: a broken save shows the error overlay');
      fs.writeFileSync(page_md, original);
      await page.waitForSelector('#hallbar-errors', { state: 'detached', timeout: TIMEOUT });
      console.log('ok: the next good save removes it');
    } catch (e) {
      failures += 1;
      console.log(`FAILED: error overlay: ${e.message.split('\n')[0]}`);
    }
  } finally {
    fs.writeFileSync(page_md, original);
    await browser.close();
  }
  times.sort((a, b) => a - b);
  const median = times.length ? times[Math.floor(times.length / 2)] : NaN;
  const total = Object.keys(saves).length;
  console.log(`reload: ${times.length} of ${total} saves shown in the browser; save to reload event: median ${median} ms`);
  process.exit(failures ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(2); });
