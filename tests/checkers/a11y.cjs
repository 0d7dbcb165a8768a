'use strict';
// axe-core (WCAG 2.0/2.1 A+AA) on every .html page of a served site, inside Debian's
// Chromium driven by playwright-core. Called by a11y.sh:
//   node a11y.cjs NPM_PREFIX BASE_URL SITE_DIR
// NPM_PREFIX holds node_modules/{axe-core,playwright-core}; BASE_URL serves SITE_DIR.
// Env: A11Y_SCHEME (light|dark), A11Y_WIDTH (default 1280), A11Y_TAGS, CHROMIUM,
//      A11Y_PAGE_TIMEOUT_MS.
// Final line: "a11y: N violations on M pages".
// Exit: 0 no violations, 1 violations (or a page failed to load / color-contrast did
// not run), 2 setup error.
const fs = require('fs');
const os = require('os');
const path = require('path');

const [npmPrefix, baseUrl, siteDir] = process.argv.slice(2);
if (!npmPrefix || !baseUrl || !siteDir) {
  console.error('usage: node a11y.cjs NPM_PREFIX BASE_URL SITE_DIR');
  process.exit(2);
}
const modules = path.join(npmPrefix, 'node_modules');
let chromium;
let axeSource;
try {
  ({ chromium } = require(path.join(modules, 'playwright-core')));
  axeSource = fs.readFileSync(path.join(modules, 'axe-core', 'axe.min.js'), 'utf8');
} catch (err) {
  console.error(`a11y: cannot load playwright-core/axe-core from ${modules}: ${err.message}`);
  process.exit(2);
}

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TAGS = (process.env.A11Y_TAGS || 'wcag2a,wcag2aa,wcag21a,wcag21aa').split(',');
const SCHEME = process.env.A11Y_SCHEME === 'dark' ? 'dark' : 'light'; // prefers-color-scheme
const WIDTH = Number(process.env.A11Y_WIDTH || 1280);
const TIMEOUT_MS = Number(process.env.A11Y_PAGE_TIMEOUT_MS || 30000);

function htmlPages(dir, rel = '') {
  const out = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...htmlPages(dir, r));
    else if (/\.html?$/i.test(e.name)) out.push(r);
  }
  return out.sort();
}

(async () => {
  const pages = htmlPages(siteDir);
  if (pages.length === 0) {
    console.error(`a11y: no .html pages under ${siteDir}`);
    process.exit(2);
  }
  console.log(`a11y: ${pages.length} pages, scheme ${SCHEME}, width ${WIDTH}, tags ${TAGS.join(',')}`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'hallbar-a11y-profile-'));
  let context;
  let violations = 0;
  let failures = 0;
  try {
    // launchPersistentContext is how playwright takes a --user-data-dir.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: WIDTH, height: 800 },
      colorScheme: SCHEME,
    });
    const page = context.pages()[0] || await context.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    // A page that leads on by itself (`<meta http-equiv="refresh">`, as hallbar's pages at
    // this year's address do) is checked where it is: it is served without the refresh,
    // which would otherwise leave for the next page while axe runs.
    const REFRESH = /<meta\s+http-equiv="refresh"[^>]*>/i;
    let held = null;
    await page.route('**/*', (route) => {
      if (held && route.request().url() === held.url) {
        return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: held.body });
      }
      return route.continue();
    });
    for (const rel of pages) {
      const url = new URL(rel.split('/').map(encodeURIComponent).join('/'), baseUrl).href;
      const source = fs.readFileSync(path.join(siteDir, rel), 'utf8');
      held = REFRESH.test(source) ? { url, body: source.replace(REFRESH, '') } : null;
      let res;
      try {
        const resp = await page.goto(url, { waitUntil: 'load' });
        if (!resp || !resp.ok()) throw new Error(`HTTP ${resp ? resp.status() : 'no response'}`);
        await page.evaluate(axeSource); // evaluate, not a <script> tag: page CSP cannot block it
        res = await page.evaluate(async (tags) => {
          const r = await window.axe.run(document, {
            runOnly: { type: 'tag', values: tags },
            resultTypes: ['violations'],
          });
          const ids = (k) => r[k].map((x) => x.id);
          return {
            version: window.axe.version,
            contrastInRuleset: window.axe.getRules(tags).some((x) => x.ruleId === 'color-contrast'),
            contrastRan: ['violations', 'passes', 'incomplete', 'inapplicable'].find((k) => ids(k).includes('color-contrast')) || null,
            contrastReview: (r.incomplete.find((x) => x.id === 'color-contrast') || { nodes: [] }).nodes.length,
            violations: r.violations.map((v) => ({
              id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')),
            })),
          };
        }, TAGS);
      } catch (err) {
        failures++;
        console.log(`${rel}: ERROR ${String(err.message || err).split('\n')[0]}`);
        continue;
      }
      let note = res.contrastReview ? ` [color-contrast: ${res.contrastReview} element(s) need manual review]` : '';
      if (!res.contrastInRuleset || !res.contrastRan) {
        failures++;
        note += ` [ERROR: color-contrast rule did not run, tags ${TAGS.join(',')}]`;
      }
      if (res.violations.length === 0) {
        console.log(`${rel}: ${res.contrastRan ? 'ok' : 'no violations'} (color-contrast ${res.contrastRan || 'missing'})${note}`);
        continue;
      }
      console.log(`${rel}: ${res.violations.length} violation(s)${note}`);
      for (const v of res.violations) {
        violations++;
        const shown = v.targets.slice(0, 3).join(', ') + (v.targets.length > 3 ? ', ...' : '');
        console.log(`  ${v.id} (${v.impact}) x${v.targets.length}: ${v.help} -> ${shown}`);
      }
    }
  } catch (err) {
    console.error(`a11y: setup failed: ${err.stack || err}`);
    process.exitCode = 2;
    return;
  } finally {
    if (context) await context.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  }
  if (failures) console.log(`a11y: ${failures} page(s) not fully checked (load error or color-contrast missing)`);
  console.log(`a11y: ${violations} violations on ${pages.length} pages`);
  process.exitCode = violations || failures ? 1 : 0;
})();
