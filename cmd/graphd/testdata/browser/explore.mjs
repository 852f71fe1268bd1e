// Drives the explorer page in Debian's chromium through playwright-core
// and prints what it saw as one JSON object; explore_browser_test.go (in
// cmd/graphd) checks it. Usage:
//
//   node explore.mjs BASE_URL SCREENSHOT.png
//
// It never downloads a browser: CHROMIUM (default /usr/bin/chromium) is
// launched headless with the flags a closed network needs.
import { chromium } from 'playwright-core';

const [base, shot] = process.argv.slice(2);
if (!base || !shot) {
  console.error('usage: node explore.mjs BASE_URL SCREENSHOT.png');
  process.exit(2);
}
const query = process.env.EXPLORE_QUERY || '10,000 servicemen';
const timeout = 20000;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const out = { query, errors: [], offsite: [] };
let page, target;
try {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  page = await context.newPage();
  page.setDefaultTimeout(timeout);
  const origin = new URL(base).origin;
  page.on('pageerror', (e) => out.errors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') out.errors.push(`console: ${m.text()}`);
  });
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) out.offsite.push(u);
  });

  await page.goto(`${base}/explore/`);
  // Search with the keyboard, as a user would.
  await page.focus('#q');
  await page.keyboard.type(query);
  await page.keyboard.press('Enter');

  // The timeline: the first claimant, then the repeats, disputes apart.
  const first = page.locator('#claimants li.first button.stmt');
  await first.waitFor();
  out.claim = await page.locator('#timeline .claim-text').innerText();
  out.first = {
    speaker: await first.getAttribute('data-speaker'),
    date: await first.getAttribute('data-date'),
    text: await first.innerText(),
  };
  out.repeats = await page.locator('#claimants li.repeat button.stmt').evaluateAll((bs) =>
    bs.map((b) => ({ speaker: b.dataset.speaker, date: b.dataset.date })),
  );
  out.disputes = await page.locator('#disputes button.stmt').count();
  await page.locator('#graph-count').filter({ hasText: 'nodes' }).waitFor();
  out.graphNodes = await page.evaluate(() => window.explorer.cy.nodes().length);
  out.firstInGraph = await page.evaluate((id) => window.explorer.cy.getElementById(id).hasClass('first'), await first.getAttribute('data-id'));

  // The evidence of the first statement: its sentence, the span marked.
  await first.click();
  const mark = page.locator('#evidence-sentence mark.content').first();
  await mark.waitFor();
  out.evidence = {
    marked: await page.locator('#evidence-sentence mark.content').allInnerTexts(),
    sentence: await page.locator('#evidence-sentence').innerText(),
    speaker: await page.locator('#evidence-speaker').innerText(),
  };

  // Expand a node by clicking it in the graph: the speaker of the first
  // statement, whose other statements are two links away.
  // Let the evidence's centring animation end first: it moves the view.
  await page.waitForFunction(() => !window.explorer.cy.animated(), null, { polling: 50 });
  target = await page.evaluate((name) => {
    const cy = window.explorer.cy;
    cy.resize(); // the panels beside the graph may have moved it
    const n = cy.nodes('[kind = "ACTOR"]').filter((x) => x.data('label') === name)[0] || cy.nodes('[kind = "ACTOR"]')[0];
    cy.fit(undefined, 30);
    const p = n.renderedPosition();
    const r = cy.container().getBoundingClientRect();
    return { id: n.id(), label: n.data('label'), x: r.left + p.x, y: r.top + p.y, before: cy.nodes().length };
  }, out.first.speaker);
  await page.mouse.click(target.x, target.y);
  await page.waitForFunction(
    (id) => window.explorer.cy.getElementById(id).hasClass('expanded'),
    target.id,
    { polling: 100 },
  );
  out.expand = {
    node: target.label,
    before: target.before,
    after: await page.evaluate(() => window.explorer.cy.nodes().length),
  };

  // The keyboard reaches the graph: focus it, move to a node.
  await page.focus('#graph');
  await page.keyboard.press('ArrowRight');
  out.keyboardSelected = await page.evaluate(() => window.explorer.cy.nodes(':selected').length);

  // The URL names the view: open it afresh and find the same state.
  out.url = page.url();
  await page.screenshot({ path: shot, fullPage: true });
  const again = await context.newPage();
  again.setDefaultTimeout(timeout);
  await again.goto(out.url);
  await again.locator('#evidence-sentence mark.content').first().waitFor();
  await again.waitForFunction((id) => window.explorer.cy.getElementById(id).hasClass('expanded'), target.id, { polling: 100 });
  out.shared = {
    first: await again.locator('#claimants li.first button.stmt').getAttribute('data-speaker'),
    marked: await again.locator('#evidence-sentence mark.content').allInnerTexts(),
    nodes: await again.evaluate(() => window.explorer.cy.nodes().length),
  };
} catch (e) {
  out.failure = String(e?.stack || e);
  out.state = await page
    ?.evaluate((t) => ({ t, now: (() => { const cy = window.explorer.cy; const n = cy.getElementById(t?.id || ''); const r = cy.container().getBoundingClientRect(); return n.empty() ? null : { p: n.renderedPosition(), r: [r.left, r.top, r.width, r.height], scroll: [scrollX, scrollY] }; })(), selected: window.explorer.cy.nodes(':selected').map((n) => n.id()), status: document.querySelector('#status').textContent, hash: location.hash }), target)
    .catch(() => null);
} finally {
  await browser.close();
}
console.log(JSON.stringify(out, null, 1));
if (out.failure) process.exit(1);
