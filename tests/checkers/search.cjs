'use strict';
// The search page in Chromium, as a reader uses it. Called by search.sh:
//   node search.cjs NPM_PREFIX BASE_URL SEARCH_PAGE QUERY=PAGE...
// BASE_URL is the site under its sub-path (http://127.0.0.1:PORT/report/); SEARCH_PAGE is
// relative to it (sok/). Each QUERY is typed key by key and must find PAGE (relative to
// the site), or nothing for PAGE "-". Final line: "search: N problems".
// Env: SEARCH_MAX_KB (default 150), CHROMIUM, SEARCH_TIMEOUT_MS (default 15000).
const fs = require('fs');
const path = require('path');

const [npmPrefix, baseUrl, searchRel, ...cases] = process.argv.slice(2);
if (!npmPrefix || !baseUrl || !searchRel || cases.length === 0) {
  console.error('usage: node search.cjs NPM_PREFIX BASE_URL SEARCH_PAGE QUERY=PAGE...');
  process.exit(2);
}
const modules = path.join(npmPrefix, 'node_modules');
let chromium;
let axeSource;
try {
  ({ chromium } = require(path.join(modules, 'playwright-core')));
  axeSource = fs.readFileSync(path.join(modules, 'axe-core', 'axe.min.js'), 'utf8');
} catch (err) {
  console.error(`search: cannot load playwright-core/axe-core from ${modules}: ${err.message}`);
  process.exit(2);
}
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const MAX_KB = Number(process.env.SEARCH_MAX_KB || 150);
const TIMEOUT = Number(process.env.SEARCH_TIMEOUT_MS || 15000);
const base = new URL(baseUrl);
const searchUrl = new URL(searchRel, base).href;
const queries = cases.map((c) => {
  const at = c.lastIndexOf('=');
  return { q: c.slice(0, at), want: c.slice(at + 1) };
});

const problems = [];
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) problems.push(what);
  return ok;
}

// What the status line says once the search for `q` is done.
async function searched(page, q) {
  await page.waitForFunction(
    (q) => (document.getElementById('search-status').textContent || '').includes(q),
    q,
    { timeout: TIMEOUT },
  );
  return page.evaluate(() => ({
    status: document.getElementById('search-status').textContent,
    hrefs: [...document.querySelectorAll('#search-results a')].map((a) => a.getAttribute('href')),
    marks: document.querySelectorAll('#search-results mark').length,
    more: !!document.querySelector('.search-more'),
  }));
}

// The count the status line announces: its first number, or 0 when it has none.
function announced(status) {
  const m = status.match(/\d+/);
  return m ? Number(m[0]) : 0;
}

async function type(page, q) {
  await page.focus('#search-field');
  await page.keyboard.type(q, { delay: 40 });
}

async function clearWithEscape(page) {
  await page.focus('#search-field');
  await page.keyboard.press('Escape');
  return page.evaluate(() => ({
    value: document.getElementById('search-field').value,
    results: document.querySelectorAll('#search-results li').length,
    status: document.getElementById('search-status').textContent,
  }));
}

function activeIs(page, selector, index) {
  return page.evaluate(
    ([selector, index]) => document.activeElement === document.querySelectorAll(selector)[index],
    [selector, index],
  );
}

async function readerSearches(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const foreign = [];
  const sizes = [];
  let counting = false;
  page.on('request', (r) => {
    if (!r.url().startsWith(base.origin)) foreign.push(r.url());
  });
  page.on('requestfinished', (r) => {
    if (counting) sizes.push(r.sizes().then((s) => s.responseBodySize + s.responseHeadersSize, () => 0));
  });

  // Every page links to the search page from its header: the edition's home page too.
  await page.goto(new URL(searchRel.replace(/[^/]+\/$/, ''), base).href, { waitUntil: 'load' });
  const link = page.locator('header a[href$="' + searchRel.replace(/^.*?([^/]+\/)$/, '$1') + '"]');
  check(await link.first().isVisible(), `the home page's header links to ${searchRel}`);

  await page.goto(searchUrl, { waitUntil: 'load' });
  const field = page.locator('#search-field');
  check(await field.isVisible(), 'the search field is shown');
  const label = page.locator('label[for="search-field"]');
  check(await label.isVisible() && (await label.textContent()).trim().length > 0,
    `the field has a visible label ("${(await label.textContent()).trim()}")`);
  check(await page.evaluate(() => !!document.getElementById('search-field').closest('search, [role="search"]')),
    'the field is in a search landmark');
  check(!(await page.locator('#search-fallback').isVisible()), 'the no-JavaScript text is hidden');
  check(await page.evaluate(() => {
    const s = document.getElementById('search-status');
    return s.getAttribute('role') === 'status' && !s.contains(document.getElementById('search-results'));
  }), 'the count is in a polite status region that does not hold the results');
  const before = await field.boundingBox();

  const first = queries[0];
  counting = true;
  await type(page, first.q);
  let r = await searched(page, first.q);
  const kb = (await Promise.all(sizes)).reduce((a, b) => a + b, 0) / 1024;
  counting = false;
  check(kb <= MAX_KB, `the first search transferred ${kb.toFixed(1)} KB (at most ${MAX_KB})`);
  const after = await field.boundingBox();
  check(after && before && after.y === before.y && after.height === before.height,
    `the field does not move when results appear (y ${before && before.y} → ${after && after.y})`);
  const listTop = await page.evaluate(() => document.getElementById('search-results').getBoundingClientRect().top);
  check(listTop >= after.y + after.height, 'the results are below the field, not over it');
  await queryHolds(page, first, r);

  // Keys: down into the results, between them, up back to the field, Enter follows.
  if (r.hrefs.length > 0) {
    await page.focus('#search-field');
    await page.keyboard.press('ArrowDown');
    check(await activeIs(page, '#search-results a', 0), 'ArrowDown from the field focuses the first result');
    if (r.hrefs.length > 1) {
      await page.keyboard.press('ArrowDown');
      check(await activeIs(page, '#search-results a', 1), 'ArrowDown moves to the next result');
      await page.keyboard.press('ArrowUp');
    }
    await page.keyboard.press('ArrowUp');
    check(await page.evaluate(() => document.activeElement === document.getElementById('search-field')),
      'ArrowUp from the first result goes back to the field');
    await page.keyboard.press('Tab');
    check(await page.evaluate(() => !!document.activeElement.closest('#search-results, .search-form')),
      'Tab from the field stays with the search (its hint or the results)');
    await page.focus('#search-field');
    await page.keyboard.press('ArrowDown');
    const target = new URL(r.hrefs[0], base).href;
    await Promise.all([page.waitForURL(target, { timeout: TIMEOUT }), page.keyboard.press('Enter')]);
    check(page.url() === target, `Enter on a result opens it (${new URL(target).pathname})`);
    const h1 = await page.locator('h1').first().textContent();
    check(h1.trim().length > 0, `the result's page has loaded ("${h1.trim()}")`);
    await page.goBack({ waitUntil: 'load' });
    const again = await searched(page, first.q);
    check(again.hrefs.length === r.hrefs.length, 'Back to the search page shows the same results again');
  }

  const cleared = await clearWithEscape(page);
  check(cleared.value === '' && cleared.results === 0 && cleared.status === '',
    'Escape clears the field, the results and the count');

  for (const c of queries.slice(1)) {
    await clearWithEscape(page);
    await type(page, c.q);
    r = await searched(page, c.q);
    await queryHolds(page, c, r);
  }
  check(foreign.length === 0, `nothing was fetched from another host${foreign.length ? ': ' + foreign.join(' ') : ''}`);
  await context.close();
}

async function queryHolds(page, c, r) {
  const n = announced(r.status);
  const shown = r.hrefs.length;
  check(n === shown || (r.more && shown === 20 && n > 20),
    `"${c.q}": "${r.status}" announces ${n}, ${shown} shown`);
  if (c.want === '-') {
    check(shown === 0, `"${c.q}" finds nothing`);
    return;
  }
  const want = new URL(c.want, base).pathname;
  check(r.hrefs.includes(want), `"${c.q}" finds ${want}${r.hrefs.includes(want) ? '' : ' (found: ' + r.hrefs.join(' ') + ')'}`);
  check(r.hrefs.every((h) => h.startsWith(base.pathname)), `every result of "${c.q}" is under ${base.pathname}`);
  check(r.marks > 0, `the excerpts of "${c.q}" mark what matched (${r.marks})`);
}

async function withoutJavaScript(browser) {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  await page.goto(searchUrl, { waitUntil: 'load' });
  check(!(await page.locator('#search-field').isVisible()), 'without JavaScript the search field is not shown');
  const links = await page.locator('#search-fallback a').count();
  check(await page.locator('#search-fallback').isVisible() && links >= 2,
    `without JavaScript the page says so and links the report (${links} links)`);
  await context.close();
}

async function axeWithResults(browser) {
  const q = queries.find((c) => c.want !== '-') || queries[0];
  for (const scheme of ['light', 'dark']) {
    for (const width of [360, 1280]) {
      const context = await browser.newContext({ viewport: { width, height: 800 }, colorScheme: scheme });
      const page = await context.newPage();
      page.setDefaultTimeout(TIMEOUT);
      await page.goto(`${searchUrl}?q=${encodeURIComponent(q.q)}`, { waitUntil: 'load' });
      const r = await searched(page, q.q);
      await page.evaluate(axeSource);
      const v = await page.evaluate(async () => {
        const res = await window.axe.run(document, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
          resultTypes: ['violations'],
        });
        return res.violations.map((x) => `${x.id} x${x.nodes.length}: ${x.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`);
      });
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      check(v.length === 0, `axe, ${scheme}, ${width}px, ${r.hrefs.length} results open: ${v.length} violations${v.length ? ' (' + v.join('; ') + ')' : ''}`);
      check(wide <= 0, `${scheme}, ${width}px: nothing wider than the screen (${wide} px over)`);
      await context.close();
    }
  }
}

(async () => {
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    await readerSearches(browser);
    await withoutJavaScript(browser);
    await axeWithResults(browser);
  } catch (err) {
    console.log(`FAIL ${String(err.stack || err).split('\n').slice(0, 3).join(' | ')}`);
    problems.push('error');
  } finally {
    if (browser) await browser.close().catch(() => {});
  }
  console.log(`search: ${problems.length} problems`);
  process.exitCode = problems.length ? 1 : 0;
})();
