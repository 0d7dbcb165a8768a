// The search page of hallbar's default theme: finds pages through Pagefind's index in
// pagefind/ at the site's root (its JavaScript API, no UI of its own) and shows them as a
// list of links. The count of results is announced through the page's polite status
// line; the results themselves are not. Keys: ArrowDown from the field goes to the
// results, ArrowUp/ArrowDown move between them, Escape clears the search. Without this
// script the page shows links to the whole report instead.
(function () {
  'use strict';
  var box = document.getElementById('site-search');
  if (!box || !window.fetch || !window.URL) return;
  var field = document.getElementById('search-field');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var fallback = document.getElementById('search-fallback');
  var PAGE = 20;
  var MIN = 2;
  var engine = null;
  var current = null; // { query, results, shown }
  var more = null;

  box.hidden = false;
  if (fallback) fallback.hidden = true;

  function say(template, n, q) {
    // Functions, so that a `$` in the query is not read as a replacement pattern.
    return template.replace('{n}', function () { return String(n); })
      .replace('{q}', function () { return q; });
  }

  function load() {
    if (!engine) {
      var url = new URL(box.getAttribute('data-bundle'), document.baseURI).href;
      engine = import(url).then(function (pagefind) {
        return pagefind.options({ noWorker: true, excerptLength: 24 }).then(function () {
          return pagefind;
        });
      });
      // Tried again at the next keystroke (`serve` writes the index after the pages).
      engine.catch(function () {
        engine = null;
        status.textContent = box.getAttribute('data-failed');
      });
    }
    return engine;
  }

  // Pagefind's excerpt is the page's text with < and > escaped and <mark> around the
  // matches: only the marks become elements, the rest stays text.
  function excerpt(text) {
    var p = document.createElement('p');
    p.className = 'search-excerpt';
    var parts = String(text).split(/(<mark>|<\/mark>)/);
    var marked = false;
    for (var i = 0; i < parts.length; i++) {
      if (parts[i] === '<mark>') marked = true;
      else if (parts[i] === '</mark>') marked = false;
      else if (parts[i]) {
        var node = document.createTextNode(parts[i].replace(/&lt;/g, '<').replace(/&gt;/g, '>'));
        if (marked) {
          var m = document.createElement('mark');
          m.appendChild(node);
          p.appendChild(m);
        } else p.appendChild(node);
      }
    }
    return p;
  }

  function item(data) {
    var li = document.createElement('li');
    var a = document.createElement('a');
    a.href = data.url;
    a.textContent = (data.meta && data.meta.title) || data.url;
    li.appendChild(a);
    if (data.excerpt) li.appendChild(excerpt(data.excerpt));
    return li;
  }

  function clearMore() {
    if (more) {
      more.remove();
      more = null;
    }
  }

  // Shows the next page of results of the search `run` (unless a newer one replaced it).
  function showMore(run) {
    var next = run.results.slice(run.shown, run.shown + PAGE);
    return Promise.all(next.map(function (r) { return r.data(); })).then(function (all) {
      if (current !== run) return;
      var first = null;
      all.forEach(function (data) {
        var li = item(data);
        if (!first) first = li;
        list.appendChild(li);
      });
      run.shown += next.length;
      clearMore();
      if (run.shown < run.results.length) {
        more = document.createElement('button');
        more.type = 'button';
        more.className = 'search-more';
        more.textContent = box.getAttribute('data-more');
        more.addEventListener('click', function () {
          if (more.disabled) return;
          more.disabled = true;
          var at = run.shown;
          showMore(run).then(function () {
            var link = list.children[at] && list.children[at].querySelector('a');
            if (link) link.focus();
          });
        });
        list.after(more);
      }
      return first;
    });
  }

  function clear() {
    current = null;
    list.replaceChildren();
    clearMore();
    status.textContent = '';
  }

  // The query in the address, once its results are shown (browsers limit how often a
  // page may do this, so not at every keystroke), for linking and for Back.
  function remember(q) {
    try {
      var url = new URL(window.location.href);
      if (q) url.searchParams.set('q', q);
      else url.searchParams.delete('q');
      window.history.replaceState(null, '', url.href);
    } catch (e) {
      // Too often: the address keeps the last query it took.
    }
  }

  function search(now) {
    var q = field.value.trim();
    if (q.length < MIN) {
      clear();
      remember('');
      return Promise.resolve();
    }
    return load().then(function (pagefind) {
      return now ? pagefind.search(q) : pagefind.debouncedSearch(q, {}, 200);
    }).then(function (found) {
      // null: a later keystroke replaced this search. The same query shown already (Enter,
      // then the debounced search of the same words) is left as it is, focus and all.
      if (!found || field.value.trim() !== q || (current && current.query === q)) return;
      var run = { query: q, results: found.results, shown: 0 };
      current = run;
      list.replaceChildren();
      clearMore();
      var n = run.results.length;
      var text = n === 0 ? box.getAttribute('data-none')
        : n === 1 ? box.getAttribute('data-one') : box.getAttribute('data-many');
      return showMore(run).then(function () {
        if (current !== run) return;
        status.textContent = say(text, n, q);
        remember(q);
      });
    }).catch(function () {
      status.textContent = box.getAttribute('data-failed');
    });
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll('a'));
  }

  field.addEventListener('input', function () { search(false); });
  field.addEventListener('focus', function () { load(); }, { once: true });
  box.querySelector('form').addEventListener('submit', function (e) {
    e.preventDefault();
    search(true);
  });
  box.addEventListener('keydown', function (e) {
    if (e.isComposing) return;
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (e.key === 'Escape') {
      if (field.value || list.children.length) {
        e.preventDefault();
        field.value = '';
        clear();
        remember('');
      }
      field.focus();
    } else if (e.key === 'ArrowDown' && all.length) {
      if (document.activeElement === field || at >= 0) {
        e.preventDefault();
        all[Math.min(at + 1, all.length - 1)].focus();
      }
    } else if (e.key === 'ArrowUp' && at >= 0) {
      e.preventDefault();
      if (at === 0) field.focus();
      else all[at - 1].focus();
    }
  });

  var asked = new URL(window.location.href).searchParams.get('q');
  if (asked) {
    field.value = asked;
    search(true);
  }
})();
