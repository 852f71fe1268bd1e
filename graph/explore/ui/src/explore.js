// The provgraph explorer: search a claim, a quote or an actor; see who said
// it first, who repeated it and who disputes it; walk the graph; read each
// statement in its document. Everything goes through the public GraphQL API
// at ../graphql; nothing is loaded from anywhere else.
//
// The view lives in the URL's hash (#q=…&claim=…&stmt=…&x=…), so a view can
// be shared and the back button works.
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';

cytoscape.use(fcose);

const endpoint = new URL('../graphql', document.baseURI).toString();
const exportURL = new URL('../export', document.baseURI).toString();

// Node kinds as the subgraph query names them, drawn as the GEXF export
// draws them.
const KINDS = {
  STATEMENT: { label: 'Statement', color: '#e08a1e', shape: 'diamond' },
  ACTOR: { label: 'Actor', color: '#1f77b4', shape: 'ellipse' },
  CLAIM: { label: 'Claim', color: '#9b3db8', shape: 'triangle' },
  DOCUMENT: { label: 'Document', color: '#5b6b7f', shape: 'round-rectangle' },
  PLACE: { label: 'Place', color: '#2ca04c', shape: 'hexagon' },
  DATE: { label: 'Date', color: '#8c8c8c', shape: 'rectangle' },
};
const EDGES = {
  said: { color: '#1f77b4', style: 'solid', width: 2.5, text: 'said: actor → statement' },
  cited: { color: '#6b4f1d', style: 'dashed', width: 2.5, text: 'cited: reports or repeats' },
  disputes: { color: '#c0392b', style: 'solid', width: 3.5, text: 'disputes: denies' },
  other: { color: '#b8bec7', style: 'solid', width: 1.2, text: 'document, claim, place, date' },
};

const $ = (sel) => document.querySelector(sel);

// el builds an element: el('li', {class: 'x'}, child, 'text', …). Text is
// always set as text, never parsed as HTML.
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === 'onclick') e.addEventListener('click', v);
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

async function gql(query, variables) {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  let body;
  try {
    body = await res.json();
  } catch {
    throw new Error(`the server answered ${res.status}`);
  }
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data;
}

const STATEMENT = `fragment S on Statement {
  id text kind cue
  date { iso precision }
  speaker { id name }
  document { id title url publisher source published { iso } }
}`;

const SEARCH = `query Search($q: String!) {
  provenance(claim: $q, first: 5) {
    score
    claim { id text }
    first { ...S }
    repeats { ...S }
    disputedBy { ...S }
  }
  actors(search: $q, first: 10) { totalCount edges { node { id name kind saidCount } } }
}
${STATEMENT}`;

const CLAIM = `query Claim($id: ID!) {
  claim(id: $id) {
    id text
    first { ...S }
    statements(first: 100) { edges { node { ...S } } }
    disputedBy { ...S }
  }
}
${STATEMENT}`;

const ACTOR = `query Actor($id: ID!, $name: String!) {
  node(id: $id) { ... on Actor { id name kind aliases saidCount } }
  timeline(actor: $name, first: 100) { totalCount edges { node { ...S } } }
}
${STATEMENT}`;

const EVIDENCE = `query Evidence($id: ID!) {
  statement(id: $id) {
    id text kind cue source rule confidence dateSource
    date { iso precision }
    speaker { id name kind }
    document { id title url publisher source published { iso } }
    span { start end }
    contentSpans { start end }
    cueSpans { start end }
    sentence { start end text }
    claim { id text }
    cites { id text speaker { name } }
    citedBy { id text speaker { name } }
    disputes { id text speaker { name } }
    disputedBy { id text speaker { name } }
    edges(direction: IN, kinds: [SAID]) { evidence { rule confidence note span { start end text } } }
  }
}`;

const SUBGRAPH = `query Subgraph($ids: [ID!]!, $depth: Int, $limit: Int) {
  subgraph(ids: $ids, depth: $depth, limit: $limit) {
    truncated
    nodes { id kind label }
    edges { id kind source target }
  }
}`;

// ---- state and URL ----------------------------------------------------

// state is the view: the search, the selected claim or actor, the open
// statement and the nodes expanded in the graph.
const state = { q: '', claim: '', actor: '', stmt: '', x: [] };
let lastSearch = null; // { q, provenance, actors }
let baseIDs = []; // the start nodes of the graph for the selection

function toHash() {
  const p = new URLSearchParams();
  for (const k of ['q', 'claim', 'actor', 'stmt']) if (state[k]) p.set(k, state[k]);
  if (state.x.length) p.set('x', state.x.join(' '));
  return '#' + p.toString();
}

function fromHash() {
  const p = new URLSearchParams(location.hash.slice(1));
  return {
    q: p.get('q') || '',
    claim: p.get('claim') || '',
    actor: p.get('actor') || '',
    stmt: p.get('stmt') || '',
    x: (p.get('x') || '').split(' ').filter(Boolean),
  };
}

let restoring = false;
function pushState() {
  if (restoring) return;
  const h = toHash();
  if (h !== location.hash && !(h === '#' && !location.hash)) history.pushState(null, '', h);
  updateExports();
}

function status(msg, error) {
  const s = $('#status');
  s.textContent = msg || '';
  s.classList.toggle('error', !!error);
}

// ---- formatting ---------------------------------------------------------

function dateText(d) {
  if (!d) return 'undated';
  if (d.iso.startsWith('--')) return `${d.iso.slice(2)} (year not stated)`;
  return d.iso.replace('T', ' ');
}

function outlet(doc) {
  if (!doc) return '';
  if (doc.publisher) return doc.publisher;
  if (doc.url) {
    try {
      return new URL(doc.url).hostname.replace(/^www\./, '');
    } catch {
      /* not a URL */
    }
  }
  if (doc.title) return doc.title;
  return (doc.source || '').split('/').pop();
}

function clip(s, n = 160) {
  const cps = Array.from(s || '');
  return cps.length <= n ? s : cps.slice(0, n - 1).join('') + '…';
}

function kindBadge(kind) {
  const k = KINDS[kind] || { label: kind, color: '#777' };
  return el('span', { class: 'kind', style: `background:${k.color}` }, k.label);
}

// stmtButton shows one statement in a list: who, when, where, what.
function stmtButton(s, extra) {
  return el(
    'button',
    {
      type: 'button',
      class: 'stmt',
      dataset: { id: s.id, speaker: s.speaker?.name || '', date: s.date?.iso || '' },
      'aria-current': state.stmt === s.id ? 'true' : null,
      onclick: () => openStatement(s.id, { focusGraph: false }),
    },
    extra || null,
    el('span', { class: 'who' }, s.speaker?.name || 'unknown speaker'),
    ' · ',
    el('time', { class: 'when', datetime: s.date?.iso || '' }, dateText(s.date)),
    ' · ',
    el('span', { class: 'where' }, outlet(s.document) || 'unknown outlet'),
    el('span', { class: 'said' }, `“${clip(s.text)}”`),
  );
}

// ---- search -------------------------------------------------------------

async function search(q) {
  state.q = q;
  $('#q').value = q;
  status('Searching…');
  const data = await gql(SEARCH, { q });
  lastSearch = { q, provenance: data.provenance, actors: data.actors.edges.map((e) => e.node) };
  renderResults(bestPick(q));
  const nc = data.provenance.length;
  const na = data.actors.totalCount;
  status(`${nc} claim${nc === 1 ? '' : 's'} and ${na} actor${na === 1 ? '' : 's'} match “${q}”.`);
}

// renderResults lists the claims and actors found; when the search names
// an actor, the actors come first and the claims fold away.
function renderResults(pick) {
  const box = $('#results');
  box.replaceChildren();
  const { provenance, actors } = lastSearch;
  if (!provenance.length && !actors.length) {
    box.append(el('p', { class: 'hint' }, `Nothing matches “${lastSearch.q}”. Try fewer or other words.`));
    return;
  }
  const claims = el('details', { open: !pick?.actor }, el('summary', {}, el('h2', { class: 'inline' }, `Claims (${provenance.length})`)));
  if (provenance.length) {
    box.append(claims);
    claims.append(
      el(
        'ul',
        { class: 'results', id: 'claim-results' },
        provenance.map((p) =>
          el(
            'li',
            {},
            el(
              'button',
              {
                type: 'button',
                class: 'result',
                dataset: { claim: p.claim.id },
                'aria-current': state.claim === p.claim.id ? 'true' : null,
                onclick: () => selectClaim(p.claim.id).catch(fail),
              },
              kindBadge('CLAIM'),
              clip(p.claim.text, 140),
              el(
                'span',
                { class: 'meta' },
                `first: ${p.first.speaker?.name || 'unknown'}, ${dateText(p.first.date)} · ${p.repeats.length} repeat${p.repeats.length === 1 ? '' : 's'} · ${p.disputedBy.length} dispute${p.disputedBy.length === 1 ? '' : 's'} · match ${(p.score * 100).toFixed(0)}%`,
              ),
            ),
          ),
        ),
      ),
    );
  }
  if (actors.length) {
    const list = el('div', {}, el('h2', {}, `Actors (${lastSearch.actors.length})`));
    if (pick?.actor) box.prepend(list);
    else box.append(list);
    list.append(
      el(
        'ul',
        { class: 'results', id: 'actor-results' },
        actors.map((a) =>
          el(
            'li',
            {},
            el(
              'button',
              {
                type: 'button',
                class: 'result',
                dataset: { actor: a.id },
                'aria-current': state.actor === a.id ? 'true' : null,
                onclick: () => selectActor(a.id).catch(fail),
              },
              kindBadge('ACTOR'),
              a.name,
              el('span', { class: 'meta' }, `${a.kind.toLowerCase()} · ${a.saidCount} statement${a.saidCount === 1 ? '' : 's'}`),
            ),
          ),
        ),
      ),
    );
  }
}

function markCurrent() {
  for (const b of document.querySelectorAll('[data-claim]')) b.setAttribute('aria-current', String(b.dataset.claim === state.claim));
  for (const b of document.querySelectorAll('[data-actor]')) b.setAttribute('aria-current', String(b.dataset.actor === state.actor));
  for (const b of document.querySelectorAll('button.stmt')) b.setAttribute('aria-current', String(b.dataset.id === state.stmt));
}

// ---- timeline -----------------------------------------------------------

// provenanceOf returns the claim's provenance: from the search when it
// found the claim, else read from the claim itself.
async function provenanceOf(id) {
  const hit = lastSearch?.provenance.find((p) => p.claim.id === id);
  if (hit) return hit;
  const { claim } = await gql(CLAIM, { id });
  if (!claim) throw new Error('no such claim');
  const all = claim.statements.edges.map((e) => e.node);
  const first = claim.first || all[0];
  return { claim, score: null, first, repeats: all.filter((s) => s.id !== first?.id), disputedBy: claim.disputedBy };
}

async function selectClaim(id, { keep } = {}) {
  state.claim = id;
  state.actor = '';
  if (!keep) {
    state.x = [];
    state.stmt = '';
  }
  const p = await provenanceOf(id);
  renderTimeline(p);
  markCurrent();
  baseIDs = [p.claim.id, p.first?.id, ...p.repeats.map((s) => s.id), ...p.disputedBy.map((s) => s.id)].filter(Boolean);
  await loadGraph(baseIDs, p.first?.id);
  pushState();
}

function renderTimeline(p) {
  const box = $('#timeline');
  box.replaceChildren(
    el('h2', {}, 'Who said it first'),
    el('p', { class: 'claim-text' }, kindBadge('CLAIM'), p.claim.text),
  );
  if (p.first) {
    box.append(
      el(
        'ol',
        { class: 'timeline', id: 'claimants', 'aria-label': 'Statements of the claim in date order' },
        el('li', { class: 'first' }, stmtButton(p.first, el('span', { class: 'badge' }, 'First'))),
        p.repeats.map((s) => el('li', { class: 'repeat' }, stmtButton(s))),
      ),
    );
    if (!p.repeats.length) box.append(el('p', { class: 'hint' }, 'No later statement repeats it.'));
  }
  const d = el('section', { class: 'disputes', id: 'disputes', 'aria-label': 'Disputed by' }, el('h3', {}, `Disputed by (${p.disputedBy.length})`));
  if (p.disputedBy.length) {
    d.append(el('ol', { class: 'timeline' }, p.disputedBy.map((s) => el('li', {}, stmtButton(s)))));
  } else {
    d.append(el('p', { class: 'hint' }, 'No statement found disputes it.'));
  }
  box.append(d);
}

async function selectActor(id, { keep } = {}) {
  state.actor = id;
  state.claim = '';
  if (!keep) {
    state.x = [];
    state.stmt = '';
  }
  const data = await gql(ACTOR, { id, name: id });
  const a = data.node;
  if (!a) throw new Error('no such actor');
  const stmts = data.timeline.edges.map((e) => e.node);
  const box = $('#timeline');
  box.replaceChildren(
    el('h2', {}, kindBadge('ACTOR'), a.name),
    el('p', { class: 'hint' }, `${a.kind.toLowerCase()} · also called ${a.aliases.filter((x) => x !== a.name).slice(0, 6).join('; ') || '—'}`),
    el('h3', {}, `What ${a.name} said, in date order (${data.timeline.totalCount})`),
    el('ol', { class: 'timeline', id: 'claimants' }, stmts.map((s) => el('li', {}, stmtButton(s)))),
  );
  markCurrent();
  baseIDs = [id];
  await loadGraph(baseIDs, id);
  pushState();
}

// ---- evidence -----------------------------------------------------------

// highlight renders the sentence with the statement's parts marked. Spans
// are code points into the document, so the sentence is split into code
// points too (Array.from), never UTF-16 units.
function highlight(st) {
  const sent = st.sentence;
  const cps = Array.from(sent.text);
  const box = el('blockquote', { class: 'sentence', id: 'evidence-sentence' });
  if (cps.length !== sent.end - sent.start) {
    box.append(el('mark', { class: 'content' }, st.text));
    return box;
  }
  const cls = new Array(cps.length).fill('');
  const paint = (spans, c) => {
    for (const s of spans || []) {
      for (let i = Math.max(s.start, sent.start); i < Math.min(s.end, sent.end); i++) cls[i - sent.start] = c;
    }
  };
  paint(st.contentSpans, 'content');
  paint(st.cueSpans, 'cue');
  const src = st.edges?.[0]?.evidence?.span;
  if (src && st.source) paint([src], 'source');
  let i = 0;
  while (i < cps.length) {
    let j = i;
    while (j < cps.length && cls[j] === cls[i]) j++;
    const text = cps.slice(i, j).join('');
    box.append(cls[i] ? el('mark', { class: cls[i] }, text) : text);
    i = j;
  }
  return box;
}

function linkList(title, items, cls) {
  if (!items?.length) return null;
  return [
    el('h3', {}, title),
    el(
      'ul',
      { class: `links ${cls || ''}` },
      items.map((s) =>
        el('li', {}, el('button', { type: 'button', onclick: () => openStatement(s.id, {}) }, `${s.speaker?.name || 'unknown'}: “${clip(s.text, 110)}”`)),
      ),
    ),
  ];
}

async function openStatement(id, { focusGraph, noPush } = {}) {
  state.stmt = id;
  markCurrent();
  try {
    const { statement: st } = await gql(EVIDENCE, { id });
    const box = $('#evidence');
    if (!st) {
      box.replaceChildren(el('p', { class: 'hint' }, 'This statement is no longer in the graph.'));
      return;
    }
    const doc = st.document;
    const said = st.edges?.[0]?.evidence;
    box.replaceChildren(
      el('h2', {}, 'Evidence'),
      highlight(st),
      el('p', { class: 'key' }, el('mark', { class: 'content' }, 'what was said'), el('mark', { class: 'cue' }, 'cue'), st.source ? el('mark', { class: 'source' }, 'source') : null),
      el(
        'dl',
        { class: 'facts' },
        el('dt', {}, 'Speaker'),
        el('dd', { id: 'evidence-speaker' }, st.speaker ? st.speaker.name : 'not resolved', st.source && st.speaker && st.source !== st.speaker.name ? ` (as “${st.source}”)` : ''),
        el('dt', {}, 'Date'),
        el('dd', {}, dateText(st.date), st.dateSource ? ` (from the ${st.dateSource === 'TEXT' ? 'text' : 'publication date'})` : ''),
        el('dt', {}, 'Document'),
        el('dd', {}, doc.title || (doc.source || doc.id).split('/').pop()),
        el('dt', {}, 'Outlet'),
        el('dd', {}, outlet(doc) || 'unknown'),
        el('dt', {}, 'Published'),
        el('dd', {}, doc.published ? dateText(doc.published) : 'not stated'),
        el('dt', {}, 'Link'),
        el('dd', {}, doc.url ? el('a', { href: doc.url, target: '_blank', rel: 'noopener noreferrer' }, doc.url) : 'none given'),
        el('dt', {}, 'How'),
        el('dd', {}, `${st.kind.toLowerCase().replace('_', ' ')}, cue “${st.cue}”; found by ${st.rule} (${(st.confidence * 100).toFixed(0)}%)`, said ? `; speaker by ${said.rule}${said.note ? ` (${said.note})` : ''}` : ''),
        el('dt', {}, 'Span'),
        el('dd', {}, `code points ${st.span.start}–${st.span.end} of the document`),
      ),
      st.claim ? el('p', {}, 'Claim: ', el('button', { type: 'button', onclick: () => selectClaim(st.claim.id).catch(fail) }, clip(st.claim.text, 100))) : null,
      ...[
        linkList('Disputes', st.disputes, 'against'),
        linkList('Disputed by', st.disputedBy, 'against'),
        linkList('Repeats or reports', st.cites),
        linkList('Repeated or reported by', st.citedBy),
      ]
        .flat()
        .filter(Boolean),
    );
    selectNode(id, { center: true, focus: focusGraph });
    if (!noPush) pushState();
  } catch (e) {
    fail(e);
  }
}

// ---- graph --------------------------------------------------------------

let cy;

function initGraph() {
  cy = cytoscape({
    container: $('#graph'),
    minZoom: 0.1,
    maxZoom: 4,
    style: [
      {
        selector: 'node',
        style: {
          'background-color': (n) => KINDS[n.data('kind')]?.color || '#777',
          shape: (n) => KINDS[n.data('kind')]?.shape || 'ellipse',
          label: 'data(short)',
          'font-size': 9,
          'text-wrap': 'wrap',
          'text-max-width': 110,
          'text-valign': 'bottom',
          'text-margin-y': 3,
          color: '#222',
          'text-background-color': '#fff',
          'text-background-opacity': 0.75,
          width: 22,
          height: 22,
        },
      },
      { selector: 'node[kind = "ACTOR"]', style: { width: 30, height: 30, 'font-size': 11, 'font-weight': 'bold' } },
      { selector: 'node[kind = "CLAIM"]', style: { width: 30, height: 28 } },
      { selector: 'node[kind = "DATE"]', style: { width: 14, height: 14 } },
      { selector: 'node.first', style: { 'border-width': 4, 'border-color': '#d19a00', width: 34, height: 34 } },
      { selector: 'node.expanded', style: { 'border-width': 2, 'border-color': '#333', 'border-style': 'double' } },
      { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#f0a500', 'overlay-opacity': 0 } },
      {
        selector: 'edge',
        style: {
          width: 1.2,
          'line-color': EDGES.other.color,
          'target-arrow-color': EDGES.other.color,
          'target-arrow-shape': 'triangle',
          'arrow-scale': 0.8,
          'curve-style': 'bezier',
          label: 'data(kind)',
          'font-size': 8,
          color: '#555',
          'text-rotation': 'autorotate',
          'text-background-color': '#fff',
          'text-background-opacity': 0.8,
        },
      },
      ...['said', 'cited', 'disputes'].map((k) => ({
        selector: `edge[kind = "${k}"]`,
        style: { width: EDGES[k].width, 'line-color': EDGES[k].color, 'target-arrow-color': EDGES[k].color, 'line-style': EDGES[k].style, 'font-size': 9, 'font-weight': 'bold', color: EDGES[k].color },
      })),
      { selector: 'edge:selected', style: { width: 4 } },
    ],
  });
  cy.on('tap', 'node', (ev) => activate(ev.target.id()).catch(fail));
  cy.on('select', 'node', (ev) => describeNode(ev.target));
  renderLegend();
}

function toElements(sg) {
  return [
    ...sg.nodes.map((n) => ({ group: 'nodes', data: { id: n.id, kind: n.kind, label: n.label, short: clip(n.label, n.kind === 'STATEMENT' ? 40 : 60) } })),
    ...sg.edges.map((e) => ({ group: 'edges', data: { id: e.id, kind: e.kind, source: e.source, target: e.target } })),
  ];
}

function layout(opts) {
  const l = cy.layout({
    name: 'fcose',
    quality: 'default',
    animate: false,
    randomize: true,
    nodeRepulsion: 6000,
    idealEdgeLength: 70,
    nodeSeparation: 60,
    ...opts,
  });
  l.run();
  cy.fit(undefined, 30);
}

function updateCount(truncated) {
  $('#graph-count').textContent = `${cy.nodes().length} nodes, ${cy.edges().length} edges${truncated ? ' (some left out)' : ''}`;
}

// loadGraph draws the subgraph around ids, then expands the nodes the
// URL names.
async function loadGraph(ids, first) {
  if (!ids.length) return;
  const { subgraph } = await gql(SUBGRAPH, { ids: ids.slice(0, 100), depth: 1, limit: 400 });
  cy.elements().remove();
  cy.add(toElements(subgraph));
  if (first) cy.getElementById(first).addClass('first');
  for (const x of state.x) await expand(x, { noLayout: true, noPush: true });
  layout();
  updateCount(subgraph.truncated);
}

// expand adds the neighbours of a node.
async function expand(id, { noLayout, noPush } = {}) {
  const { subgraph } = await gql(SUBGRAPH, { ids: [id], depth: 1, limit: 200 });
  const fresh = toElements(subgraph).filter((e) => cy.getElementById(e.data.id).empty());
  const added = cy.add(fresh);
  const node = cy.getElementById(id).addClass('expanded');
  if (node.selected()) describeNode(node);
  if (!state.x.includes(id)) state.x.push(id);
  if (!noLayout) {
    if (added.nodes().length) {
      // Place new nodes around the expanded one, then settle the layout
      // without moving everything far from where it was.
      const c = cy.getElementById(id).position();
      added.nodes().forEach((n, i) => n.position({ x: c.x + 80 * Math.cos(i), y: c.y + 80 * Math.sin(i) }));
      layout({ randomize: false });
    }
    updateCount(subgraph.truncated);
    status(`${added.nodes().length} node${added.nodes().length === 1 ? '' : 's'} added around ${cy.getElementById(id).data('label') || id}.`);
  }
  if (!noPush) pushState();
  return added;
}

// activate is what a click or Enter on a node does: show a statement's
// evidence, and add the node's neighbours.
async function activate(id) {
  const n = cy.getElementById(id);
  selectNode(id, {});
  if (n.data('kind') === 'STATEMENT') await openStatement(id, { noPush: true });
  await expand(id);
}

function selectNode(id, { center, focus }) {
  const n = cy.getElementById(id);
  if (n.empty()) return;
  cy.nodes(':selected').unselect();
  n.select();
  $('#expand').disabled = false;
  if (center) cy.animate({ center: { eles: n }, duration: 200 });
  if (focus) $('#graph').focus();
}

function describeNode(n) {
  const k = KINDS[n.data('kind')]?.label || n.data('kind');
  $('#graph-node').textContent = `${k}: ${n.data('label')} (${n.degree()} links${n.hasClass('expanded') ? ', expanded' : ''})`;
}

// Keyboard: move between nodes in reading order, Enter to activate.
function onGraphKey(ev) {
  const nodes = cy.nodes().sort((a, b) => a.position('y') - b.position('y') || a.position('x') - b.position('x'));
  if (!nodes.length) return;
  const cur = cy.nodes(':selected')[0];
  let i = cur ? nodes.indexOf(cur) : -1;
  switch (ev.key) {
    case 'ArrowRight':
    case 'ArrowDown':
    case 'n':
      i = (i + 1) % nodes.length;
      break;
    case 'ArrowLeft':
    case 'ArrowUp':
    case 'p':
      i = (i - 1 + nodes.length) % nodes.length;
      break;
    case 'Enter':
    case ' ':
      if (cur) activate(cur.id()).catch(fail);
      ev.preventDefault();
      return;
    case 'f':
      cy.fit(undefined, 30);
      return;
    case 'l':
      layout();
      return;
    case 'r':
      reset().catch(fail);
      return;
    default:
      return;
  }
  ev.preventDefault();
  selectNode(nodes[i].id(), { center: true });
}

async function reset() {
  state.x = [];
  await loadGraph(baseIDs, cy.nodes('.first')[0]?.id());
  pushState();
}

function renderLegend() {
  const svgNS = 'http://www.w3.org/2000/svg';
  const shape = (k) => {
    const s = document.createElementNS(svgNS, 'svg');
    s.setAttribute('width', '14');
    s.setAttribute('height', '14');
    s.setAttribute('aria-hidden', 'true');
    const pts = {
      diamond: '7,0 14,7 7,14 0,7',
      triangle: '7,0 14,14 0,14',
      hexagon: '3.5,0 10.5,0 14,7 10.5,14 3.5,14 0,7',
    }[k.shape];
    let e;
    if (pts) {
      e = document.createElementNS(svgNS, 'polygon');
      e.setAttribute('points', pts);
    } else if (k.shape === 'ellipse') {
      e = document.createElementNS(svgNS, 'circle');
      e.setAttribute('cx', '7');
      e.setAttribute('cy', '7');
      e.setAttribute('r', '6.5');
    } else {
      e = document.createElementNS(svgNS, 'rect');
      e.setAttribute('width', '14');
      e.setAttribute('height', '14');
      if (k.shape === 'round-rectangle') e.setAttribute('rx', '3');
    }
    e.setAttribute('fill', k.color);
    s.append(e);
    return s;
  };
  const line = (e) => {
    const s = document.createElementNS(svgNS, 'svg');
    s.setAttribute('width', '26');
    s.setAttribute('height', '10');
    s.setAttribute('aria-hidden', 'true');
    const l = document.createElementNS(svgNS, 'line');
    Object.entries({ x1: 1, y1: 5, x2: 25, y2: 5, stroke: e.color, 'stroke-width': e.width }).forEach(([k, v]) => l.setAttribute(k, v));
    if (e.style === 'dashed') l.setAttribute('stroke-dasharray', '5 3');
    s.append(l);
    return s;
  };
  $('#legend').replaceChildren(
    ...Object.values(KINDS).map((k) => el('span', {}, shape(k), k.label)),
    ...Object.values(EDGES).map((e) => el('span', {}, line(e), e.text)),
    el('span', {}, el('span', { style: 'display:inline-block;width:12px;height:12px;border:3px solid #d19a00;border-radius:50%' }), 'first claimant'),
  );
}

// ---- exports and sharing ------------------------------------------------

function updateExports() {
  const ids = cy ? cy.nodes().map((n) => n.id()) : [];
  const box = $('#export-links');
  const formats = [
    ['graphml', 'GraphML (Gephi, yEd)'],
    ['gexf', 'GEXF (Gephi)'],
    ['cytoscape', 'Cytoscape.js JSON'],
    ['jsonld', 'JSON-LD with PROV-O'],
    ['nquads', 'N-Quads'],
  ];
  const link = (f, label, view) => {
    const u = new URL(exportURL);
    u.searchParams.set('format', f);
    if (view) {
      u.searchParams.set('ids', ids.join(','));
      u.searchParams.set('depth', '0');
    }
    return el('a', { href: u.toString(), download: true }, label);
  };
  const viewOK = ids.length > 0 && ids.length <= 300;
  box.replaceChildren(
    viewOK ? el('p', {}, `This view (${ids.length} nodes):`) : null,
    viewOK ? formats.map(([f, l]) => link(f, l, true)) : null,
    el('p', {}, 'The whole graph:'),
    formats.map(([f, l]) => link(f, l, false)),
  );
}

async function share() {
  try {
    await navigator.clipboard.writeText(location.href);
    status('A link to this view was copied.');
  } catch {
    status(`Link to this view: ${location.href}`);
  }
}

function fail(e) {
  console.error(e);
  status(`Something went wrong: ${e.message}`, true);
}

// bestPick chooses what a search shows first: an actor when the words name
// one (a short query, or no claim matching well), else the best claim.
function bestPick(q) {
  const top = lastSearch.provenance[0];
  const actor = lastSearch.actors[0];
  if (actor && (!top || top.score < 0.5 || q.split(/\s+/).length <= 3)) return { actor: actor.id };
  if (top) return { claim: top.claim.id };
  return null;
}

function clearEvidence() {
  $('#evidence').replaceChildren(el('p', { class: 'hint' }, 'Choose a statement in the timeline or the graph to read it in its document.'));
  $('#graph-node').textContent = '';
}

// ---- start --------------------------------------------------------------

// restore brings the page to the view the URL names.
async function restore() {
  const want = fromHash();
  restoring = true;
  try {
    Object.assign(state, { q: '', claim: '', actor: '', stmt: '', x: [] });
    if (want.q) await search(want.q);
    state.x = want.x;
    state.stmt = want.stmt;
    const pick = want.claim ? { claim: want.claim } : want.actor ? { actor: want.actor } : lastSearch ? bestPick(want.q) : null;
    if (pick?.actor) await selectActor(pick.actor, { keep: true });
    else if (pick?.claim) await selectClaim(pick.claim, { keep: true });
    if (want.stmt) await openStatement(want.stmt, { noPush: true });
    else clearEvidence();
  } finally {
    restoring = false;
  }
  history.replaceState(null, '', toHash());
  updateExports();
}

function start() {
  initGraph();
  $('#search').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = $('#q').value.trim();
    if (!q) return;
    (async () => {
      Object.assign(state, { claim: '', actor: '', stmt: '', x: [] });
      clearEvidence();
      await search(q);
      $('#left').scrollTop = 0;
      const pick = bestPick(q);
      if (pick?.claim) await selectClaim(pick.claim);
      else if (pick?.actor) await selectActor(pick.actor);
      else pushState();
    })().catch(fail);
  });
  $('#graph').addEventListener('keydown', onGraphKey);
  $('#fit').addEventListener('click', () => cy.fit(undefined, 30));
  $('#relayout').addEventListener('click', () => layout());
  $('#reset').addEventListener('click', () => reset().catch(fail));
  $('#expand').addEventListener('click', () => {
    const n = cy.nodes(':selected')[0];
    if (n) activate(n.id()).catch(fail);
  });
  $('#share').addEventListener('click', share);
  document.addEventListener('keydown', (ev) => {
    if (ev.key === '/' && document.activeElement?.tagName !== 'INPUT') {
      ev.preventDefault();
      $('#q').focus();
    }
  });
  window.addEventListener('popstate', () => restore().catch(fail));
  restore().catch(fail);
  // For tests and the console: the graph and the view.
  window.explorer = { cy, state };
}

start();
