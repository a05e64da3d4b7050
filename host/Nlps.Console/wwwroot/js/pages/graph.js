// The keyword graph agent (nlps.keyword-graph) as a picture: the subgraph around a keyword drawn in rings by hops
// (a deterministic layout, so the same graph always looks the same), node size by frequency, edge weight by NPMI.
// Clicking a node re-centres on it; its neighbours and stated relations are listed beside the picture.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { call } from '../api.js';
import { attempt, section, table } from '../ui.js';
import { number } from '../format.js';

const agent = '/v1/agents/nlps.keyword-graph';
const svgNs = 'http://www.w3.org/2000/svg';
const size = 640;
const ring = 130;

function s(tag, attributes, ...children) {
  const element = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value !== null && value !== undefined) element.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** Hop distance of every node from the centre, over the exported edges. */
function levels(center, edges) {
  const next = new Map();
  for (const edge of edges) {
    if (!next.has(edge.source)) next.set(edge.source, []);
    if (!next.has(edge.target)) next.set(edge.target, []);
    next.get(edge.source).push(edge.target);
    next.get(edge.target).push(edge.source);
  }
  const depth = new Map([[center, 0]]);
  const queue = [center];
  while (queue.length > 0) {
    const node = queue.shift();
    for (const other of next.get(node) ?? []) {
      if (!depth.has(other)) {
        depth.set(other, depth.get(node) + 1);
        queue.push(other);
      }
    }
  }
  return depth;
}

function layout(center, nodes, edges) {
  const depth = levels(center, edges);
  const rings = new Map();
  for (const node of nodes) {
    const d = depth.get(node.keyword) ?? 3;
    if (!rings.has(d)) rings.set(d, []);
    rings.get(d).push(node);
  }
  const at = new Map();
  for (const [d, members] of rings) {
    members.sort((a, b) => b.frequency - a.frequency || a.keyword.localeCompare(b.keyword));
    members.forEach((node, i) => {
      const angle = (2 * Math.PI * i) / members.length - Math.PI / 2 + d * 0.3;
      at.set(node.keyword, d === 0 ? { x: size / 2, y: size / 2 } : {
        x: size / 2 + ring * d * Math.cos(angle),
        y: size / 2 + ring * d * Math.sin(angle),
      });
    });
  }
  return at;
}

export async function renderGraph(main) {
  const problems = h('div');
  const keyword = h('input', { type: 'search', required: true, 'data-testid': 'graph-keyword' });
  const depth = h('select', { 'data-testid': 'graph-depth', 'aria-label': t('graph.depth') }, [1, 2, 3].map(d => h('option', { value: d, selected: d === 2 }, t('graph.hops', { count: d }))));
  const picture = h('div', { class: 'graph', 'data-testid': 'graph-picture' });
  const details = h('div', { 'data-testid': 'graph-details' });
  const download = h('a', { class: 'button', 'data-testid': 'graph-download', hidden: true }, t('graph.download'));
  let objectUrl = null;

  const form = h('form', {
    class: 'inline',
    onsubmit: event => {
      event.preventDefault();
      attempt(problems, () => show(keyword.value.trim()));
    },
  },
  h('label', null, t('graph.keyword'), keyword),
  h('label', null, t('graph.depth'), depth),
  h('button', { type: 'submit', class: 'primary', 'data-testid': 'graph-show' }, t('graph.show')),
  download);

  replace(main, problems, section(t('graph.title'), 'graph', h('p', { class: 'hint' }, t('graph.hint')), form, h('div', { class: 'graph-view' }, picture, details)));
  depth.addEventListener('change', () => keyword.value && attempt(problems, () => show(keyword.value.trim())));

  async function show(center) {
    keyword.value = center;
    const [graph, around] = await Promise.all([
      call('POST', `${agent}/export`, { keyword: center, depth: Number(depth.value), limit: 60 }),
      call('POST', `${agent}/neighbours`, { keyword: center, limit: 15 }),
    ]);
    draw(center, graph);
    if (objectUrl) URL.revokeObjectURL(objectUrl);
    objectUrl = URL.createObjectURL(new Blob([graph.graphMl], { type: 'application/xml' }));
    download.href = objectUrl;
    download.download = `keyword-graph-${center}.graphml`;
    download.hidden = false;
    replace(details,
      h('h3', null, t('graph.about', { keyword: around.keyword, frequency: number(around.frequency) })),
      table('graph-neighbours', [t('graph.neighbour'), t('graph.count'), t('graph.npmi')],
        around.neighbours.map(n => h('tr', { 'data-testid': 'graph-neighbour' },
          h('td', null, h('button', { type: 'button', class: 'link', onclick: () => attempt(problems, () => show(n.keyword)) }, n.keyword)),
          h('td', null, number(n.count)),
          h('td', null, n.npmi.toFixed(2)))),
        t('graph.noNeighbours')),
      around.relations.length === 0 ? null : h('ul', { class: 'relations', 'data-testid': 'graph-relations' },
        around.relations.map(r => h('li', null, `${r.subject} —${r.relation}→ ${r.object}`))));
  }

  function draw(center, graph) {
    const at = layout(center, graph.nodes, graph.edges);
    const top = Math.max(...graph.nodes.map(n => n.frequency), 1);
    const lines = graph.edges.filter(e => at.has(e.source) && at.has(e.target)).map(e => s('line', {
      x1: at.get(e.source).x, y1: at.get(e.source).y, x2: at.get(e.target).x, y2: at.get(e.target).y,
      'stroke-width': 0.5 + 3 * Math.max(0, e.npmi),
      class: 'edge',
    }, s('title', null, `${e.source} — ${e.target}: ${e.count} (NPMI ${e.npmi.toFixed(2)})`)));
    const circles = graph.nodes.map(n => {
      const p = at.get(n.keyword);
      return s('g', {
        class: n.keyword === center ? 'node center' : 'node',
        transform: `translate(${p.x.toFixed(1)} ${p.y.toFixed(1)})`,
        'data-testid': 'graph-node',
        'data-keyword': n.keyword,
        tabindex: 0,
        role: 'button',
        onclick: () => attempt(problems, () => show(n.keyword)),
        onkeydown: event => { if (event.key === 'Enter') attempt(problems, () => show(n.keyword)); },
      },
      s('circle', { r: 6 + 14 * Math.sqrt(n.frequency / top) }),
      s('text', { y: -12 - 14 * Math.sqrt(n.frequency / top), 'text-anchor': 'middle' }, n.keyword),
      s('title', null, t('graph.nodeTitle', { keyword: n.keyword, frequency: n.frequency })));
    });
    replace(picture, s('svg', { viewBox: `0 0 ${size} ${size}`, role: 'img', 'aria-label': t('graph.pictureLabel', { keyword: center }), 'data-center': center }, lines, circles));
  }
}
