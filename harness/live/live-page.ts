/**
 * The live drill page: one self-contained HTML document (inline CSS and script, nothing fetched but its own
 * /events stream), so it works offline and inside a container. It draws from the events alone: a late visitor
 * gets the history replayed and sees the same page. Data is only ever set as text, never parsed as HTML.
 */
export const LIVE_PAGE = String.raw`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>firedrill · live drill</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:20px;color:#222}
#status{padding:6px 10px;background:#f3f3f3;border-left:4px solid #1f77b4;font-family:ui-monospace,monospace;font-size:12px}
#status[data-connected="false"]{border-left-color:#d62728}
section.drill{border-top:2px solid #ddd;margin-top:18px;padding-top:6px}
.cols{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:16px}
svg{display:block}.lane-label{font-size:11px}.src-label{font-size:11px}
article.finding{border:1px solid #ccc;border-left:4px solid #000;padding:6px 8px;margin:6px 0;background:#fafafa}
article.finding .kind{font-weight:bold}article.finding .entities{color:#555;font-size:12px}
pre.sample-lines{margin:4px 0;font-size:11px;overflow-x:auto;background:#fff;border:1px solid #eee;padding:4px;white-space:pre}
.analysis{color:#444;font-size:13px}.analysis .category{font-weight:bold}
li.execution[data-status="SUCCEEDED"]>.st{color:#2ca02c}li.execution[data-status="FAILED"]>.st,li.execution[data-status="TIMED_OUT"]>.st{color:#d62728}
li.step.failed{color:#d62728}.scorecard{font-weight:bold;padding:4px 0}.scorecard[data-passed="true"]{color:#2ca02c}.scorecard[data-passed="false"]{color:#d62728}
.muted{color:#777}
</style></head><body>
<h1>firedrill · live drill</h1>
<div id="status" data-connected="false">connecting…</div>
<p id="reports" class="muted">Reports are linked here when the drills end. Times are event time, UTC. <a href="/metrics">/metrics</a></p>
<div id="drills"></div>
<script>
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var W = 720, LEFT = 170, RIGHT = 8;
  var PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
  var drills = {};
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function svgEl(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function utc(ms) { return new Date(ms).toISOString().slice(11, 19); }
  function drill(id) {
    var d = drills[id];
    if (d) return d;
    var sec = el('section', { 'class': 'drill', 'data-drill': id });
    var h = el('h2', {}, id);
    var cols = el('div', { 'class': 'cols' });
    var left = el('div'), right = el('div');
    var lanes = el('div', { 'class': 'lanes' }), sources = el('div', { 'class': 'sources' });
    var findings = el('div', { 'class': 'findings' });
    var rem = el('ol', { 'class': 'remediation' });
    var score = el('div', { 'class': 'scorecard' });
    left.append(el('h3', {}, 'Timeline per source (own axis each)'), lanes, sources, el('h3', {}, 'Remediation'), rem);
    right.append(el('h3', {}, 'Findings as they appear'), findings);
    cols.append(left, right);
    sec.append(h, score, cols);
    document.getElementById('drills').append(sec);
    d = drills[id] = { id: id, h: h, lanes: lanes, sources: sources, findings: findings, rem: rem, score: score, window: null, incidents: [], found: [], timeline: null };
    return d;
  }
  function x(d, t) { return LEFT + ((t - d.window.start) / Math.max(1, d.window.end - d.window.start)) * (W - LEFT - RIGHT); }
  function drawLanes(d) {
    if (!d.window) return;
    var H = 6 + (d.incidents.length + 1) * 20 + 18;
    var s = svgEl('svg', { viewBox: '0 0 ' + W + ' ' + H, width: '100%', 'class': 'lanes-chart' });
    d.incidents.forEach(function (inc, i) {
      var y = 6 + i * 20;
      var label = inc.id + ' · ' + inc.kind;
      var shown = svgEl('text', { x: LEFT - 6, y: y + 14, 'text-anchor': 'end', 'class': 'lane-label', 'data-incident': inc.id }, label.length > 27 ? label.slice(0, 26) + '…' : label);
      shown.append(svgEl('title', {}, label));
      s.append(shown);
      var r = svgEl('rect', { 'class': 'incident-window', 'data-incident': inc.id, x: x(d, inc.window.start), y: y + 3, width: Math.max(2, x(d, inc.window.end) - x(d, inc.window.start)), height: 14, fill: '#1f77b4', 'fill-opacity': '0.2', stroke: '#1f77b4' });
      r.append(svgEl('title', {}, inc.id + ' ' + utc(inc.window.start) + '–' + utc(inc.window.end) + ' UTC'));
      s.append(r);
    });
    var fy = 6 + d.incidents.length * 20;
    s.append(svgEl('text', { x: LEFT - 6, y: fy + 14, 'text-anchor': 'end', 'class': 'lane-label' }, 'findings'));
    d.found.forEach(function (f) {
      var c = svgEl('circle', { 'class': 'finding-marker', cx: x(d, f.detectedAt), cy: fy + 10, r: 4 });
      c.append(svgEl('title', {}, f.kind + ' at ' + utc(f.detectedAt) + ' UTC: ' + f.summary));
      s.append(c);
    });
    for (var i = 0; i <= 4; i++) {
      var t = d.window.start + ((d.window.end - d.window.start) * i) / 4;
      s.append(svgEl('text', { x: x(d, t), y: H - 4, 'font-size': 10, 'text-anchor': i === 0 ? 'start' : i === 4 ? 'end' : 'middle' }, utc(t) + (i === 4 ? ' UTC' : '')));
    }
    d.lanes.replaceChildren(s);
  }
  function drawSources(d) {
    var tl = d.timeline;
    if (!tl || !d.window) return;
    var H = 48;
    var charts = Object.keys(tl.counts).map(function (src, i) {
      var counts = tl.counts[src] || [];
      var max = Math.max.apply(null, [1].concat(counts));
      var total = counts.reduce(function (a, b) { return a + b; }, 0);
      var s = svgEl('svg', { viewBox: '0 0 ' + W + ' ' + H, width: '100%', 'class': 'source', 'data-source': src, 'data-total': String(total) });
      s.append(svgEl('text', { x: LEFT - 6, y: 14, 'text-anchor': 'end', 'class': 'src-label', fill: PALETTE[i % PALETTE.length] }, src + ' · max ' + max));
      s.append(svgEl('text', { x: LEFT - 6, y: 28, 'text-anchor': 'end', 'class': 'src-label', fill: '#777' }, total + ' events'));
      var pts = counts.map(function (v, j) { return x(d, tl.start + (j + 0.5) * tl.bucketMs).toFixed(1) + ',' + (H - 6 - (v / max) * (H - 12)).toFixed(1); }).join(' ');
      s.append(svgEl('line', { x1: LEFT, x2: W - RIGHT, y1: H - 6, y2: H - 6, stroke: '#bbb' }));
      s.append(svgEl('polyline', { points: pts, fill: 'none', stroke: PALETTE[i % PALETTE.length], 'stroke-width': 1.5 }));
      return s;
    });
    d.sources.replaceChildren.apply(d.sources, charts);
  }
  function onFinding(d, f) {
    d.found.push(f);
    var a = el('article', { 'class': 'finding', 'data-finding': f.findingId, 'data-kind': f.kind });
    a.append(el('div', { 'class': 'kind' }, f.kind + ' · ' + f.severity + ' · detected ' + utc(f.detectedAt) + ' UTC'));
    var ents = Object.keys(f.entities || {}).map(function (k) { return k + ' ' + f.entities[k]; }).join(', ');
    a.append(el('div', { 'class': 'entities' }, ents), el('div', { 'class': 'summary' }, f.summary));
    var lines = (f.evidence && f.evidence.sampleLines) || [];
    if (lines.length) a.append(el('pre', { 'class': 'sample-lines' }, lines.slice(0, 5).join('\n')));
    if (f.chain && f.chain.length) a.append(el('div', { 'class': 'chain' }, 'root cause: ' + f.chain.join(' → ')));
    if (f.analysis && f.analysis.explanation) {
      var an = el('div', { 'class': 'analysis' });
      an.append(el('span', { 'class': 'category' }, (f.analysis.category || '') + ' '), document.createTextNode(f.analysis.explanation));
      if (f.analysis.suggestedAction) an.append(el('div', { 'class': 'action' }, '→ ' + f.analysis.suggestedAction));
      a.append(an);
    }
    d.findings.prepend(a);
    drawLanes(d);
  }
  function onRemediation(d, e) {
    var li = el('li', { 'class': 'execution', 'data-status': e.status, 'data-playbook': e.playbook });
    li.append(el('span', { 'class': 'pb' }, e.playbook + ' '), el('span', { 'class': 'st' }, e.status));
    var steps = el('ol', { 'class': 'steps' });
    e.steps.forEach(function (s) {
      var took = s.exitedAt !== undefined ? ' (' + (s.exitedAt - s.enteredAt) + ' ms)' : '';
      steps.append(el('li', { 'class': 'step' + (s.failed ? ' failed' : '') }, s.name + took));
    });
    li.append(steps);
    d.rem.append(li);
  }
  var status = document.getElementById('status');
  function handle(m) {
    if (m.type === 'progress') {
      status.textContent = '[' + m.drill + ' ' + (m.elapsedMs / 1000).toFixed(1) + ' s] ' + m.phase + ': ' + m.detail;
      status.setAttribute('data-phase', m.phase);
      drill(m.drill);
      return;
    }
    if (m.type === 'reports') {
      var p = document.getElementById('reports');
      p.replaceChildren(document.createTextNode('Drills ended. '), el('a', { href: m.html, id: 'report-link' }, 'report.html'), document.createTextNode(' · '), el('a', { href: m.index }, 'all runs'), document.createTextNode(' · '), el('a', { href: '/metrics' }, '/metrics'));
      return;
    }
    if (m.type === 'tick') {
      status.textContent = 'load tick ' + m.tick + ' ' + m.slice.start + ' → ' + m.slice.end;
      return;
    }
    if (!m.drill) return;
    var d = drill(m.drill);
    if (m.type === 'plan') {
      d.h.textContent = m.drill + ' — ' + m.title;
      d.window = m.window;
      d.incidents = m.incidents;
      drawLanes(d);
    } else if (m.type === 'timeline') {
      d.timeline = m;
      drawSources(d);
    } else if (m.type === 'finding') {
      onFinding(d, m.finding);
    } else if (m.type === 'remediation') {
      onRemediation(d, m);
    } else if (m.type === 'scorecard') {
      d.score.setAttribute('data-passed', String(m.passed));
      var pct = function (v) { return v === null ? 'n/a' : (v * 100).toFixed(1) + '%'; };
      d.score.textContent = m.error ? '! did not run to the end: ' + m.error : (m.passed ? '✔ passed' : '✘ failed') + ' · recall ' + pct(m.recall) + ' · precision ' + pct(m.precision) + ' · false positives ' + m.falsePositives + ' · findings ' + m.findingsTotal;
    }
  }
  var es = new EventSource('/events');
  var seen = 0;
  es.onopen = function () { status.setAttribute('data-connected', 'true'); if (status.textContent === 'connecting…') status.textContent = 'connected, waiting for the drill…'; };
  es.onerror = function () { status.setAttribute('data-connected', 'false'); };
  es.onmessage = function (ev) {
    // A reconnect replays the history: only what is new is applied.
    var n = Number(ev.lastEventId);
    if (n && n <= seen) return;
    if (n) seen = n;
    handle(JSON.parse(ev.data));
    document.body.setAttribute('data-events', String(seen));
  };
})();
</script>
</body></html>
`;
