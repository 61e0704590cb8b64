/** The dashboard page. Every value is filled in by page-script.ts from the JSON API. */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>codecarbon dashboard</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/uPlot.min.css">
<link rel="stylesheet" href="/assets/dashboard.css">
<script src="/assets/uPlot.iife.min.js" defer></script>
<script src="/assets/dashboard.js" defer></script>
</head>
<body>
<header class="top">
  <div class="brand">
    <span class="logo" aria-hidden="true"></span>
    <h1>codecarbon <span>dashboard</span></h1>
  </div>
  <div class="filters">
    <label>Project
      <select id="project" data-testid="project-filter"><option value="">All projects</option></select>
    </label>
    <label>Experiment
      <select id="experiment" data-testid="experiment-filter"><option value="">All experiments</option></select>
    </label>
  </div>
  <div class="status" id="status" data-testid="status"></div>
</header>

<main>
  <section class="cards" aria-label="Totals">
    <div class="card accent"><h2>Emissions</h2><p data-testid="total-emissions" id="total-emissions">–</p><small id="total-emissions-note">CO2eq</small></div>
    <div class="card"><h2>Energy</h2><p data-testid="total-energy" id="total-energy">–</p><small id="total-energy-note">PUE included</small></div>
    <div class="card"><h2>Runs</h2><p data-testid="total-runs" id="total-runs">–</p><small id="total-projects">–</small></div>
    <div class="card"><h2>Duration</h2><p data-testid="total-duration" id="total-duration">–</p><small>all runs together</small></div>
    <div class="card"><h2>Carbon intensity</h2><p data-testid="total-intensity" id="total-intensity">–</p><small>emissions ÷ energy</small></div>
  </section>

  <section class="panel equivalents" aria-label="Everyday equivalents">
    <h2>In everyday terms</h2>
    <ul id="equivalents" data-testid="equivalents"></ul>
  </section>

  <section class="grid two">
    <div class="panel"><h2>Emissions over time <small id="series-note"></small></h2><div id="chart-emissions" class="chart" data-testid="chart-emissions"></div></div>
    <div class="panel"><h2>Energy over time</h2><div id="chart-energy" class="chart" data-testid="chart-energy"></div></div>
  </section>

  <section class="grid two">
    <div class="panel"><h2>Energy by component</h2><div id="components" data-testid="components"></div></div>
    <div class="panel"><h2>Where the electricity came from</h2><table id="locations" data-testid="locations"></table></div>
  </section>

  <section class="panel">
    <h2>Projects</h2>
    <table id="projects" data-testid="projects"></table>
  </section>

  <section class="panel">
    <h2>Runs <small id="runs-count" data-testid="runs-count"></small></h2>
    <table id="runs" class="clickable" data-testid="runs"></table>
    <div class="pager">
      <button type="button" id="previous-page">‹ Newer</button>
      <span id="page-range"></span>
      <button type="button" id="next-page">Older ›</button>
    </div>
  </section>

  <section class="panel" id="issues-panel" hidden>
    <h2>Reading notes <small>rows skipped or read with a repair</small></h2>
    <ul id="issues" class="issues" data-testid="issues"></ul>
  </section>

  <footer id="footer">Times are as written in the files (the writer's local time); a run counts at the time it ended.</footer>
</main>

<div id="backdrop" class="backdrop" hidden></div>
<aside id="run-detail" class="drawer" data-testid="run-detail" hidden aria-label="Run details">
  <header><h2 id="detail-title">Run</h2><button type="button" id="close-detail" aria-label="Close">×</button></header>
  <div id="detail-body"></div>
</aside>
</body>
</html>
`;
