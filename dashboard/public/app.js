// Plume dashboard: a small single page over the REST API, charts with ECharts (global `echarts`).
// Routes: #/ (campaigns), #/campaigns/<id> (one campaign, live), #/query (read-only SQL).
/* global sessionStorage, prompt, clearInterval */

const main = document.getElementById('main');
// What the server allows (mutations need PLUME_API_TOKEN); read before the first page renders.
let health = { mutations: false };
const healthReady = fetch('/api/health')
  .then((r) => r.json())
  .then((h) => (health = h));
let timers = [];
let charts = [];

const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const fmt = (v, d = 3) =>
  v === null || v === undefined || Number.isNaN(v)
    ? '–'
    : typeof v === 'number'
      ? Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0)
        ? v.toExponential(2)
        : +v.toFixed(d)
      : esc(v);
const dur = (s) =>
  s === null || s === undefined ? '–' : s < 90 ? `${Math.round(s)} s` : s < 5400 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`;

async function api(path, init) {
  const res = await fetch(path, init);
  const body = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
  if (!res.ok) throw new Error(body?.message ?? `${res.status} ${res.statusText}`);
  return body;
}

function reset() {
  timers.forEach(clearInterval);
  timers = [];
  charts.forEach((c) => c.dispose());
  charts = [];
}

function chart(id, option) {
  const el = document.getElementById(id);
  if (!el) return null;
  let c = echarts.getInstanceByDom(el);
  if (!c) {
    c = echarts.init(el, null, { renderer: 'canvas' });
    charts.push(c);
    c.on('finished', () => el.setAttribute('data-rendered', '1'));
  }
  c.setOption({ animation: false, tooltip: { trigger: 'axis' }, grid: { left: 60, right: 24, top: 40, bottom: 40 }, ...option }, true);
  return c;
}

window.addEventListener('resize', () => charts.forEach((c) => c.resize()));

function badge(status) {
  return `<span class="badge ${esc(status)}">${esc(status)}</span>`;
}

function bar(done, failed, total) {
  const d = total ? (100 * done) / total : 0;
  const f = total ? (100 * failed) / total : 0;
  return `<div class="bar" title="${done} done, ${failed} failed of ${total}"><div class="done" style="width:${d}%"></div><div class="fail" style="width:${f}%"></div></div>`;
}

// ---------------------------------------------------------------- campaign list
async function listPage() {
  main.innerHTML = `<h1>Campaigns</h1><p class="muted" id="list-note"></p><table id="campaigns"><thead><tr>
    <th>Campaign</th><th>Kind</th><th>Status</th><th>Progress</th><th class="num">Done</th><th class="num">Failed</th><th class="num">Total</th><th>Created</th></tr></thead><tbody></tbody></table>`;
  const load = async () => {
    const { campaigns, total } = await api('/api/campaigns?limit=200');
    document.getElementById('list-note').textContent = `${total} campaign${total === 1 ? '' : 's'}`;
    document.querySelector('#campaigns tbody').innerHTML =
      campaigns
        .map(
          (c) => `<tr data-id="${esc(c.id)}"><td><a href="#/campaigns/${encodeURIComponent(c.id)}">${esc(c.name)}</a><div class="muted">${esc(c.id)}</div></td>
        <td>${esc(c.kind)}</td><td>${badge(c.status)}</td><td>${bar(c.completedRuns, c.failedRuns, c.totalRuns)}</td>
        <td class="num">${c.completedRuns}</td><td class="num">${c.failedRuns}</td><td class="num">${c.totalRuns}</td>
        <td>${new Date(c.createdAt).toLocaleString()}</td></tr>`,
        )
        .join('') || '<tr><td colspan="8" class="muted">No campaigns yet: <code>plume launch spec.yaml</code></td></tr>';
  };
  await load();
  timers.push(setInterval(() => load().catch(() => {}), 3000));
}

// ---------------------------------------------------------------- one campaign
function token() {
  let t = sessionStorage.getItem('plume-token');
  if (!t) {
    t = prompt('PLUME_API_TOKEN (needed to change a campaign):') ?? '';
    if (t) sessionStorage.setItem('plume-token', t);
  }
  return t;
}

async function act(id, action) {
  try {
    await api(`/api/campaigns/${encodeURIComponent(id)}/${action}`, { method: 'POST', headers: { authorization: `Bearer ${token()}` } });
  } catch (e) {
    if (/token/.test(e.message)) sessionStorage.removeItem('plume-token');
    flash(e.message);
  }
}

function flash(msg) {
  const el = document.getElementById('flash');
  if (el) el.innerHTML = `<div class="flash">${esc(msg)}</div>`;
}

async function campaignPage(id) {
  comparedSignature = null;
  const c = await api(`/api/campaigns/${encodeURIComponent(id)}`);
  main.innerHTML = `
    <h1>${esc(c.name)} <span id="campaign-status">${badge(c.status)}</span></h1>
    <div class="muted">${esc(c.id)} · ${esc(c.kind)} · seed ${esc(c.seed)} ${c.temporalUrl ? `· <a id="temporal-link" href="${esc(c.temporalUrl)}" target="_blank" rel="noopener">workflow in Temporal UI</a>` : ''}</div>
    <div class="actions" id="actions" style="margin-top:8px"></div>
    <div id="flash"></div>
    <div id="headline"></div>
    <div class="cards">
      <div class="card"><div class="v" id="progress-done">–</div><div class="k">runs done</div></div>
      <div class="card"><div class="v" id="progress-failed">–</div><div class="k">failed</div></div>
      <div class="card"><div class="v" id="progress-running">–</div><div class="k">running</div></div>
      <div class="card"><div class="v" id="progress-total">–</div><div class="k">total</div></div>
      <div class="card"><div class="v" id="progress-rate">–</div><div class="k">runs / s</div></div>
      <div class="card"><div class="v" id="progress-eta">–</div><div class="k">ETA</div></div>
    </div>
    <div id="progress-bar"></div>
    <div id="in-flight"></div>
    <div class="grid2"><div id="chart-throughput" class="chart"></div><div id="chart-progress" class="chart"></div></div>
    <div id="failures"></div>
    <div id="results"></div>
    <h2>Runs</h2>
    <div class="muted">status <select id="runs-filter"><option value="">all</option>${['completed', 'failed', 'running', 'pending', 'cancelled'].map((x) => `<option>${x}</option>`).join('')}</select>
      order <select id="runs-order"><option value="index">run index</option><option value="-duration">slowest first</option><option value="-finished">latest first</option></select> <span id="runs-note"></span></div>
    <table id="runs-table"><thead><tr><th class="num">Run</th><th>Status</th><th class="num">Duration</th><th>Worker</th><th>Backend</th><th>Parameters</th><th>Error</th></tr></thead><tbody></tbody></table>`;
  const actionsBox = document.getElementById('actions');
  actionsBox.addEventListener('click', (e) => {
    const b = e.target.closest('[data-act]');
    if (b) act(id, b.dataset.act).then(refresh);
  });
  const loadRuns = async () => {
    const st = document.getElementById('runs-filter').value;
    const order = document.getElementById('runs-order').value;
    const r = await api(`/api/campaigns/${encodeURIComponent(id)}/runs?limit=200&order=${order}${st ? `&status=${st}` : ''}`);
    document.getElementById('runs-note').textContent = `${r.runs.length} of ${r.total} runs shown`;
    document.querySelector('#runs-table tbody').innerHTML = r.runs
      .map(
        (
          x,
        ) => `<tr data-run="${x.runIndex}"><td class="num">${x.runIndex}</td><td>${badge(x.status)}</td><td class="num">${x.durationMs === null ? '–' : `${fmt(x.durationMs, 0)} ms`}</td>
        <td>${esc(x.worker)}</td><td>${esc(x.backend)}</td><td><code>${esc(compactParams(x.params))}</code></td><td>${x.error ? `<span class="err">${esc(String(x.error).slice(0, 120))}</span>` : ''}</td></tr>`,
      )
      .join('');
  };
  document.getElementById('runs-filter').addEventListener('change', () => loadRuns().catch((e) => flash(e.message)));
  document.getElementById('runs-order').addEventListener('change', () => loadRuns().catch((e) => flash(e.message)));
  loadRuns().catch(() => {});

  let last = null;
  async function refresh() {
    const p = await api(`/api/campaigns/${encodeURIComponent(id)}/progress`);
    document.getElementById('campaign-status').innerHTML = badge(p.status);
    document.getElementById('progress-done').textContent = p.counts.completed;
    document.getElementById('progress-failed').textContent = p.counts.failed;
    document.getElementById('progress-running').textContent = p.counts.running;
    document.getElementById('progress-total').textContent = p.counts.total;
    document.getElementById('progress-rate').textContent = p.runsPerSecond === null ? '–' : fmt(p.runsPerSecond, 2);
    document.getElementById('progress-eta').textContent = p.status === 'completed' ? 'done' : dur(p.etaSeconds);
    document.getElementById('progress-bar').innerHTML = bar(p.counts.completed, p.counts.failed, p.counts.total);
    // What the running batches report now (a training's epoch and loss, an inversion's best J, ...).
    document.getElementById('in-flight').innerHTML = p.inFlight?.length
      ? `<div class="muted">Now running</div><ul class="in-flight">${p.inFlight.map((w) => `<li>${esc(w.text)}</li>`).join('')}</ul>`
      : '';
    const t = p.throughput.map((s) => s.at);
    chart('chart-throughput', {
      title: { text: 'Throughput (runs/s)', textStyle: { fontSize: 13 } },
      xAxis: { type: 'time' },
      yAxis: { type: 'value', name: 'runs/s' },
      series: [{ type: 'line', name: 'runs/s', showSymbol: false, areaStyle: { opacity: 0.15 }, data: p.throughput.map((s) => [s.at, s.runsPerSecond]) }],
    });
    chart('chart-progress', {
      title: { text: 'Finished runs over time', textStyle: { fontSize: 13 } },
      legend: { top: 8, right: 10 },
      xAxis: { type: 'time' },
      yAxis: { type: 'value', max: p.counts.total || undefined },
      series: [
        { type: 'line', name: 'completed', showSymbol: false, color: '#1f9d55', data: p.throughput.map((s) => [s.at, s.completed]) },
        { type: 'line', name: 'failed', showSymbol: false, color: '#d64545', data: p.throughput.map((s) => [s.at, s.failed]) },
      ],
    });
    void t;
    document.getElementById('failures').innerHTML = p.failures.length
      ? `<h2>Failures (${p.counts.failed})</h2><table><thead><tr><th class="num">Run</th><th>Error</th><th>Finished</th></tr></thead><tbody>${p.failures
          .map(
            (f) =>
              `<tr><td class="num">${f.runIndex}</td><td><pre class="err">${esc(f.error)}</pre></td><td>${f.finishedAt ? new Date(f.finishedAt).toLocaleTimeString() : ''}</td></tr>`,
          )
          .join('')}</tbody></table>`
      : '';
    const finished = !['running', 'pending', 'paused'].includes(p.status);
    actionsBox.innerHTML = actionButtons(p.status, p.counts.failed + (p.counts.cancelled ?? 0));
    if (c.kind === 'pipeline' || (finished && last !== 'finished')) await headline(id).catch(() => {});
    if (finished && last !== 'finished') {
      last = 'finished';
      loadRuns().catch(() => {});
      await results(id).catch((e) => flash(e.message));
    } else if (!finished && last === null) {
      last = 'active';
      await results(id).catch(() => {});
    }
  }
  await refresh();
  timers.push(setInterval(() => refresh().catch(() => {}), 1500));
}

// Only the buttons that can act on this status, and none on a read-only server (no PLUME_API_TOKEN).
function actionButtons(status, retryable) {
  if (!health.mutations) return '<span class="muted">read-only: set PLUME_API_TOKEN on the server to pause, resume or cancel</span>';
  const b = [];
  if (status === 'running' || status === 'pending') b.push('<button data-act="pause">Pause</button>');
  if (status === 'paused') b.push('<button data-act="resume">Resume</button>');
  if ((status === 'failed' || status === 'cancelled' || status === 'completed') && retryable > 0)
    b.push('<button data-act="retry-failed">Retry failed</button>');
  if (['running', 'pending', 'paused'].includes(status)) b.push('<button class="danger" data-act="cancel">Cancel</button>');
  return b.join('');
}

function compactParams(p) {
  if (!p || typeof p !== 'object') return '';
  return Object.entries(p)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? fmt(v) : Array.isArray(v) ? `[${v.length}]` : typeof v === 'object' && v !== null ? '{…}' : v}`)
    .join(' ')
    .slice(0, 160);
}

function headlineTable(t) {
  return `<h3 style="font-size:14px;margin:12px 0 4px">${esc(t.title)}</h3><table id="headline-${esc(t.id)}" class="headline"><thead><tr>${t.headers
    .map((h, k) => `<th${k ? ' class="num"' : ''}>${esc(h)}</th>`)
    .join(
      '',
    )}</tr></thead><tbody>${t.rows.map((r) => `<tr>${r.map((v, k) => `<td${k ? ' class="num"' : ''}>${esc(v)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

function headlineHtml(h) {
  const facts = h.facts.length
    ? `<div class="facts">${h.facts.map((f) => `<span class="fact"><span class="k">${esc(f.label)}</span> ${esc(f.value)}</span>`).join('')}</div>`
    : '';
  const notes = h.notes.map((n) => `<div class="muted">${esc(n)}</div>`).join('');
  const stages = (h.stages ?? [])
    .map(
      (
        s,
      ) => `<div class="stage"><a class="stage-link" data-stage="${esc(s.campaignId)}" href="#/campaigns/${encodeURIComponent(s.campaignId)}">${esc(s.label)}</a> ${badge(s.status)}
      ${s.headline ? `<div class="facts">${s.headline.facts.map((f) => `<span class="fact"><span class="k">${esc(f.label)}</span> ${esc(f.value)}</span>`).join('')}</div>` : ''}</div>`,
    )
    .join('');
  // Comparison tables (train models, inversion methods) side by side when there are several.
  const tables =
    h.tables.length > 1 ? `<div class="grid2">${h.tables.map((t) => `<div>${headlineTable(t)}</div>`).join('')}</div>` : h.tables.map(headlineTable).join('');
  return `<h2>Headline results</h2>${facts}${notes}${stages ? `<h3 style="font-size:14px">Stages</h3>${stages}` : ''}${tables}`;
}

// Side by side: two rows of a comparison table (train: models, inversion: method x NPC), one column each.
const COMPARABLE = { table3: 2, methods: 3 };

function comparisonHtml(t) {
  const keyCols = t.headers[0] === 'variant' ? COMPARABLE[t.id] + 1 : COMPARABLE[t.id];
  const label = (r) => r.slice(0, keyCols).join(' · ');
  const opts = (sel) => t.rows.map((r, k) => `<option value="${k}"${k === sel ? ' selected' : ''}>${esc(label(r))}</option>`).join('');
  return `<h3 style="font-size:14px;margin:12px 0 4px">Compare side by side</h3><div class="muted">
    <select id="compare-a" data-table="${esc(t.id)}">${opts(0)}</select> vs <select id="compare-b" data-table="${esc(t.id)}">${opts(Math.min(1, t.rows.length - 1))}</select></div>
    <table id="compare-table" class="headline"><tbody></tbody></table>`;
}

function drawComparison(t) {
  const keyCols = t.headers[0] === 'variant' ? COMPARABLE[t.id] + 1 : COMPARABLE[t.id];
  const a = t.rows[Number(document.getElementById('compare-a').value)];
  const b = t.rows[Number(document.getElementById('compare-b').value)];
  const head = `<tr><th></th><th class="num">${esc(a.slice(0, keyCols).join(' · '))}</th><th class="num">${esc(b.slice(0, keyCols).join(' · '))}</th></tr>`;
  const body = t.headers
    .slice(keyCols)
    .map((h, k) => `<tr><td>${esc(h)}</td><td class="num">${esc(a[keyCols + k])}</td><td class="num">${esc(b[keyCols + k])}</td></tr>`);
  document.querySelector('#compare-table tbody').innerHTML = head + body.join('');
}

let comparedSignature = null;
async function headline(id) {
  const h = await api(`/api/campaigns/${encodeURIComponent(id)}/summary`);
  const box = document.getElementById('headline');
  if (!box) return;
  // Keep the page (and the comparison choice) when nothing changed.
  const signature = JSON.stringify(h);
  if (signature === comparedSignature) return;
  comparedSignature = signature;
  const t = h.tables.find((x) => COMPARABLE[x.id] && x.rows.length >= 2);
  box.innerHTML = headlineHtml(h) + (t ? comparisonHtml(t) : '');
  if (t) {
    drawComparison(t);
    for (const sel of ['compare-a', 'compare-b']) document.getElementById(sel).addEventListener('change', () => drawComparison(t));
  }
}

// ---------------------------------------------------------------- results
async function results(id) {
  const enc = encodeURIComponent(id);
  const [models, preds, dists, inv] = await Promise.all([
    api(`/api/campaigns/${enc}/models`),
    api(`/api/campaigns/${enc}/predictions?limit=50`),
    api(`/api/campaigns/${enc}/distributions`),
    api(`/api/campaigns/${enc}/inversion`),
  ]);
  const parts = [];
  if (models.comparisons.length) {
    parts.push(`<h2>Model comparison</h2><p class="muted">mean ± std over repeats; p: Welch's two-sided t-test against the best architecture</p>`);
    for (const t of models.comparisons) {
      parts.push(`<h3 style="font-size:14px;margin:12px 0 4px">${esc(t.metric)} · ${esc(t.split || 'all')}${t.variable ? ` · ${esc(t.variable)}` : ''} <span class="muted">(${t.higherIsBetter ? 'higher' : 'lower'} is better)</span></h3>
        <table class="comparison"><thead><tr><th>Architecture</th><th class="num">n</th><th class="num">mean ± std</th><th class="num">p vs best</th></tr></thead><tbody>${t.entries
          .map(
            (e) =>
              `<tr><td>${e.best ? '★ ' : ''}${esc(e.arch)}</td><td class="num">${e.n}</td><td class="num">${fmt(e.mean, 4)} ± ${fmt(e.std, 4)}</td><td class="num">${e.pValue === null ? '–' : e.pValue < 1e-4 ? e.pValue.toExponential(1) : e.pValue.toFixed(4)}</td></tr>`,
          )
          .join('')}</tbody></table>`);
    }
  }
  if (preds.meanSeries.length) parts.push(`<h2>Mean time series</h2><div id="chart-series" class="chart"></div>`);
  if (preds.predictions.length)
    parts.push(`<h2>Spatial maps</h2><div class="muted">run <select id="map-run"></select></div><div class="grid2" id="maps"></div>`);
  if (dists.distributions.length)
    parts.push(
      `<h2>Monte-Carlo distributions</h2><div class="grid2">${dists.distributions.map((_, k) => `<div id="chart-dist-${k}" class="chart small"></div>`).join('')}</div>`,
    );
  if (inv.convergence.length) {
    parts.push(`<h2>Inversion</h2><div class="grid2"><div id="chart-convergence" class="chart"></div><div id="chart-param-errors" class="chart"></div></div><div class="grid2"><div id="chart-parity" class="chart"></div></div>
      <table><thead><tr><th>Method</th><th class="num">NPC</th><th class="num">n</th><th class="num">objective</th><th class="num">forward calls</th><th class="num">valid RMSE</th><th class="num">valid R²</th></tr></thead><tbody>${inv.summary
        .map(
          (s) =>
            `<tr><td>${esc(s.method)}${s.variant ? ` (${esc(s.variant)})` : ''}</td><td class="num">${s.npc}</td><td class="num">${s.n}</td><td class="num">${fmt(s.objective_mean)} ± ${fmt(s.objective_std)}</td><td class="num">${fmt(s.forward_calls_mean, 0)}</td><td class="num">${fmt(s.valid_rmse_mean)}</td><td class="num">${fmt(s.valid_r2_mean)}</td></tr>`,
        )
        .join('')}</tbody></table>`);
  }
  const figs = await api(`/api/campaigns/${enc}/figures`).catch(() => ({ figures: [] }));
  if (figs.figures.length) {
    parts.unshift(
      `<h2>Figures</h2><div id="report-figures" class="grid2">${figs.figures
        .map(
          (f) =>
            `<figure><img src="${esc(f.url)}" alt="${esc(f.caption)}" style="max-width:100%"><figcaption class="muted">${esc(f.caption)}</figcaption></figure>`,
        )
        .join('')}</div>`,
    );
  }
  document.getElementById('results').innerHTML = parts.join('');

  if (preds.meanSeries.length) {
    chart('chart-series', {
      title: { text: 'Mean time series (averaged over runs)', textStyle: { fontSize: 13 } },
      legend: { top: 8, right: 10 },
      xAxis: { type: 'value', name: 'time step' },
      yAxis: { type: 'value', scale: true },
      series: preds.meanSeries.map((s) => ({
        type: 'line',
        name: `${s.source} · ${s.variable}`,
        showSymbol: false,
        lineStyle: s.source === 'truth' ? { width: 3, color: '#000' } : undefined,
        data: s.series.map((v, k) => [k, v]),
      })),
    });
  }
  if (preds.predictions.length) {
    const runs = [...new Set(preds.predictions.map((p) => p.run_index))];
    const sel = document.getElementById('map-run');
    sel.innerHTML = runs.map((r) => `<option>${r}</option>`).join('');
    const draw = () => maps(preds.predictions.filter((p) => String(p.run_index) === sel.value));
    sel.addEventListener('change', draw);
    draw();
  }
  dists.distributions.forEach((d, k) =>
    chart(`chart-dist-${k}`, {
      title: { text: `${d.name}  (n=${d.n}, mean ${fmt(d.mean)}, sd ${fmt(d.std)})`, textStyle: { fontSize: 12 } },
      tooltip: { trigger: 'item' },
      xAxis: { type: 'value', scale: true },
      yAxis: { type: 'value', name: 'runs' },
      series: [
        {
          type: 'bar',
          barWidth: '99%',
          data: d.bins.map((b) => [(b.from + b.to) / 2, b.count]),
          markLine: {
            symbol: 'none',
            label: { formatter: (x) => `q${Math.round(x.data.q * 100)}` },
            data: d.quantiles.map((q) => ({ xAxis: q.value, q: q.q })),
          },
        },
      ],
    }),
  );
  if (inv.convergence.length) {
    chart('chart-convergence', {
      title: { text: 'Convergence: log10 objective vs iteration', textStyle: { fontSize: 13 } },
      legend: { type: 'scroll', top: 24 },
      grid: { left: 60, right: 24, top: 70, bottom: 40 },
      xAxis: { type: 'value', name: 'iteration' },
      yAxis: { type: 'value', name: 'log10 objective', scale: true },
      series: inv.convergence.map((c) => ({
        type: 'line',
        name: `${c.method} NPC=${c.npc}${c.variant ? ` ${c.variant}` : ''}`,
        showSymbol: false,
        data: c.log10Objective.map((v, k) => [k, v]),
      })),
    });
    const methods = inv.parameterErrors.map((m) => m.method);
    const nParams = Math.max(0, ...inv.parameterErrors.map((m) => m.parameters.length));
    chart('chart-param-errors', {
      title: { text: 'Per-parameter error (estimate − truth): median and 5–95 %', textStyle: { fontSize: 13 } },
      legend: { top: 24 },
      grid: { left: 60, right: 24, top: 60, bottom: 40 },
      tooltip: { trigger: 'item' },
      xAxis: { type: 'category', data: Array.from({ length: nParams }, (_, k) => `p${k}`) },
      yAxis: { type: 'value', scale: true },
      series: methods.flatMap((m, i) => {
        const ps = inv.parameterErrors[i].parameters;
        const q = (p, qq) => p.quantiles?.find((x) => x.q === qq)?.value ?? null;
        return [{ type: 'boxplot', name: m, data: ps.map((p) => [q(p, 0.05), q(p, 0.25), q(p, 0.5), q(p, 0.75), q(p, 0.95)]) }];
      }),
    });
    chart('chart-parity', {
      title: { text: 'Estimated vs true parameters', textStyle: { fontSize: 13 } },
      legend: { top: 24 },
      tooltip: { trigger: 'item' },
      grid: { left: 60, right: 24, top: 60, bottom: 40 },
      xAxis: { type: 'value', name: 'true', scale: true },
      yAxis: { type: 'value', name: 'estimated', scale: true },
      series: [...new Set(inv.parity.map((p) => p.method))].map((m) => ({
        type: 'scatter',
        name: m,
        symbolSize: 5,
        data: inv.parity.filter((p) => p.method === m).flatMap((p) => p.truth.map((t, k) => [t, p.estimate[k]])),
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { type: 'dashed', color: '#999' },
          data: [
            [
              { coord: [0, 0], xAxis: 'min', yAxis: 'min' },
              { xAxis: 'max', yAxis: 'max' },
            ],
          ],
        },
      })),
    });
  }
}

async function maps(rows) {
  const box = document.getElementById('maps');
  box.innerHTML = '';
  for (const p of rows) {
    const truthId = p.summary?.truthArtifactId ?? p.summary?.truth_artifact_id ?? null;
    const [pred, truth] = await Promise.all([
      api(`/api/artifacts/${p.artifact_id}/slice`).catch(() => null),
      truthId ? api(`/api/artifacts/${truthId}/slice`).catch(() => null) : null,
    ]);
    if (!pred) continue;
    const panels = [];
    if (truth) panels.push(['truth', truth.values]);
    panels.push([`prediction${p.arch ? ` (${p.arch})` : ''}`, pred.values]);
    if (truth && truth.values.length === pred.values.length) panels.push(['error (prediction − truth)', pred.values.map((v, k) => v - truth.values[k])]);
    for (const [label, values] of panels) {
      const id = `map-${p.run_index}-${p.variable}-${label.split(' ')[0]}`.replace(/[^A-Za-z0-9-]/g, '_');
      box.insertAdjacentHTML('beforeend', `<div id="${id}" class="chart"></div>`);
      const data = [];
      for (let i = 0; i < pred.rows; i++) for (let j = 0; j < pred.cols; j++) data.push([j, pred.rows - 1 - i, values[i * pred.cols + j]]);
      const finite = values.filter(Number.isFinite);
      const lo = Math.min(...finite);
      const hi = Math.max(...finite);
      const isErr = label.startsWith('error');
      const m = Math.max(Math.abs(lo), Math.abs(hi));
      chart(id, {
        title: { text: `${p.variable}: ${label}`, textStyle: { fontSize: 12 } },
        tooltip: { trigger: 'item' },
        grid: { left: 30, right: 80, top: 36, bottom: 24 },
        xAxis: { type: 'category', show: false, data: Array.from({ length: pred.cols }, (_, k) => k) },
        yAxis: { type: 'category', show: false, data: Array.from({ length: pred.rows }, (_, k) => k) },
        visualMap: {
          min: isErr ? -m : lo,
          max: isErr ? m : hi === lo ? lo + 1 : hi,
          right: 0,
          top: 'middle',
          precision: 3,
          calculable: true,
          inRange: { color: isErr ? ['#2166ac', '#f7f7f7', '#b2182b'] : ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'] },
        },
        series: [{ type: 'heatmap', data }],
      });
    }
  }
}

// ---------------------------------------------------------------- query
function queryPage() {
  main.innerHTML = `<h1>Query</h1><p class="muted">Read-only SQL. Views: <code>v_runs</code>, <code>v_model_metrics</code>, <code>v_inversion_summary</code>.</p>
    <textarea id="sql">select kind, status, count(*) as runs, avg(duration_ms) as mean_ms from v_runs group by kind, status order by kind, status</textarea>
    <p><button id="run">Run</button> <span class="muted" id="qinfo"></span></p><div id="flash"></div><div id="qout"></div>`;
  document.getElementById('run').addEventListener('click', async () => {
    document.getElementById('flash').innerHTML = '';
    try {
      const r = await api('/api/query', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sql: document.getElementById('sql').value }),
      });
      document.getElementById('qinfo').textContent =
        `${r.rows.length} rows${r.truncated ? ` (truncated at ${r.rowLimit})` : ''}, ${Math.round(r.elapsedMs)} ms`;
      document.getElementById('qout').innerHTML = `<table><thead><tr>${r.fields.map((f) => `<th>${esc(f)}</th>`).join('')}</tr></thead><tbody>${r.rows
        .map(
          (row) =>
            `<tr>${r.fields.map((f) => `<td>${esc(typeof row[f] === 'object' && row[f] !== null ? JSON.stringify(row[f]) : row[f])}</td>`).join('')}</tr>`,
        )
        .join('')}</tbody></table>`;
    } catch (e) {
      flash(e.message);
    }
  });
}

// ---------------------------------------------------------------- router
async function route() {
  reset();
  const h = location.hash || '#/';
  const m = /^#\/campaigns\/(.+)$/.exec(h);
  try {
    if (m) await campaignPage(decodeURIComponent(m[1]));
    else if (h === '#/query') queryPage();
    else await listPage();
  } catch (e) {
    main.innerHTML = `<div class="flash">${esc(e.message)}</div>`;
  }
}

window.addEventListener('hashchange', route);
if (location.pathname.startsWith('/campaigns/')) location.replace(`/#${location.pathname}`);
else healthReady.catch(() => {}).then(route);
healthReady
  .then(
    (h) =>
      (document.getElementById('conn').textContent = `${h.driver}${h.temporal ? ' · temporal' : ''}${h.mutations ? '' : ' · read-only (no PLUME_API_TOKEN)'}`),
  )
  .catch(() => {});
