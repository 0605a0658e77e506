// Accord compatibility matrix page. Every string from a report reaches the DOM through
// textContent or an attribute set with setAttribute: never innerHTML, so it stays text.
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("matrix-data").textContent);
  var M = DATA.matrix, PAGE = DATA.page;
  var GOOD = {pass: 1, xpass: 1}, BAD = {fail: 1, error: 1, timeout: 1, crashed: 1, xfail: 1};
  var STATE = {
    full: ["✔", "full"], partial: ["◐", "partial"], none: ["✘", "none"], "not-claimed": ["–", "not claimed"],
    "not-applicable": ["–", "n/a"], "not-run": ["○", "not run"], absent: ["·", "not in spec"],
    broken: ["⚠", "adapter broken"], excused: ["◇", "adapter/spec findings only"]
  };
  var STATUS = {
    pass: "✔", xpass: "✔", fail: "✘", error: "✘", timeout: "✘", crashed: "✘", xfail: "✘",
    skipped: "–", "not-applicable": "–", "not-claimed": "–", "not-run": "○"
  };
  var LEVELS = ["MUST", "SHOULD", "MAY"];
  var state = {family: "", version: "", levels: {MUST: true, SHOULD: true, MAY: true}, diff: false, open: {},
               allReleases: false};
  var OLDER = PAGE.older || {};  // column id of a superseded backend release -> the newest release's column

  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === "text") el.textContent = attrs[k];
        else if (k === "class") el.className = attrs[k];
        else if (k.slice(0, 2) === "on") el.addEventListener(k.slice(2), attrs[k]);
        else if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) el.setAttribute(k, attrs[k]);
      });
    }
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }
  function append(el, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(el, c); }); return; }
    el.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
  function show(value) { return typeof value === "string" ? value : JSON.stringify(value, null, 1); }
  function safeLink(url) { return /^https?:\/\//i.test(url || "") ? url : null; }
  function levelKey() { return LEVELS.filter(function (l) { return state.levels[l]; }).join("+"); }

  function specLink(family, version, rid) {
    var docs = PAGE.spec_docs[family + "/" + version];
    if (!docs) return null;
    return docs + "#" + encodeURIComponent(rid);
  }
  function ridNode(family, version, rid) {
    var href = specLink(family, version, rid);
    return href ? h("a", {class: "rid", href: href, title: "requirement in the rendered spec", text: rid})
                : h("span", {class: "rid", text: rid});
  }

  function cellText(cell) {
    var s = STATE[cell.state], text = s[1];
    if (cell.state === "partial") text += " " + cell.passed + " of " + cell.total;
    else if (cell.state === "full" || cell.state === "none") text += " " + cell.passed + "/" + cell.total;
    if (cell.not_run && cell.state !== "not-run" && cell.state !== "broken") text += " · " + cell.not_run + " not run";
    if (cell.excused) text += cell.state === "excused" ? " (" + cell.excused + ")" : " · " + cell.excused + " adapter/spec";
    return [h("span", {class: "ico", "aria-hidden": "true", text: s[0]}), text];
  }
  function cellKey(cell) { return cell.state + ":" + cell.passed + "/" + cell.total; }

  // ---------------------------------------------------------------- toolbar
  function select(label, id, values, onchange) {
    var sel = h("select", {id: id, onchange: function () { onchange(sel.value); render(); }},
      h("option", {value: "", text: "all"}),
      values.map(function (v) { return h("option", {value: v, text: v}); }));
    return h("label", null, label, sel);
  }
  function toolbar() {
    var families = M.families.map(function (f) { return f.family; });
    var versions = [];
    M.families.forEach(function (f) { f.specs.forEach(function (s) { if (versions.indexOf(s.version) < 0) versions.push(s.version); }); });
    var levels = h("span", {class: "levels", role: "group", "aria-label": "requirement levels"},
      LEVELS.map(function (l) {
        return h("label", {"class": "lvl-" + l},
          h("input", {type: "checkbox", id: "level-" + l, checked: "checked",
                      onchange: function (e) { state.levels[l] = e.target.checked; render(); }}), l);
      }));
    var diff = h("label", null, h("input", {type: "checkbox", id: "only-diff",
      onchange: function (e) { state.diff = e.target.checked; render(); }}), "only differences");
    var expand = h("button", {type: "button", id: "expand-all", onclick: function () {
      var any = Object.keys(state.open).some(function (k) { return state.open[k]; });
      document.querySelectorAll("tr.group").forEach(function (tr) { state.open[tr.dataset.key] = !any; });
      render();
    }, text: "expand / collapse all"});
    return h("div", {class: "toolbar", role: "toolbar"},
      select("Family", "filter-family", families, function (v) { state.family = v; }),
      select("Spec version", "filter-version", versions, function (v) { state.version = v; }),
      h("span", null, h("span", {class: "sr", text: "Level "}), levels), diff,
      Object.keys(OLDER).length ? h("label", {title: "older releases of a backend are shown in History below"},
        h("input", {type: "checkbox", id: "all-releases", onchange: function (e) { state.allReleases = e.target.checked; render(); }}),
        "all releases") : null, expand,
      h("span", {class: "count", id: "visible-count"}));
  }

  function legend() {
    var items = ["full", "partial", "none", "not-claimed", "not-run", "broken", "excused", "absent"].map(function (k) {
      return h("span", {class: "swatch st-" + k}, h("span", {class: "ico", text: STATE[k][0]}), " " + STATE[k][1]);
    });
    return h("div", {class: "legend", id: "legend"}, h("b", {text: "Legend"}), items,
      h("span", {class: "swatch st-xfail", text: "✘ xfail = declared known failure (counts as failure)"}),
      h("span", {class: "swatch st-pass shim-swatch", text: "✔ pass via adapter shim = the adapter wraps, replaces or emulates the backend function"}),
      h("span", {text: "Column headers count the backend's findings (root causes); adapter and spec findings are shown as such."}),
      h("span", {text: "Cells count requirements with a verdict; click a cell for failures and repro commands, a column header for the backend."}),
      PAGE.spec_index ? h("a", {id: "spec-index", href: PAGE.spec_index, text: "Read the rendered spec →"}) : null);
  }

  function notices() {
    var out = [];
    if (M.skipped.length) {
      out.push(h("div", {class: "notice", id: "skipped"}, h("b", {text: "Skipped invalid reports (" + M.skipped.length + ")"}),
        h("ul", null, M.skipped.map(function (s) { return h("li", {class: "mono", text: s}); }))));
    }
    var mixed = [];
    M.families.forEach(function (f) { f.columns.forEach(function (c) { if (c.mixed) mixed.push(c); }); });
    if (mixed.length) {
      out.push(h("div", {class: "notice", id: "mixed"}, h("b", {text: "Mixed spec contents. "}),
        "Some reports claim the same spec version with different content digests; their columns are marked MIXED and show the digest. Compare them with care."));
    }
    return out;
  }

  // ---------------------------------------------------------------- matrix tables
  function visibleColumns(fam) {
    return fam.columns.filter(function (c) {
      return (!state.version || c.spec_version === state.version) && (state.allReleases || !OLDER[c.id]);
    });
  }
  function groupCell(fam, col, cap) { return PAGE.cells[fam.family][col.id][levelKey()][cap]; }

  function scoreRow(fam, cols, level) {
    return h("tr", {class: "score", "data-level": level},
      h("th", {scope: "row", text: level === "all" ? "all selected levels" : level + " score"}),
      cols.map(function (c) {
        var s = level === "all" ? PAGE.scores[fam.family][c.id][levelKey()] : c.scores[level];
        if (c.broken) return h("td", {class: "st-broken"}, h("span", {class: "ico", text: "⚠"}), " adapter broken");
        if (s.percent === null) return h("td", {text: "—", title: "no requirement of this level reached a verdict"});
        var cls = "bar" + (s.percent < 50 ? " low" : s.percent < 100 ? " mid" : "");
        var bar = h("div", {class: cls}, h("i"));
        bar.firstChild.style.width = s.percent + "%";
        return h("td", {title: s.passed + " of " + s.total + " passed" + (s.not_run ? ", " + s.not_run + " not run" : "")},
          h("span", {class: "pct", text: s.percent + " %"}), h("span", {class: "frac", text: s.passed + "/" + s.total}), bar);
      }));
  }

  function familyTable(fam) {
    var cols = visibleColumns(fam);
    var section = h("section", {class: "family", id: "family-" + fam.family, "data-family": fam.family});
    section.appendChild(h("h2", {text: fam.family}));
    section.appendChild(h("div", {class: "sub", text: fam.specs.map(function (s) {
      return "spec " + s.version + " (" + s.status + ", " + s.digest.slice(7, 19) + ")"; }).join(" · ") +
      " · " + fam.columns.length + " backend runs"}));
    var older = fam.columns.filter(function (c) { return OLDER[c.id]; }).length;
    if (older && !state.allReleases) section.appendChild(h("div", {class: "sub older-note"}, "Showing the newest release " +
      "of each backend per spec version; " + older + " older release(s) are in ", h("a", {href: "#history", text: "History"}),
      " below (or tick “all releases”)."));
    if (!cols.length) { section.appendChild(h("p", {text: "No backend run of this spec version."})); return section; }
    // header: spec version groups, then backend@version columns
    var followed = {};  // spec version -> "Name revision, …" (manifest `standards`)
    fam.specs.forEach(function (s) {
      followed[s.version] = (s.standards || []).map(function (x) { return x.name + " " + x.revision; }).join(", ");
    });
    var groups = [];
    cols.forEach(function (c) {
      var key = c.spec_version + (c.mixed ? " · " + c.spec_digest.slice(7, 19) : "");
      if (groups.length && groups[groups.length - 1].key === key) groups[groups.length - 1].n++;
      else groups.push({key: key, n: 1, mixed: c.mixed, follows: followed[c.spec_version] || ""});
    });
    var thead = h("thead", null,
      h("tr", {class: "specs"}, h("th", {class: "corner", rowspan: "2", text: "Capability group / requirement"}),
        groups.map(function (g) {
          return h("th", {colspan: String(g.n), title: g.follows ? "follows " + g.follows : null},
            "spec " + g.key + (g.mixed ? " (mixed)" : ""),
            g.follows ? h("span", {class: "follows", text: " · " + g.follows}) : null);
        })),
      h("tr", {class: "cols"}, cols.map(function (c) {
        return h("th", {scope: "col", class: "colhead", "data-col": c.id, tabindex: "0", title: "backend details and badge",
                        onclick: function () { openColumn(fam, c); }},
          h("span", {class: "colname", text: c.adapter}),
          h("span", {class: "colver", text: c.backend.version === null ? "version unknown" : c.backend.version}),
          c.is_reference ? h("span", {class: "tag ref", text: "reference"}) : null,
          c.mixed ? h("span", {class: "tag mixed", text: "mixed " + c.spec_digest.slice(7, 15)}) : null,
          c.broken ? h("span", {class: "tag broken", text: "broken"}) : null,
          c.state !== "complete" ? h("span", {class: "tag partialrun", text: c.state}) : null,
          findingsTag(c),
          PAGE.column_badge[c.id] ? h("button", {class: "badge-btn", type: "button", "data-col": c.id,
            title: "badge and embed snippets", text: "badge",
            onclick: function (e) { e.stopPropagation(); openBadge(fam, c); }}) : null);
      })));
    var tbody = h("tbody");
    ["MUST", "SHOULD", "MAY", "all"].forEach(function (l) {
      if (l === "all" ? levelKey() : state.levels[l]) tbody.appendChild(scoreRow(fam, cols, l));
    });
    var shown = 0;
    fam.capabilities.forEach(function (cap) {
      var reqs = fam.requirements.filter(function (r) { return r.capability === cap.id && state.levels[r.level]; });
      if (!reqs.length) return;
      var cells = cols.map(function (c) { return groupCell(fam, c, cap.id); });
      var differs = cells.some(function (x) { return cellKey(x) !== cellKey(cells[0]); });
      var reqRows = reqs.map(function (r) {
        var statuses = cols.map(function (c) { return c.results[r.id] ? c.results[r.id].status : "absent"; });
        return {req: r, statuses: statuses, differs: statuses.some(function (s) { return s !== statuses[0]; })};
      });
      if (state.diff && !differs && !reqRows.some(function (x) { return x.differs; })) return;
      shown++;
      var key = fam.family + "/" + cap.id, open = !!state.open[key];
      var toggle = h("button", {class: "toggle", type: "button", "aria-expanded": open ? "true" : "false",
        "aria-label": "show requirements", text: open ? "▾" : "▸",
        onclick: function () { state.open[key] = !open; render(); }});
      tbody.appendChild(h("tr", {class: "group", "data-key": key, "data-cap": cap.id},
        h("th", {scope: "row"}, toggle, cap.title, h("span", {class: "n", text: reqs.length + " req."}),
          cap.section ? h("span", {class: "section", text: cap.section}) : null),
        cols.map(function (c, i) {
          var cell = cells[i];
          return h("td", {class: "cell st-" + cell.state, "data-col": c.id, "data-cap": cap.id, "data-state": cell.state,
                          tabindex: cell.state === "absent" ? null : "0",
                          onclick: cell.state === "absent" ? null : function () { openCell(fam, c, cap, reqs); }},
            cellText(cell));
        })));
      if (!open) return;
      reqRows.forEach(function (row) {
        if (state.diff && !row.differs) return;
        var r = row.req;
        tbody.appendChild(h("tr", {class: "req", "data-req": r.id, "data-level": r.level},
          h("th", {scope: "row"}, ridNode(fam.family, newestVersion(fam, r), r.id), h("span", {class: "lvl " + r.level, text: r.level}),
            r.feature ? h("span", {class: "tag partialrun", text: "feature " + r.feature}) : null,
            h("span", {class: "summary", text: r.summary})),
          cols.map(function (c, i) {
            var st = row.statuses[i], res = c.results[r.id];
            var shim = res && res.shims && res.shims.length && GOOD[st];
            return h("td", {class: "cell st-" + st + (shim ? " via-shim" : "") + (res && res.cause ? " cause-" + res.cause : ""),
                            "data-col": c.id, "data-req": r.id, "data-state": st,
                            title: shim ? "passes through the adapter's shim for " + res.shims.join(", ") : null,
                            onclick: st === "absent" ? null : function () { openCell(fam, c, cap, [r]); }},
              h("span", {class: "ico", text: STATUS[st] || "·"}),
              st === "absent" ? "not in spec" : shim ? st + " via adapter shim" : st,
              res && res.cause ? h("span", {class: "tag cause", text: res.cause}) : null);
          })));
      });
    });
    if (!shown) tbody.appendChild(h("tr", null, h("td", {colspan: String(cols.length + 1), class: "empty",
      text: state.diff ? "No differences between the shown backends." : "No requirement of the selected levels."})));
    section.appendChild(h("table", {class: "matrix"}, thead, tbody));
    return section;
  }
  // the newest spec version holding the requirement whose rendered spec is published
  function newestVersion(fam, req) {
    for (var i = req.spec_versions.length - 1; i >= 0; i--) {
      if (PAGE.spec_docs[fam.family + "/" + req.spec_versions[i]]) return req.spec_versions[i];
    }
    return req.spec_versions[req.spec_versions.length - 1];
  }

  // ---------------------------------------------------------------- details panel
  var panel, panelBody;
  function openPanel(title, sub, content) {
    while (panelBody.firstChild) panelBody.removeChild(panelBody.firstChild);
    append(panelBody, [h("h2", {text: title}), h("div", {class: "sub", text: sub}), content]);
    panel.classList.add("open");
    panel.setAttribute("aria-hidden", "false");
    panel.querySelector("button.close").focus();
  }
  function closePanel() { panel.classList.remove("open"); panel.setAttribute("aria-hidden", "true"); }

  // navigator.clipboard where the page may use it; else (file:// pages lack a secure context, or the
  // browser refuses) select the text in a readonly field and execCommand("copy"); if that fails too,
  // the text stays selected for Ctrl+C.
  function copyText(text, button, field) {
    function done(ok) { button.textContent = ok ? "copied" : "press Ctrl+C"; button.setAttribute("data-copied", ok ? "clipboard" : "selected"); }
    function fallback() {
      var tmp = field ? null : h("textarea", {readonly: "readonly", class: "copy-buffer", "aria-hidden": "true"});
      var el = field || tmp, ok = false;
      if (tmp) { tmp.value = text; document.body.appendChild(tmp); }
      el.focus();
      el.select();
      try { ok = document.execCommand("copy"); } catch (err) { ok = false; }
      if (tmp) document.body.removeChild(tmp);
      if (ok) button.setAttribute("data-via", "execCommand");
      done(ok);
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { button.setAttribute("data-via", "clipboard"); done(true); }, fallback);
    } else fallback();
  }
  function copyButton(text, field, attrs) {
    var button = h("button", Object.assign({class: "btn copy", type: "button", title: "copy to clipboard", text: "copy"}, attrs || {}));
    button.addEventListener("click", function (e) { e.stopPropagation(); copyText(text, button, field); });
    return button;
  }
  function finding(fam, col, req, res) {
    var d = res.declared;
    var rows = [];
    ["counterexample", "expected", "actual", "snippet"].forEach(function (k) {
      if (res[k] !== undefined) rows.push(h("dt", {text: k === "snippet" ? "reproduce in backend terms" : k}),
                                          h("dd", null, h("pre", {class: "v-" + k, text: show(res[k])})));
    });
    return h("div", {class: "finding" + (res.status === "xfail" ? " xfail" : res.status === "xpass" ? " xpass" : ""), "data-req": req.id},
      h("div", {class: "head"}, h("span", {class: "status st-" + res.status, text: res.status}),
        ridNode(fam.family, col.spec_version, req.id), h("span", {class: "lvl " + res.level, text: res.level})),
      h("div", {class: "summary", text: req.summary}),
      d ? h("div", {class: "declared"}, h("b", {text: res.status === "xfail" ? "Declared known failure: " : "Declared known failure, but it passed: "}),
            d.reason, d.link ? [" — ", safeLink(d.link) ? h("a", {href: d.link, rel: "noopener noreferrer", text: d.link})
                                                    : h("span", {class: "mono", text: d.link})] : null) : null,
      res.message ? h("div", {class: "msg", text: res.message}) : null,
      res.cause ? h("div", {class: "declared"}, h("b", {text: "Not held against the backend: "}),
                    "every failure here is a finding of the " + res.cause + ".") : null,
      res.shims && res.shims.length ? h("div", {class: "declared shim-note"},
        h("b", {text: "Runs through an adapter shim: "}), res.shims.join(", ")) : null,
      res.findings && res.findings.length ? h("div", {class: "case-list"}, h("b", {text: "Findings: "}),
        res.findings.map(function (c) {
          return h("span", {class: "mono case", "data-finding": c.finding || ""},
                   (c.finding || "?") + (c.input_class ? " [" + c.input_class + "]" : "") + " ");
        })) : null,
      rows.length ? h("dl", null, rows) : null,
      res.repro ? h("div", {class: "repro"}, h("code", {text: res.repro}), copyButton(res.repro)) : null);
  }
  function openCell(fam, col, cap, reqs) {
    var failing = [], lists = {};
    reqs.forEach(function (r) {
      var res = col.results[r.id];
      if (!res) return;
      if (BAD[res.status] || res.status === "xpass") failing.push(finding(fam, col, r, res));
      if (!BAD[res.status]) (lists[res.status] = lists[res.status] || []).push(r.id);
    });
    var content = [];
    if (col.broken) content.push(h("div", {class: "notice"}, h("b", {text: "Adapter broken: "}), col.broken));
    content.push(failing.length ? h("div", {class: "findings"}, failing)
                                : h("p", {text: "No failing requirement here."}));
    Object.keys(lists).forEach(function (st) {
      content.push(h("div", {class: "others"}, h("b", {text: st + " (" + lists[st].length + ")"}),
        h("ul", null, lists[st].map(function (id) { return h("li", null, ridNode(fam.family, col.spec_version, id)); }))));
    });
    openPanel(col.label + " — " + (reqs.length === 1 ? reqs[0].id : cap.title),
              fam.family + " spec " + col.spec_version + (col.mixed ? " (mixed digest " + col.spec_digest.slice(7, 19) + ")" : "") +
              " · backend package " + col.backend.package, content);
  }
  // ---------------------------------------------------------------- findings (root causes) per backend
  function findingsTag(col) {
    var n = col.finding_counts;
    if (!n || !(n.backend || n.adapter || n.spec)) return null;
    var text = n.backend + " finding" + (n.backend === 1 ? "" : "s");
    if (n.adapter) text += " +" + n.adapter + " adapter";
    if (n.spec) text += " +" + n.spec + " spec";
    return h("span", {class: "tag findings", "data-backend-findings": String(n.backend),
                      title: "root causes: only backend findings count against the backend", text: text});
  }
  function rootCause(fam, col, f) {
    var rows = [];
    [["counterexample", f.counterexample], ["expected", f.expected], ["actual", f.actual],
     ["reproduce in backend terms", f.snippet]].forEach(function (p) {
      if (p[1] !== undefined) rows.push(h("dt", {text: p[0]}), h("dd", null, h("pre", {class: "v-" + p[0].split(" ")[0], text: show(p[1])})));
    });
    return h("div", {class: "finding rootcause cause-" + f.cause, "data-finding": f.id, "data-cause": f.cause},
      h("div", {class: "head"}, h("span", {class: "mono fid", text: f.id}),
        h("span", {class: "tag cause", text: f.cause}), f.level ? h("span", {class: "lvl " + f.level, text: f.level}) : null,
        f.declared ? h("span", {class: "tag partialrun", text: "declared"}) : null),
      h("div", {class: "msg", text: f.title}),
      h("div", {class: "reqs"}, h("b", {text: f.requirements.length + " requirement(s): "}),
        f.requirements.map(function (rid) { return [ridNode(fam.family, col.spec_version, rid), " "]; })),
      f.classes && f.classes.length ? h("div", {class: "sub", text: "input classes: " + f.classes.join(", ")}) : null,
      h("div", {class: "sub spec-text", text: f.spec_text}),
      rows.length ? h("dl", null, rows) : null);
  }
  function findingsView(fam, col) {
    var list = col.findings || [];
    if (!list.length) return null;
    var n = col.finding_counts;
    return h("div", {class: "findings-view", id: "findings"},
      h("h3", {text: "Findings (" + n.backend + " backend" + (n.adapter ? ", " + n.adapter + " adapter" : "") +
                     (n.spec ? ", " + n.spec + " spec" : "") + ")"}),
      h("p", {class: "sub", text: "Root causes behind this column's failures. Adapter and spec findings are shown as such and not counted against the backend."}),
      list.map(function (f) { return rootCause(fam, col, f); }));
  }
  function openColumn(fam, col) {
    var badge = PAGE.badges[col.id];
    var kv = [["backend package", col.backend.package], ["backend version", col.backend.version || "unknown"],
              ["spec", fam.family + " " + col.spec_version + " · " + col.spec_digest], ["run state", col.state],
              ["claims", col.claims.join(", ") || "none"], ["platform", Object.keys(col.platform).map(function (k) {
                return k + " " + col.platform[k]; }).join(" · ")]];
    var content = [
      col.broken ? h("div", {class: "notice"}, h("b", {text: "Adapter broken: "}), col.broken) : null,
      h("div", {class: "finding"}, h("dl", null, kv.map(function (p) { return [h("dt", {text: p[0]}), h("dd", {text: p[1]})]; }))),
      col.expected_failures.length ? h("div", {class: "others"}, h("b", {text: "Declared known failures"}),
        h("ul", null, col.expected_failures.map(function (x) { return h("li", null, h("span", {class: "mono", text: x.id || x.finding}), " — " + x.reason); }))) : null,
      findingsView(fam, col),
      col.shims && col.shims.length ? h("div", {class: "others", id: "shims"}, h("b", {text: "Adapter shims (" + col.shims.length + ")"}),
        h("ul", null, col.shims.map(function (s) {
          return h("li", null, h("span", {class: "mono", text: s.name || "?"}),
                   " — " + (s.kind || "shim") + (s.functions && s.functions.length ? " of " + s.functions.join(", ") : "") +
                   (s.reason ? ": " + s.reason : ""));
        }))) : null,
      h("div", {class: "others"}, h("b", {text: "Reports"}), h("ul", null, col.sources.map(function (s) {
        return h("li", null, h("span", {class: "mono", text: s.path}), " · " + s.started + " · " + s.state + " · seed " + s.seed); }))),
      badge ? badgeBlock(badge) : null];
    openPanel(col.label, fam.family + " spec " + col.spec_version, content);
  }
  function badgeBlock(badge) {
    var rows = [];
    [["", "static SVG"], ["-shields", "shields.io endpoint"]].forEach(function (source) {
      PAGE.snippet_kinds.forEach(function (kind) {
        var key = kind[0] + source[0], text = badge.snippets[key];
        var field = h("textarea", {class: "snippet", readonly: "readonly", spellcheck: "false", "data-kind": key,
                                   rows: String(Math.max(3, text.split("\n").length)), "aria-label": kind[1] + ", " + source[1]});
        field.value = text;
        rows.push(h("div", {class: "snip", "data-kind": key},
          h("div", {class: "snip-label", text: kind[1] + " · " + source[1]}), field,
          copyButton(text, field, {"data-kind": key, "aria-label": "copy " + kind[1] + " (" + source[1] + ")"})));
      });
    });
    return h("div", {class: "badge-block", "data-column": badge.column},
      h("div", {class: "badge"}, h("img", {src: badge.data_uri, alt: badge.label + ": " + badge.message})),
      PAGE.base_url ? null : h("p", {class: "note relative-note", text: "These snippets use URLs relative to this page " +
        "(the matrix was built without --base-url): rebuild with --base-url <URL the folder is served from> for " +
        "absolute URLs; the shields.io endpoint only works with an absolute URL."}),
      rows);
  }
  function openBadge(fam, col) {
    var badge = PAGE.badges[PAGE.column_badge[col.id]];
    openPanel("Badge — " + col.adapter, fam.family + " spec " + col.spec_version, [
      badge.column !== col.id ? h("p", {class: "note", text: "The badge shows the newest backend version tested: " +
        badge.column}) : null,
      badgeBlock(badge)]);
  }

  // ---------------------------------------------------------------- backends: badges and history
  function backends() {
    var section = h("section", {id: "backends"}, h("h2", {text: "Backends: badges and history"}));
    var cards = h("div", {class: "cards"});
    M.history.forEach(function (hist) {
      if (state.family && hist.family !== state.family) return;
      var fam = M.families.filter(function (f) { return f.family === hist.family; })[0];
      var badges = fam.columns.filter(function (c) { return c.adapter === hist.adapter && PAGE.badges[c.id]; });
      var prev = null;
      var rows = hist.points.map(function (p) {
        var all = p.scores.all.percent, delta = "";
        var cls = "";
        if (prev !== null && all !== null && !p.broken) {
          delta = all > prev ? "▲ +" + (all - prev) : all < prev ? "▼ −" + (prev - all) : "=";
          cls = all > prev ? "up" : all < prev ? "down" : "";
        }
        if (all !== null && !p.broken) prev = all;
        function pct(s) { return s.percent === null ? "—" : s.percent + " %"; }
        return h("tr", null, h("td", {text: (p.backend_version || "?") + " (spec " + p.spec_version + ")"}),
          p.broken ? h("td", {colspan: "4", class: "st-broken", text: "adapter broken"})
                   : [h("td", {text: pct(p.scores.MUST)}), h("td", {text: pct(p.scores.SHOULD)}),
                      h("td", {text: pct(p.scores.MAY)}), h("td", {text: pct(p.scores.all)})],
          h("td", {class: cls, text: delta}));
      });
      cards.appendChild(h("div", {class: "card", "data-adapter": hist.adapter, "data-family": hist.family},
        h("h3", null, hist.adapter, h("span", {class: "fam", text: hist.family})),
        badges.map(function (c) { return badgeBlock(PAGE.badges[c.id]); }),
        h("table", {class: "history"}, h("thead", null, h("tr", null, ["backend version", "MUST", "SHOULD", "MAY", "all", "change"].map(
          function (t) { return h("th", {text: t}); }))), h("tbody", null, rows))));
    });
    section.appendChild(cards);
    return section;
  }

  // ---------------------------------------------------------------- render
  var root;
  function render() {
    while (root.firstChild) root.removeChild(root.firstChild);
    append(root, [legend(), notices()]);
    var columns = 0;
    M.families.forEach(function (fam) {
      if (state.family && fam.family !== state.family) return;
      if (state.version && !fam.specs.some(function (s) { return s.version === state.version; })) return;
      columns += visibleColumns(fam).length;
      root.appendChild(familyTable(fam));
    });
    root.appendChild(backends());
    document.getElementById("visible-count").textContent = columns + " backend columns shown";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var app = document.getElementById("app");
    panelBody = h("div", {class: "body"});
    panel = h("aside", {id: "details", role: "dialog", "aria-label": "details", "aria-hidden": "true"},
      h("button", {class: "close", type: "button", "aria-label": "close", text: "×", onclick: closePanel}), panelBody);
    root = h("main", {id: "matrix"});
    app.appendChild(toolbar());
    app.appendChild(root);
    document.body.appendChild(panel);
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape") closePanel();
      if ((e.key === "Enter" || e.key === " ") && e.target.matches && e.target.matches("td.cell,th.colhead")) { e.preventDefault(); e.target.click(); }
    });
    render();
    document.body.setAttribute("data-ready", "true");
  });
})();
