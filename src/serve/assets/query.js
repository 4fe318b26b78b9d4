// The query page: runs the editor's SPARQL against /sparql and shows the rows;
// downloads the same results as CSV or JSON. No libraries.
"use strict";
(function () {
  const form = document.getElementById("query-form");
  const editor = document.getElementById("sparql");
  const cookbook = document.getElementById("cookbook");
  const status = document.getElementById("status");
  const results = document.getElementById("results");
  const entityPrefix = "https://w3id.org/govkg/id/";

  cookbook.addEventListener("change", () => { editor.value = cookbook.value; });

  function post(format) {
    const body = new URLSearchParams({ query: editor.value });
    if (format) body.set("format", format);
    return fetch("/sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json, text/turtle;q=0.9",
      },
      body,
    });
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri" && term.value.startsWith(entityPrefix)) {
      const a = document.createElement("a");
      a.href = "/entity?iri=" + encodeURIComponent(term.value);
      a.textContent = term.value.slice(entityPrefix.length);
      td.appendChild(a);
    } else {
      td.textContent = term.value;
    }
    return td;
  }

  function show(json) {
    results.replaceChildren();
    if ("boolean" in json) { results.textContent = String(json.boolean); return; }
    const vars = json.head.vars;
    const table = document.createElement("table");
    const head = table.createTHead().insertRow();
    for (const v of vars) { const th = document.createElement("th"); th.textContent = v; head.appendChild(th); }
    const body = table.createTBody();
    for (const b of json.results.bindings) {
      const tr = body.insertRow();
      for (const v of vars) tr.appendChild(cell(b[v]));
    }
    results.appendChild(table);
    status.textContent = json.results.bindings.length + " rows";
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    status.textContent = "running…";
    const started = performance.now();
    try {
      const response = await post(null);
      const type = response.headers.get("Content-Type") || "";
      if (!response.ok) {
        status.textContent = "error " + response.status + ": " + (await response.text());
        results.replaceChildren();
      } else if (type.includes("json")) {
        show(await response.json());
        status.textContent += " in " + Math.round(performance.now() - started) + " ms";
      } else {
        const pre = document.createElement("pre");
        pre.textContent = await response.text();
        results.replaceChildren(pre);
        status.textContent = "graph result";
      }
    } catch (e) {
      status.textContent = "request failed: " + e;
    }
  });

  async function download(format, name) {
    const response = await post(format);
    if (!response.ok) { status.textContent = "error " + response.status + ": " + (await response.text()); return; }
    const url = URL.createObjectURL(await response.blob());
    const a = document.createElement("a");
    a.href = url; a.download = name;
    document.body.appendChild(a); a.click(); a.remove();
    URL.revokeObjectURL(url);
  }
  document.getElementById("download-csv").addEventListener("click", () => download("csv", "results.csv"));
  document.getElementById("download-json").addEventListener("click", () => download("json", "results.json"));
})();
