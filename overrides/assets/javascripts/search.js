// Three changes to the theme's search, made here rather than by overriding its templates, so that another engine's
// search (Zensical's) is left alone.
(function () {
  // The search dialog gets an accessible name (axe: aria-dialog-name).
  var dialog = document.querySelector(".md-search[role=dialog]");
  if (dialog && !dialog.hasAttribute("aria-label")) {
    var input = dialog.querySelector("input[aria-label]");
    dialog.setAttribute("aria-label", input ? input.getAttribute("aria-label") : "Search");
  }

  // The theme asks for the whole search index (several MB on a large site) as soon as any page loads. Hold that
  // one request back until the reader starts to search (the search box gets focus: clicked, tapped, or opened
  // with a key), so that readers who never search do not pay for it.
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  var held = [];
  var wanted = false;
  // A translated page searches its own language's index (<code>/search/search_index.json), written by the hook.
  var language = document.querySelector('meta[name="factcheck:search"]');
  XMLHttpRequest.prototype.open = function (method, url) {
    var address = new URL(url, location.href);
    this.isSearchIndex = /\/search\/search_index\.json$/.test(address.pathname);
    if (this.isSearchIndex && language && address.pathname.indexOf("/" + language.content + "search/") < 0) {
      arguments[1] = address.href.replace(/search\/search_index\.json/, language.content + "search/search_index.json");
    }
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (this.isSearchIndex && !wanted) {
      held.push([this, arguments]);
      return;
    }
    return send.apply(this, arguments);
  };
  function release() {
    wanted = true;
    held.splice(0).forEach(function (request) {
      send.apply(request[0], request[1]);
    });
  }
  document.addEventListener("focusin", function (event) {
    if (!wanted && event.target.closest && event.target.closest("[data-md-component=search]")) release();
  });
})();
