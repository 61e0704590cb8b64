/** The dashboard's styles: light, quiet, numbers in tabular figures. */
export const PAGE_STYLES = `
:root {
  --bg: #f4f6f5; --panel: #fff; --ink: #1d2a26; --muted: #60706a; --line: #e2e8e5;
  --accent: #17805c; --accent-soft: #e3f3ec; --warn: #9a5b00; --warn-soft: #fff4e0;
  --cpu: #3d5a80; --gpu: #ee6c4d; --ram: #98c1d9;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; }
h1, h2 { margin: 0; font-weight: 600; }
h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin-bottom: 10px; }
h2 small { text-transform: none; letter-spacing: 0; font-weight: 400; margin-left: 6px; }
small { color: var(--muted); }

.top { display: flex; align-items: center; gap: 24px; flex-wrap: wrap; padding: 14px 28px;
  background: var(--panel); border-bottom: 1px solid var(--line); position: sticky; top: 0; z-index: 5; }
.brand { display: flex; align-items: center; gap: 10px; }
.brand h1 { font-size: 18px; }
.brand h1 span { color: var(--muted); font-weight: 400; }
.logo { width: 22px; height: 22px; border-radius: 50% 50% 50% 0; background: var(--accent); transform: rotate(-45deg); }
.filters { display: flex; gap: 16px; flex-wrap: wrap; }
.filters label { display: flex; align-items: center; gap: 8px; color: var(--muted); }
select { font: inherit; color: var(--ink); padding: 5px 8px; border: 1px solid var(--line); border-radius: 6px; background: #fff; min-width: 170px; max-width: 240px; }
.status { margin-left: auto; color: var(--muted); font-size: 13px; text-align: right; }
.status button { font: inherit; color: var(--warn); background: var(--warn-soft); border: 0; border-radius: 999px; padding: 2px 10px; cursor: pointer; margin-left: 8px; }

main { max-width: 1400px; margin: 0 auto; padding: 22px 28px 40px; display: grid; gap: 18px; }
.panel, .card { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; }
.cards { display: grid; grid-template-columns: repeat(5, minmax(0, 1fr)); gap: 14px; }
.card h2 { margin-bottom: 4px; }
.card p { font-size: 26px; font-weight: 600; margin: 0; font-variant-numeric: tabular-nums; }
.card.accent { background: var(--accent-soft); border-color: #c5e6d7; }
.card.accent p { color: var(--accent); }
.grid.two { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 18px; }
@media (max-width: 1000px) { .cards { grid-template-columns: repeat(2, 1fr); } .grid.two { grid-template-columns: 1fr; } }

.equivalents ul { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 10px 28px; }
.equivalents li strong { font-size: 18px; font-variant-numeric: tabular-nums; }
.equivalents li small { display: block; }
.equivalents a { color: var(--muted); }

.chart { min-height: 260px; }
.chart .empty, .empty { color: var(--muted); padding: 20px 0; }
.u-legend { font-size: 12px; }

.bar { display: flex; height: 18px; border-radius: 5px; overflow: hidden; background: var(--line); margin: 4px 0 12px; }
.bar span { display: block; height: 100%; }
.legend { display: grid; grid-template-columns: auto 1fr auto auto; gap: 4px 12px; align-items: center; font-variant-numeric: tabular-nums; }
.swatch { width: 10px; height: 10px; border-radius: 2px; display: inline-block; }
.legend .num { text-align: right; }
.per-group { display: grid; grid-template-columns: minmax(90px, max-content) 1fr auto; gap: 6px 12px; align-items: center; margin-top: 18px; font-size: 13px; }
.per-group .bar.thin { height: 8px; margin: 0; }
.per-group .group-name { color: var(--muted); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; max-width: 220px; }
.per-group .num { text-align: right; font-variant-numeric: tabular-nums; }

table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 7px 10px; border-bottom: 1px solid var(--line); text-align: left; }
th, td.num, td.nowrap { white-space: nowrap; }
.panel { overflow-x: auto; }
th { font-size: 12px; color: var(--muted); font-weight: 600; background: #fafbfa; position: relative; }
td.num, th.num { text-align: right; }
tr.sub td:first-child { padding-left: 26px; color: var(--muted); }
tr.total td { font-weight: 600; border-top: 2px solid var(--line); }
table.clickable tbody tr { cursor: pointer; }
table.clickable tbody tr:hover, tr.selected { background: var(--accent-soft); }
th.sortable { cursor: pointer; user-select: none; }
th.sortable:hover { color: var(--ink); }
th[aria-sort="ascending"]::after { content: " ▲"; font-size: 10px; }
th[aria-sort="descending"]::after { content: " ▼"; font-size: 10px; }
a.project-link { color: var(--accent); text-decoration: none; cursor: pointer; }
a.project-link:hover { text-decoration: underline; }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }

.pager { display: flex; align-items: center; justify-content: flex-end; gap: 12px; margin-top: 10px; color: var(--muted); }
.pager button { font: inherit; padding: 4px 12px; border: 1px solid var(--line); border-radius: 6px; background: #fff; cursor: pointer; }
.pager button:disabled { opacity: .4; cursor: default; }

.issues { margin: 0; padding-left: 18px; max-height: 240px; overflow: auto; font-size: 13px; }
.issues .where { color: var(--warn); }

footer { color: var(--muted); font-size: 12px; text-align: center; }

.backdrop { position: fixed; inset: 0; background: rgba(20, 30, 26, .25); z-index: 20; }
.drawer { position: fixed; top: 0; right: 0; bottom: 0; width: min(560px, 100%); background: var(--panel);
  box-shadow: -8px 0 30px rgba(0, 0, 0, .12); z-index: 21; overflow: auto; padding: 18px 22px 30px; }
.drawer > header { display: flex; align-items: center; justify-content: space-between; margin-bottom: 12px; }
.drawer > header h2 { font-size: 16px; text-transform: none; letter-spacing: 0; color: var(--ink); margin: 0; }
.drawer > header button { font-size: 24px; line-height: 1; border: 0; background: none; cursor: pointer; color: var(--muted); }
.drawer h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 18px 0 6px; }
.drawer dl { display: grid; grid-template-columns: 170px 1fr; gap: 5px 12px; margin: 0; }
.drawer dt { color: var(--muted); }
.drawer dd { margin: 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
[hidden] { display: none !important; }
`;
