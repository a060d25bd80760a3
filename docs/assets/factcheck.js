// Small, dependency-free behaviour for fact-check pages. Everything works without it:
// the claims index lists every claim on its pages, and the permalink is shown in a text box.
(function () {
  "use strict";

  // "Copy link" buttons.
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var done = function () { button.textContent = "Link copied"; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(button.dataset.copy).then(done, function () { selectPermalink(); });
      } else {
        selectPermalink();
      }
    });
  });
  function selectPermalink() {
    var input = document.getElementById("permalink");
    if (input) { input.focus(); input.select(); }
  }

  // The claims index: filter by verdict, topic and claimant, and sort by date. The first page is in the HTML;
  // the compact list of all claims (claims/index.json) is fetched only once a reader filters or sorts.
  var form = document.getElementById("fc-filters");
  if (!form) return;
  var results = document.getElementById("fc-results");
  var count = document.getElementById("fc-count");
  var pager = document.querySelector(".fc-pagination");
  var root = form.dataset.root;
  var templates = {};
  results.querySelectorAll(".fc-card").forEach(function (card) {
    templates[card.dataset.verdict] = templates[card.dataset.verdict] || card.querySelector(".fc-badge").outerHTML;
  });
  var rows = null;
  var shown = 0;
  var PAGE = 50;
  form.hidden = false;

  function load() {
    if (rows) return Promise.resolve(rows);
    return fetch(form.dataset.index).then(function (r) { return r.json(); }).then(function (data) {
      rows = data;
      return rows;
    });
  }
  function badge(verdict) {
    if (templates[verdict]) return templates[verdict];
    var option = form.querySelector('select[name="verdict"] option[value="' + verdict + '"]');
    return '<span class="fc-badge fc-badge--' + verdict + '"><span class="fc-badge__label">' +
      (option ? option.textContent : verdict) + "</span></span>";
  }
  function card(row) {
    var li = document.createElement("li");
    li.className = "fc-card";
    li.dataset.verdict = row[2];
    li.innerHTML = badge(row[2]);
    var a = document.createElement("a");
    a.className = "fc-card__title";
    a.href = root + "claims/" + row[0] + "/";
    a.textContent = row[1];
    var meta = document.createElement("span");
    meta.className = "fc-card__meta";
    meta.textContent = row[6] + " \u00b7 " + row[4];
    li.appendChild(a);
    li.appendChild(meta);
    return li;
  }
  function apply() {
    var f = Object.fromEntries(new FormData(form));
    load().then(function (all) {
      var list = all.filter(function (row) {
        return (!f.verdict || row[2] === f.verdict) && (!f.topic || row[7].indexOf(f.topic) >= 0) &&
          (!f.claimant || row[5] === f.claimant);
      });
      // Newest first, as the pages list them: by publication date, then claim date, then id.
      var key = function (row) { return row[3] + " " + row[4] + " " + row[0]; };
      list.sort(function (a, b) { return key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0; });
      if (f.sort === "oldest") list.reverse();
      results.textContent = "";
      shown = 0;
      if (pager) pager.hidden = true;
      count.textContent = list.length + " fact-check" + (list.length === 1 ? "" : "s") + " match.";
      more(list);
    });
  }
  function more(list) {
    var old = document.getElementById("fc-more");
    if (old) old.remove();
    list.slice(shown, shown + PAGE).forEach(function (row) { results.appendChild(card(row)); });
    shown += PAGE;
    if (shown < list.length) {
      var button = document.createElement("button");
      button.type = "button";
      button.id = "fc-more";
      button.className = "md-button";
      button.textContent = "Show more";
      button.addEventListener("click", function () { more(list); });
      results.after(button);
    }
  }
  form.addEventListener("change", apply);
})();
