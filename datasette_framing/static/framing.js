// datasette-framing pages: progressive enhancement only (every page works without it).
//  - sortable tables: click or press Enter on a column header of a .framing-sortable table;
//  - keyboard tooltips: focusing an element with a title shows it, since browsers show titles on hover only.
// No globals, no network, no third-party code.

function cellValue(cell) {
  const raw = cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
  const n = Number(raw);
  return raw !== "" && !Number.isNaN(n) ? { num: true, v: n } : { num: false, v: raw.toLowerCase(), empty: raw === "" };
}

function sortTable(table, index, header) {
  const body = table.tBodies[0];
  if (!body) return;
  const ascending = header.getAttribute("aria-sort") !== "ascending";
  const rows = Array.from(body.rows).filter((r) => r.cells.length > index);
  rows.sort((a, b) => {
    const x = cellValue(a.cells[index]);
    const y = cellValue(b.cells[index]);
    if (x.empty !== y.empty) return x.empty ? 1 : -1; // blanks last either way
    let c = x.num && y.num ? x.v - y.v : String(x.v).localeCompare(String(y.v));
    return ascending ? c : -c;
  });
  rows.forEach((r) => body.appendChild(r));
  for (const th of header.parentElement.children) th.removeAttribute("aria-sort");
  header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
}

function enableSorting() {
  for (const table of document.querySelectorAll("table.framing-sortable")) {
    const headers = table.tHead ? Array.from(table.tHead.rows[0].cells) : [];
    headers.forEach((th, index) => {
      th.tabIndex = 0;
      th.title = th.title || "Sort by this column";
      const go = (event) => {
        event.preventDefault();
        sortTable(table, index, th);
      };
      th.addEventListener("click", go);
      th.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") go(event);
      });
    });
  }
}

function enableFocusTips() {
  const tip = document.createElement("div");
  tip.className = "framing-tip";
  tip.setAttribute("role", "tooltip");
  tip.hidden = true;
  document.body.appendChild(tip);
  const show = (el) => {
    const text = el.getAttribute("title") || el.dataset.tip;
    if (!text) return;
    tip.textContent = text; // text only: never parsed as HTML
    tip.hidden = false;
    const r = el.getBoundingClientRect();
    tip.style.left = `${Math.max(4, window.scrollX + r.left)}px`;
    tip.style.top = `${window.scrollY + r.bottom + 6}px`;
  };
  document.addEventListener("focusin", (e) => {
    const el = e.target.closest && e.target.closest(".framing-s, .framing-mention, .framing-quote");
    if (el) show(el);
  });
  document.addEventListener("focusout", () => {
    tip.hidden = true;
  });
}

function init() {
  if (!document.body.classList.contains("framing")) return;
  enableSorting();
  enableFocusTips();
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
else init();
