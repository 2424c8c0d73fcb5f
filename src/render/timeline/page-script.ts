/**
 * The timeline page's own script (plain browser JavaScript over the inlined
 * d3): lays out the lanes, draws them at the current zoom and redraws on
 * zoom and pan. Level of detail: a run at least a pixel wide is a rectangle
 * (labelled when wide enough); narrower ones, and the density bins of the
 * runs the data folded, add their time to their pixel column, drawn as one
 * grey path per lane whose height is the share of the column that was busy.
 */
export const TIMELINE_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('timeline-data').textContent);
  // Interval lanes come as gaps between starts and lengths: back to starts and ends.
  function decode(t) {
    var at = 0;
    for (var i = 0; i < t.s.length; i++) { at += t.s[i]; t.s[i] = at; t.e[i] += at; }
    return t;
  }
  data.procs.forEach(function (p) { decode(p.runs); decode(p.sys); });
  decode(data.gc);
  decode(data.stw);
  var C = data.laneColours;
  function el(tag, text, cls) { var e = document.createElement(tag); if (text != null) e.textContent = text; if (cls) e.className = cls; return e; }
  function fmt(ns) {
    var a = Math.abs(ns);
    if (a < 1e3) return Math.round(ns) + ' ns';
    if (a < 1e6) return (ns / 1e3).toFixed(a < 1e4 ? 2 : 1) + ' µs';
    if (a < 1e9) return (ns / 1e6).toFixed(a < 1e7 ? 2 : 1) + ' ms';
    return (ns / 1e9).toFixed(3) + ' s';
  }
  function fmtBytes(n) {
    var u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'], i = 0;
    while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
    return n.toFixed(i ? 1 : 0) + ' ' + u[i];
  }
  var offset0 = data.start - data.traceStart; // the window's start, in ns into the trace
  var wall0 = data.wallStart ? Date.parse(data.wallStart) : NaN;
  function into(t) { return fmt(offset0 + t) + ' into the trace'; }
  /** Time of day (UTC) at t, with dec decimals of seconds (3 by default; more from the nanoseconds). */
  function wallAt(t, dec) {
    if (isNaN(wall0)) return '';
    var ms = wall0 + (offset0 + t) / 1e6, whole = Math.floor(ms);
    var s = new Date(whole).toISOString().slice(11, 19);
    var frac = ((ms - whole) / 1e3 + (whole % 1000) / 1e3).toFixed(dec || 3);
    return s + frac.slice(1);
  }

  document.title = data.title;
  document.getElementById('title').textContent = data.title;
  var meta = document.getElementById('meta');
  data.meta.forEach(function (line) { meta.appendChild(el('div', line)); });

  // Layout: label column, then lanes top to bottom.
  var LABEL = 96, AXIS = 30, PH = 26, GAP = 4;
  var lanes = [];
  var y = AXIS;
  data.procs.forEach(function (p) { lanes.push({ id: 'P' + p.p, label: 'P' + p.p, kind: 'proc', proc: p, y: y, h: PH }); y += PH + 2; });
  y += GAP;
  lanes.push({ id: 'Threads', label: 'threads', kind: 'counter', series: [['threadsRunning', 'running Go code'], ['inSyscall', 'in syscalls']], y: y, h: 34 }); y += 36;
  lanes.push({ id: 'Goroutines', label: 'goroutines', kind: 'counter', series: [['alive', 'alive'], ['runnable', 'runnable'], ['netWaiting', 'waiting on network']], y: y, h: 44 }); y += 46;
  lanes.push({ id: 'Heap', label: 'heap', kind: 'counter', bytes: true, series: [['heap', 'heap objects'], ['heapGoal', 'goal']], y: y, h: 34 }); y += 36 + GAP;
  lanes.push({ id: 'GC', label: 'GC', kind: 'range', track: data.gc, colour: C.gc, y: y, h: 14 }); y += 16;
  lanes.push({ id: 'STW', label: 'stop-the-world', kind: 'range', track: data.stw, colour: C.stw, y: y, h: 14 }); y += 16;
  var H = y + AXIS;
  var laneById = {};
  lanes.forEach(function (l) { laneById[l.id] = l; });

  var container = document.getElementById('chart');
  var tip = document.getElementById('tip');
  var W = Math.max(700, (container.clientWidth || window.innerWidth - 32));
  var x0 = d3.scaleLinear().domain([0, data.span]).range([LABEL, W - 8]);
  var x = x0;
  var svg = d3.select(container).append('svg').attr('width', W).attr('height', H).attr('role', 'img').attr('aria-label', data.title);
  svg.append('defs').append('clipPath').attr('id', 'plot').append('rect').attr('x', LABEL).attr('y', 0).attr('width', W - 8 - LABEL).attr('height', H);
  lanes.forEach(function (l, i) {
    svg.append('rect').attr('x', LABEL).attr('y', l.y).attr('width', W - 8 - LABEL).attr('height', l.h).attr('fill', l.kind === 'proc' ? '#f4f4f4' : '#fafafa');
    svg.append('text').attr('class', 'lane-label').attr('x', 4).attr('y', l.y + l.h / 2 + 4).text(l.label);
  });
  var plot = svg.append('g').attr('clip-path', 'url(#plot)');
  lanes.forEach(function (l) { l.g = plot.append('g').attr('data-lane', l.id); });
  var marksG = plot.append('g').attr('class', 'findings');
  var topAxis = svg.append('g').attr('transform', 'translate(0,' + (AXIS - 4) + ')');
  var bottomAxis = svg.append('g').attr('transform', 'translate(0,' + (H - AXIS + 4) + ')');
  svg.append('text').attr('x', 4).attr('y', 12).attr('class', 'lane-label').text('into the trace');
  if (!isNaN(wall0)) svg.append('text').attr('x', 4).attr('y', H - 6).attr('class', 'lane-label').text('wall clock (UTC)');

  function lowerBound(a, v) { var lo = 0, hi = a.length; while (lo < hi) { var m = (lo + hi) >> 1; if (a[m] < v) lo = m + 1; else hi = m; } return lo; }

  // Density: ns of time per pixel column, drawn as one path: the share of the column that was busy.
  function densityPath(cols, y0, h, nsPerPx) {
    var d = '';
    for (var px in cols) {
      var f = Math.min(1, cols[px] / nsPerPx);
      if (f <= 0) continue;
      var hh = Math.max(2, f * h);
      d += 'M' + px + ',' + (y0 + h - hh).toFixed(1) + 'h1v' + hh.toFixed(1) + 'h-1z';
    }
    return d;
  }

  function addDensity(cols, track, from, to) {
    var bin = data.binNs;
    var i0 = Math.max(0, Math.floor(from / bin)), i1 = Math.min(track.d.length - 1, Math.ceil(to / bin));
    for (var i = i0; i <= i1; i++) {
      var v = track.d[i];
      if (!v) continue;
      var px = Math.floor(x((i + 0.5) * bin));
      cols[px] = (cols[px] || 0) + v;
    }
  }

  /** Intervals of one track into a lane group: rectangles where a pixel wide, else density. */
  function drawIntervals(g, track, lane, yy, h, colourOf, cls, label) {
    var dom = x.domain(), from = dom[0], to = dom[1];
    var nsPerPx = (to - from) / (x.range()[1] - x.range()[0]);
    var s = track.s, e = track.e;
    // Runs are sorted by start and do not overlap on one lane (GC and STW neither): search from the first that can show.
    var i = Math.max(0, lowerBound(s, from) - 1);
    var cols = {};
    var drawn = 0;
    for (; i < s.length && s[i] <= to; i++) {
      if (e[i] < from) continue;
      var xa = x(s[i]), xb = x(e[i]);
      if (xb - xa < 1) { var px = Math.floor(xa); cols[px] = (cols[px] || 0) + (e[i] - s[i]); continue; }
      var r = g.append('rect').attr('class', cls).attr('data-i', i).attr('x', xa).attr('y', yy).attr('width', xb - xa).attr('height', h).attr('fill', colourOf(i));
      drawn++;
      if (label && xb - xa > 48) {
        var text = label(i), room = Math.floor((Math.min(xb, x.range()[1]) - Math.max(xa, LABEL) - 6) / 6);
        if (room > 3) g.append('text').attr('class', 'run-label').attr('x', Math.max(xa, LABEL) + 3).attr('y', yy + h / 2 + 3.5).text(text.length > room ? text.slice(0, room - 1) + '…' : text);
      }
    }
    addDensity(cols, track, from, to);
    var d = densityPath(cols, yy, h, nsPerPx);
    if (d) g.append('path').attr('class', 'density').attr('data-kind', cls).attr('d', d).attr('fill', C.density);
    return drawn;
  }

  function drawCounter(l) {
    var dom = x.domain(), bin = data.binNs;
    var i0 = Math.max(0, Math.floor(dom[0] / bin)), i1 = Math.min(data.counters[l.series[0][0]].length - 1, Math.ceil(dom[1] / bin));
    var max = 1;
    l.series.forEach(function (sr) { var a = data.counters[sr[0]]; for (var i = 0; i < a.length; i++) if (a[i] > max) max = a[i]; });
    l.max = max;
    l.series.forEach(function (sr, k) {
      var a = data.counters[sr[0]];
      // Per pixel column, the most the count reached there.
      var cols = [], keys = [];
      for (var i = i0; i <= i1; i++) {
        var px = Math.floor(x(i * bin));
        if (cols[px] === undefined) { cols[px] = a[i]; keys.push(px); } else if (a[i] > cols[px]) cols[px] = a[i];
      }
      var d = '';
      keys.forEach(function (px, j) {
        var yy = l.y + l.h - (cols[px] / max) * (l.h - 2);
        var next = j + 1 < keys.length ? keys[j + 1] : Math.min(x(Math.min(data.span, (i1 + 1) * bin)), x.range()[1]);
        d += (j ? 'L' : 'M') + px + ',' + yy.toFixed(1) + 'H' + next;
      });
      if (!d) return;
      var path = l.g.append('path').attr('data-series', sr[0]).attr('fill', 'none').attr('stroke', C[sr[0]]).attr('stroke-width', 1.5).attr('d', d);
      if (sr[0] === 'heapGoal') path.attr('stroke-dasharray', '4,3');
      if (k === 0 && !l.bytes) l.g.append('path').attr('d', d + 'V' + (l.y + l.h) + 'H' + keys[0] + 'Z').attr('fill', C[sr[0]]).attr('opacity', 0.25);
    });
    l.g.append('text').attr('class', 'lane-label').attr('x', LABEL + 4).attr('y', l.y + 10).text('max ' + (l.bytes ? fmtBytes(max) : max));
  }

  function drawMarks() {
    marksG.selectAll('*').remove();
    data.findings.forEach(function (m) {
      var g = marksG.append('g').attr('class', 'finding-mark').attr('data-finding', m.n);
      g.append('title').text(m.n + '. ' + m.title);
      m.segments.forEach(function (sg, k) {
        var ls = sg.lane === 'P*' ? lanes.filter(function (l) { return l.kind === 'proc'; }) : [laneById[sg.lane]].filter(Boolean);
        if (!ls.length) return;
        var y0 = ls[0].y - 2, y1 = ls[ls.length - 1].y + ls[ls.length - 1].h + 2;
        var xa = x(sg.s), xb = Math.max(x(sg.e), xa + 2);
        g.append('rect').attr('data-lane', sg.lane).attr('x', xa).attr('y', y0).attr('width', xb - xa).attr('height', y1 - y0);
        if (k === 0) g.append('text').attr('x', Math.max(xa, LABEL) + 2).attr('y', y0 + 10).text(m.n);
      });
    });
  }

  var drawnRuns = 0;
  function draw() {
    var t0 = performance.now();
    drawnRuns = 0;
    lanes.forEach(function (l) {
      l.g.selectAll('*').remove();
      if (l.kind === 'proc') {
        var p = l.proc;
        drawnRuns += drawIntervals(l.g, p.runs, l, l.y + 3, l.h - 8, function (i) { return data.colours[p.runs.f[i]]; }, 'run',
          function (i) { return 'G' + p.runs.g[i] + ' ' + data.fns[p.runs.f[i]]; });
        drawIntervals(l.g, p.sys, l, l.y + l.h - 5, 4, function () { return C.syscall; }, 'syscall');
        // CPU samples: a tick per pixel column that has any.
        var dom = x.domain(), bin = data.binNs, d = '';
        var seen = {};
        for (var i = Math.max(0, Math.floor(dom[0] / bin)); i < p.samples.length && i * bin <= dom[1]; i++) {
          if (!p.samples[i]) continue;
          var px = Math.floor(x((i + 0.5) * bin));
          if (seen[px]) continue;
          seen[px] = 1;
          d += 'M' + px + ',' + l.y + 'v3';
        }
        if (d) l.g.append('path').attr('class', 'samples').attr('d', d).attr('stroke', C.sample).attr('stroke-width', 1);
      } else if (l.kind === 'range') {
        drawIntervals(l.g, l.track, l, l.y + 1, l.h - 2, function () { return l.colour; }, l.id === 'GC' ? 'gc' : 'stw');
      } else drawCounter(l);
    });
    drawMarks();
    var ticks = Math.max(2, Math.floor((W - LABEL) / 110));
    // Tick labels as precise as the ticks are close: a unit for the span into the trace, decimals for the step.
    var tv = x.ticks(ticks), step = tv.length > 1 ? tv[1] - tv[0] : 1;
    var last = offset0 + x.domain()[1];
    var unit = last >= 1e9 ? [1e9, 's'] : last >= 1e6 ? [1e6, 'ms'] : last >= 1e3 ? [1e3, 'µs'] : [1, 'ns'];
    var dec = Math.max(0, Math.min(9, Math.ceil(-Math.log10(step / unit[0]) - 1e-9)));
    topAxis.call(d3.axisTop(x).tickValues(tv).tickFormat(function (t) { return ((offset0 + t) / unit[0]).toFixed(dec) + ' ' + unit[1]; }));
    if (!isNaN(wall0)) {
      var wdec = Math.max(3, Math.min(9, Math.ceil(-Math.log10(step / 1e9) - 1e-9)));
      bottomAxis.call(d3.axisBottom(x).tickValues(tv).tickFormat(function (t) { return wallAt(t, wdec); }));
    }
    var dom = x.domain();
    document.getElementById('status').textContent = 'showing ' + fmt(dom[1] - dom[0]) + ' from ' + into(dom[0]) + (isNaN(wall0) ? '' : ' (' + wallAt(dom[0]) + ' UTC)') +
      '; ' + drawnRuns + ' runs drawn one by one, the rest as density (drawn in ' + Math.round(performance.now() - t0) + ' ms)';
    svg.attr('data-drawn-runs', drawnRuns);
  }

  // Zoom and pan: down to 50 µs across (runs kept whole are exact at any zoom; density bins then show as blocks).
  var maxK = Math.max(1, data.span / 50e3);
  var pending = false;
  var zoom = d3.zoom().scaleExtent([1, maxK]).extent([[LABEL, 0], [W - 8, H]]).translateExtent([[LABEL, 0], [W - 8, H]])
    .on('zoom', function (ev) {
      x = ev.transform.rescaleX(x0);
      tip.style.display = 'none';
      if (pending) return;
      pending = true;
      requestAnimationFrame(function () { pending = false; draw(); });
    });
  svg.call(zoom);
  document.getElementById('reset').addEventListener('click', function () { svg.call(zoom.transform, d3.zoomIdentity); });

  // Hover: what is under the pointer.
  function laneAt(py) { for (var i = 0; i < lanes.length; i++) if (py >= lanes[i].y && py < lanes[i].y + lanes[i].h) return lanes[i]; return null; }
  function hoverText(target, px, py) {
    var mark = target.closest && target.closest('.finding-mark');
    var l = laneAt(py);
    var lines = [];
    if (mark) {
      var m = data.findings.filter(function (f) { return String(f.n) === mark.getAttribute('data-finding'); })[0];
      if (m) lines.push('finding ' + m.n + ' (' + m.severity + '): ' + m.title);
    }
    var t = x.invert(px);
    if (l && l.kind === 'proc') {
      var r = l.proc.runs, i = lowerBound(r.s, t + 1) - 1;
      if (target.getAttribute('data-i') !== null && target.classList.contains('run')) i = Number(target.getAttribute('data-i'));
      if (i >= 0 && r.s[i] <= t + (x.invert(px + 1) - t) && r.e[i] >= t) {
        lines.push('goroutine ' + r.g[i] + ' (' + (data.fns[r.f[i]] || 'start function unknown') + ') on ' + l.label,
          'ran ' + into(r.s[i]) + ' → ' + fmt(offset0 + r.e[i]) + ' (' + fmt(r.e[i] - r.s[i]) + ')');
        var st = data.stacks[r.k[i]];
        if (st && st.length) lines.push('stopped with:', '  ' + st.join('\n  ')); else lines.push('stopped with: no stack (still running at the window\'s end, or none recorded)');
      } else if (target.classList && target.classList.contains('density')) {
        lines.push(l.label + ': runs too short to draw one by one at this zoom (grey: share of the time busy); zoom in to see them');
      } else lines.push(l.label + ' at ' + into(t) + ': idle or between runs');
    } else if (l && l.kind === 'counter') {
      var bin = Math.min(Math.max(0, Math.floor(t / data.binNs)), data.counters[l.series[0][0]].length - 1);
      lines.push(l.label + ' at ' + into(t) + ': ' + l.series.map(function (sr) { var v = data.counters[sr[0]][bin]; return sr[1] + ' ' + (l.bytes ? fmtBytes(v) : v); }).join(', '));
    } else if (l && l.kind === 'range') {
      var tr = l.track, j = lowerBound(tr.s, t + 1) - 1;
      if (j >= 0 && tr.e[j] >= t) lines.push((tr.n ? tr.n[j] : 'GC cycle') + ': ' + into(tr.s[j]) + ' for ' + fmt(tr.e[j] - tr.s[j]));
      else lines.push(l.label + ' at ' + into(t) + ': none');
    }
    return lines.join('\n');
  }
  svg.on('mousemove', function (ev) {
    var pt = d3.pointer(ev, svg.node());
    if (pt[0] < LABEL) { tip.style.display = 'none'; return; }
    var text = hoverText(ev.target, pt[0], pt[1]);
    if (!text) { tip.style.display = 'none'; return; }
    tip.textContent = text;
    tip.style.display = 'block';
    tip.style.left = Math.min(ev.clientX + 14, window.innerWidth - tip.offsetWidth - 8) + 'px';
    tip.style.top = (ev.clientY + 14) + 'px';
  });
  svg.on('mouseleave', function () { tip.style.display = 'none'; });

  // Legend: the start functions with the most time drawn, and what the other marks mean.
  var legend = document.getElementById('legend');
  var byFn = {};
  data.procs.forEach(function (p) { for (var i = 0; i < p.runs.s.length; i++) byFn[p.runs.f[i]] = (byFn[p.runs.f[i]] || 0) + p.runs.e[i] - p.runs.s[i]; });
  function swatch(colour, text) { var it = el('span', null, 'legend-item'); var sw = el('span', null, 'swatch'); sw.style.background = colour; it.appendChild(sw); it.appendChild(el('span', text)); legend.appendChild(it); }
  Object.keys(byFn).sort(function (a, b) { return byFn[b] - byFn[a]; }).slice(0, 12).forEach(function (f) { swatch(data.colours[f], data.fns[f] || '(unknown start function)'); });
  swatch(C.density, 'runs too short to draw at this zoom (height: share busy)');
  swatch(C.syscall, 'syscall');
  swatch(C.sample, 'CPU sample (tick)');
  swatch('#f4f4f4', 'P idle');
  swatch(C.finding, 'finding');

  var list = document.getElementById('findings');
  data.findings.concat(data.other).sort(function (a, b) { return a.n - b.n; }).forEach(function (f) {
    var marked = data.findings.indexOf(f) >= 0;
    var li = el('li', f.severity.toUpperCase() + ' ' + f.title + (marked ? '' : ' (not marked: no time of its own, or outside this window)'));
    li.value = f.n;
    li.setAttribute('data-finding-item', f.n);
    list.appendChild(li);
  });

  draw();
  window.stallscopeTimeline = {
    /** Shows [a, b] (ns from the window's start), as a zoom would. */
    zoomTo: function (a, b) {
      var k = Math.min(maxK, data.span / Math.max(1, b - a));
      var t = d3.zoomIdentity.translate(LABEL - k * x0(a), 0).scale(k);
      svg.call(zoom.transform, t);
      draw();
    },
    drawnRuns: function () { return drawnRuns; },
    domain: function () { return x.domain(); },
  };
  document.body.setAttribute('data-ready', '1');
})();
`;
