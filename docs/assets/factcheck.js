// Small, dependency-free behaviour for fact-check pages. Everything works without it:
// the claims index lists every claim on its pages, and the permalink is shown in a text box.
(function () {
  "use strict";

  // "Copy link" buttons.
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var done = function () { button.textContent = button.dataset.copied || "Link copied"; };
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

  // The claims index: filter by verdict, topic and claimant, and sort by the date the claims were made. The first
  // page is in the HTML; the compact list of all claims (claims/index.json) is fetched only once a reader filters or
  // sorts. The filters live in the address (?verdict=false&sort=oldest): a filtered list can be shared, bookmarked,
  // reloaded and returned to with Back. Cards are clones of the server's own card markup (a <template>).
  var form = document.getElementById("fc-filters");
  if (!form) return;
  var box = document.getElementById("fc-filters-box");
  var results = document.getElementById("fc-results");
  var count = document.getElementById("fc-count");
  var pager = document.querySelector(".fc-pagination");
  var cardTemplate = document.getElementById("fc-card-template");
  var root = form.dataset.root;
  var words = form.dataset;
  var FIELDS = ["verdict", "topic", "claimant", "sort"];
  var DEFAULTS = { verdict: "", topic: "", claimant: "", sort: "newest" };
  var PAGE = Number(form.dataset.pageSize);  // cards a page shows: as many as a listing page of the site
  var firstPage = { cards: Array.prototype.slice.call(results.children), count: count.textContent };
  var badges = {};
  document.getElementById("fc-badge-templates").content.querySelectorAll(".fc-badge").forEach(function (badge) {
    badges[badge.classList[1].replace("fc-badge--", "")] = badge;
  });
  var rows = null;

  function load() {
    if (rows) return Promise.resolve(rows);
    return fetch(form.dataset.index).then(function (r) { return r.json(); }).then(function (data) {
      rows = data;
      return rows;
    });
  }
  // A row of index.json: [id, headline, verdict, published, claim date, claimant slug, claimant name, topics,
  // claim date as shown, publication date as shown, retracted, address of its page].
  function card(row) {
    var li = cardTemplate.content.querySelector(".fc-card").cloneNode(true);
    li.replaceChild(badges[row[2]].cloneNode(true), li.querySelector(".fc-badge"));
    var title = li.querySelector(".fc-card__title");
    title.setAttribute("href", row[11]);
    title.textContent = row[1];
    // A claim listed in a translation without a translation of its own: in the original language, and marked so.
    var inOriginal = row[11].indexOf(root) !== 0;
    if (inOriginal) title.setAttribute("lang", "en"); else title.removeAttribute("lang");
    var original = li.querySelector(".fc-card__original");
    if (original && !inOriginal) original.remove();
    li.querySelector(".fc-card__claimant").textContent = row[6];
    var said = li.querySelector(".fc-card__meta > time");
    said.setAttribute("datetime", row[4]);
    said.textContent = row[8];
    li.querySelector(".fc-card__published").remove();
    if (!row[10]) li.querySelector(".fc-card__retracted").remove();
    return li;
  }

  function offered(name, value) {
    return Array.prototype.some.call(form.elements[name].options, function (o) { return o.value === value; });
  }
  function fromAddress() {
    var params = new URLSearchParams(location.search);
    var state = {};
    FIELDS.forEach(function (name) {  // a value the page does not offer (an old link) falls back to the default
      var value = params.get(name);
      state[name] = value !== null && offered(name, value) ? value : DEFAULTS[name];
    });
    return state;
  }
  function fromForm() {
    var state = {};
    FIELDS.forEach(function (name) { state[name] = form.elements[name].value; });
    return state;
  }
  function isDefault(state) {
    return FIELDS.every(function (name) { return state[name] === DEFAULTS[name]; });
  }
  function address(state) {
    var params = new URLSearchParams();
    FIELDS.forEach(function (name) { if (state[name] !== DEFAULTS[name]) params.set(name, state[name]); });
    var query = params.toString();
    return location.pathname + (query ? "?" + query : "") + location.hash;
  }

  function show(state) {
    FIELDS.forEach(function (name) { form.elements[name].value = state[name]; });
    removeMore();
    if (isDefault(state)) {  // the page as the server made it
      results.replaceChildren.apply(results, firstPage.cards);
      count.textContent = firstPage.count;
      if (pager) pager.hidden = false;
      return Promise.resolve();
    }
    return load().then(function (all) {
      var list = all.filter(function (row) {
        return (!state.verdict || row[2] === state.verdict) && (!state.topic || row[7].indexOf(state.topic) >= 0) &&
          (!state.claimant || row[5] === state.claimant);
      });
      // Newest claims first, as the pages list them: by claim date, then publication date, then id.
      var key = function (row) { return row[4] + " " + row[3] + " " + row[0]; };
      list.sort(function (a, b) { return key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0; });
      if (state.sort === "oldest") list.reverse();
      results.textContent = "";
      if (pager) pager.hidden = true;
      // The words come from the page, in its language: "{count} fact-checks match." and the others.
      count.textContent = (list.length ? words[list.length === 1 ? "matchOne" : "matchMany"].replace("{count}", list.length)
        : words.matchNone) + " ";
      var reset = document.createElement("button");
      reset.type = "button";
      reset.className = "md-button fc-reset";
      reset.textContent = words.showAll;
      reset.addEventListener("click", function () { navigate(DEFAULTS); form.elements.verdict.focus(); });
      count.appendChild(reset);
      more(list, 0, false);
    });
  }
  function removeMore() {
    var old = document.getElementById("fc-more");
    if (old) old.remove();
  }
  function more(list, shown, moveFocus) {
    removeMore();
    var added = list.slice(shown, shown + PAGE).map(card);
    added.forEach(function (li) { results.appendChild(li); });
    // Keyboard users carry on from the first card just added, not from the top of the page.
    if (moveFocus && added.length) added[0].querySelector(".fc-card__title").focus();
    if (shown + PAGE < list.length) {
      var button = document.createElement("button");
      button.type = "button";
      button.id = "fc-more";
      button.className = "md-button";
      button.textContent = words.showMore;
      button.addEventListener("click", function () { more(list, shown + PAGE, true); });
      results.after(button);
    }
  }
  function navigate(state) {
    history.pushState(null, "", address(state));
    return show(state);
  }

  form.addEventListener("change", function () { navigate(fromForm()); });
  window.addEventListener("popstate", function () { show(fromAddress()); });
  var initial = fromAddress();
  box.hidden = false;
  // On a phone the filters start folded, so the first results are on the first screen.
  box.open = window.matchMedia("(min-width: 45em)").matches || !isDefault(initial);
  if (!isDefault(initial)) show(initial);
})();
