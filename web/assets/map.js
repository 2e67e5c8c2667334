// truce monitor map: draws /api/map.geojson (the page's filter query: one
// feature per place with its event counts and most recent event ids) as one
// marker per place, clustered when dense, over the offline Natural Earth
// borders or a tile server. A popup fetches the details of the place's most
// recent events (/api/events/{id}) when it opens. Plain JavaScript, no build
// step. Popups are built with DOM nodes and textContent, so nothing from a
// report is parsed as HTML.
(function () {
  'use strict';
  var el = document.getElementById('map');
  var cfgEl = document.getElementById('map-config');
  if (!el || !cfgEl || typeof L === 'undefined') return;
  var cfg = JSON.parse(cfgEl.textContent);
  var status = document.getElementById('map-status');
  var names = cfg.names || {};

  var FAMILY = {
    AGREE: 'vcoop', CONSULT: 'vcoop', SUPPORT: 'vcoop',
    CONCEDE: 'mcoop', COOPERATE: 'mcoop', AID: 'mcoop', RETREAT: 'mcoop',
    REQUEST: 'request',
    ACCUSE: 'vconf', REJECT: 'vconf', THREATEN: 'vconf', PROTEST: 'vconf',
    SANCTION: 'mconf', MOBILIZE: 'mconf', COERCE: 'mconf', ASSAULT: 'mconf'
  };
  var COLOUR = { vcoop: '#1d4ed8', mcoop: '#047857', request: '#6d28d9', vconf: '#a14a00', mconf: '#b91c1c', other: '#4b5563' };
  var LABEL = { vcoop: 'verbal cooperation', mcoop: 'material cooperation', request: 'request', vconf: 'verbal conflict', mconf: 'material conflict' };

  var map = L.map(el, { zoomSnap: 0.5, worldCopyJump: true, minZoom: 2, maxZoom: 18 }).setView([40.0, 46.3], 7);
  el.truceMap = map;
  // data-moving tells tests (and anyone waiting) that the view is changing.
  map.on('movestart', function () { el.setAttribute('data-moving', '1'); });
  map.on('moveend', function () { el.removeAttribute('data-moving'); });

  // An icon whose element gets attributes (title, data-*) and an optional
  // label, set as text, never parsed as HTML.
  var TruceIcon = L.DivIcon.extend({
    createIcon: function (old) {
      var div = L.DivIcon.prototype.createIcon.call(this, old);
      var attrs = this.options.attrs || {};
      Object.keys(attrs).forEach(function (k) { div.setAttribute(k, attrs[k]); });
      if (this.options.label) div.appendChild(node('span', 'cluster-label', this.options.label));
      return div;
    }
  });

  if (cfg.tiles) {
    L.tileLayer(cfg.tiles, { maxZoom: 18, attribution: cfg.attribution || '' }).addTo(map);
  } else {
    map.attributionControl.addAttribution('Borders: Natural Earth');
    fetch(cfg.basemap).then(function (r) {
      if (!r.ok) throw new Error('basemap: HTTP ' + r.status);
      return r.json();
    }).then(function (topo) {
      var land = topojson.feature(topo, topo.objects.countries);
      L.geoJSON(land, {
        interactive: false,
        style: { color: '#9aa8b6', weight: 0.8, fillColor: '#f5f3ee', fillOpacity: 1 }
      }).addTo(map).bringToBack();
      el.setAttribute('data-basemap', 'ready');
    }).catch(function (err) { say('The offline basemap could not be loaded (' + err.message + ').'); });
  }

  var legend = L.control({ position: 'bottomleft' });
  legend.onAdd = function () {
    var d = L.DomUtil.create('div', 'map-legend');
    Object.keys(LABEL).forEach(function (k) {
      var row = document.createElement('div');
      var dot = document.createElement('i');
      dot.style.background = COLOUR[k];
      row.appendChild(dot);
      row.appendChild(document.createTextNode(LABEL[k]));
      d.appendChild(row);
    });
    return d;
  };
  legend.addTo(map);

  // layoutLabels puts the label of a cluster on its left when the cluster is
  // in the right half of the map, as the tooltips of single places do, then
  // hides the labels that would cover another label or marker, the places with
  // the fewest events first, so that the names shown stay readable (on a phone
  // especially). A hidden name is still the title of its marker and its popup.
  var markers = [];
  function layoutLabels() {
    var box = el.getBoundingClientRect();
    var mid = box.left + box.width / 2;
    var items = [];
    var icons = [];
    el.querySelectorAll('.truce-cluster').forEach(function (ic) {
      icons.push(ic);
      var lab = ic.querySelector('.cluster-label');
      if (!lab) return;
      var r = ic.getBoundingClientRect();
      lab.classList.toggle('left', r.left + r.width / 2 > mid);
      items.push({ label: lab, icon: ic, count: +ic.getAttribute('data-count') || 0 });
    });
    markers.forEach(function (m) {
      var ic = m.getElement();
      if (!ic || !ic.isConnected) return;
      icons.push(ic);
      var tt = m.getTooltip();
      var lab = tt && tt.getElement();
      if (lab && lab.isConnected) items.push({ label: lab, icon: ic, count: m.options.truceCount || 1 });
    });
    items.sort(function (a, b) { return b.count - a.count; });
    var kept = [];
    function hits(r, q) { return r.left < q.right && q.left < r.right && r.top < q.bottom && q.top < r.bottom; }
    items.forEach(function (it) {
      it.label.style.visibility = '';
      var r = it.label.getBoundingClientRect();
      var clash = kept.some(function (q) { return hits(r, q); }) ||
        icons.some(function (ic) { return ic !== it.icon && hits(r, ic.getBoundingClientRect()); }) ||
        r.left < box.left || r.right > box.right;
      if (clash) it.label.style.visibility = 'hidden';
      else kept.push(r);
    });
  }

  function say(msg) { if (status) status.textContent = msg; }

  // Property readers that accept a flat or a nested GeoJSON shape.
  function str(v) {
    if (v == null) return '';
    if (typeof v === 'string') return v;
    if (typeof v === 'object') return v.name || v.text || v.canonical || v.start || '';
    return String(v);
  }
  function placeOf(p) {
    var pl = p.place;
    var id = p.place_id || (pl && typeof pl === 'object' ? pl.id : '') || '';
    var canon = p.place_canonical || p.canonical || (pl && typeof pl === 'object' ? (pl.canonical || pl.name) : pl) || p.place_name || '';
    return { key: id || canon, name: names[id] || names[canon] || canon || 'Unknown place' };
  }
  function dateOf(p) {
    var d = p.date;
    if (d && typeof d === 'object') return d.end && d.end !== d.start ? d.start + ' – ' + d.end : (d.start || '');
    d = d || p.date_start || p.start || '';
    return p.date_end && p.date_end !== d ? d + ' – ' + p.date_end : d;
  }
  function node(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text) n.textContent = text;
    return n;
  }
  function family(t) { return FAMILY[t] || 'other'; }

  // eventRow is one event of a popup: e has id, type and date, and the
  // details (actor, recipient, evidence) once fetched.
  function eventRow(e) {
    var li = node('li');
    var meta = node('div', 'pmeta');
    meta.appendChild(node('span', 'badge fam-' + family(e.type), e.type || '?'));
    meta.appendChild(node('span', '', e.date || 'date unknown'));
    li.appendChild(meta);
    if (e.full) {
      var who = (e.actor || 'unknown actor') + (e.recipient ? ' → ' + e.recipient : '');
      li.appendChild(node('div', 'pwho', who));
    }
    if (e.evidence) {
      var ev = e.evidence.replace(/\s+/g, ' ');
      li.appendChild(node('div', 'pev', ev.length > 180 ? ev.slice(0, 179) + '…' : ev));
    }
    if (e.id != null) {
      var a = node('a', 'plink', 'Open event →');
      a.href = '/events/' + encodeURIComponent(e.id);
      li.appendChild(a);
    }
    return li;
  }

  // details fetches an event's actor, recipient and evidence into e (once);
  // on failure e keeps its id, type and date.
  function details(e) {
    if (e.full || e.id == null) return Promise.resolve(e);
    return fetch('/api/events/' + encodeURIComponent(e.id), { headers: { Accept: 'application/json' } })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
      .then(function (body) {
        var d = body && body.event ? body.event : body || {};
        e.actor = str(d.actor); e.recipient = str(d.recipient); e.evidence = str(d.evidence);
        e.full = true;
        return e;
      })
      .catch(function () { return e; });
  }

  // popup shows a place's counts per type at once, then its most recent
  // events when their details have arrived (update re-fits the popup).
  function popup(place, update) {
    var box = node('div', 'popup');
    box.appendChild(node('h3', '', place.name));
    var types = Object.keys(place.types).sort(function (a, b) { return place.types[b] - place.types[a] || (a < b ? -1 : 1); });
    box.appendChild(node('div', 'pcount', place.count + ' event' + (place.count === 1 ? '' : 's') + ': ' +
      types.map(function (t) { return place.types[t] + ' ' + t; }).join(', ')));
    var ul = node('ul');
    var wait = node('li', 'ploading', 'Loading the most recent events…');
    ul.appendChild(wait);
    box.appendChild(ul);
    Promise.all(place.recent.map(details)).then(function (evs) {
      ul.removeChild(wait);
      evs.forEach(function (e) { ul.appendChild(eventRow(e)); });
      if (place.count > evs.length) {
        box.appendChild(node('div', 'pmore', 'The ' + evs.length + ' most recent of the ' + place.count + ' events here; filter by this place to list them all.'));
      }
      update();
    });
    return box;
  }

  // addFeature adds a feature of /api/map.geojson (a place with counts) to
  // places; it also accepts a feature of /api/events.geojson (one event).
  function addFeature(places, order, f) {
    if (!f.geometry || f.geometry.type !== 'Point') return 0;
    var c = f.geometry.coordinates;
    var p = f.properties || {};
    var pl = placeOf(p);
    var key = pl.key || (c[1].toFixed(4) + ',' + c[0].toFixed(4));
    if (!places[key]) { places[key] = { name: pl.name, lat: c[1], lon: c[0], count: 0, types: {}, recent: [], fams: {} }; order.push(key); }
    var place = places[key];
    var n = p.count != null ? +p.count : 1;
    var types = p.types || {};
    var recent = p.recent;
    if (p.count == null) {
      types = {}; types[p.type || ''] = 1;
      recent = [{ id: p.id != null ? p.id : f.id, type: p.type || '', date: dateOf(p) }];
    }
    place.count += n;
    Object.keys(types).forEach(function (t) {
      place.types[t] = (place.types[t] || 0) + types[t];
      place.fams[family(t)] = (place.fams[family(t)] || 0) + types[t];
    });
    (recent || []).forEach(function (e) { place.recent.push({ id: e.id, type: e.type || '', date: dateOf(e) }); });
    return n;
  }

  function render(fc) {
    var places = {};
    var order = [];
    var events = 0;
    (fc.features || []).forEach(function (f) { events += addFeature(places, order, f); });
    order.forEach(function (key) {
      var pl = places[key];
      // Newest first, as many as a feature holds.
      pl.recent.sort(function (a, b) { return a.date < b.date ? 1 : a.date > b.date ? -1 : b.id - a.id; });
      pl.recent = pl.recent.slice(0, 10);
    });

    // The offline basemap has no names: label the places when there is room
    // (on a phone, when they are few).
    var labels = order.length <= (el.clientWidth >= 600 ? 25 : 10);
    var cluster = L.markerClusterGroup({
      showCoverageOnHover: false,
      // Wide enough that markers (up to 32px) never overlap at a half zoom level,
      // where the clusters of the nearest whole level are shown.
      maxClusterRadius: 50, spiderfyOnMaxZoom: true,
      iconCreateFunction: function (cl) {
        var n = 0;
        var kids = cl.getAllChildMarkers().map(function (m) {
          n += m.options.truceCount || 1;
          return { key: m.options.truceKey || '', name: m.options.truceName || '', count: m.options.truceCount || 1 };
        });
        // The places of the cluster, busiest first: the label names the first ones.
        kids.sort(function (a, b) { return b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0); });
        var names = kids.map(function (k) { return k.name; });
        var size = n < 10 ? 34 : n < 100 ? 40 : 46;
        var label = '';
        if (labels) {
          var two = names.slice(0, 2).join(', ');
          label = names.length <= 2 && two.length <= 40 ? two
            : names.length > 2 && two.length <= 40 ? two + ' +' + (names.length - 2)
            : names[0] + ' +' + (names.length - 1);
        }
        return new TruceIcon({
          html: '<span>' + n + '</span>', className: 'truce-cluster', iconSize: [size, size], label: label,
          attrs: {
            title: names.join(', '),
            'aria-label': n + ' event' + (n === 1 ? '' : 's') + ' at ' + names.join(', ') + ': zoom in',
            'data-count': String(n),
            'data-place-ids': kids.map(function (k) { return encodeURIComponent(k.key); }).join(' '),
            'data-names': names.join('\n')
          }
        });
      }
    });
    var bounds = [];
    order.forEach(function (key) {
      var pl = places[key];
      var top = 'other', best = 0;
      Object.keys(pl.fams).forEach(function (k) { if (pl.fams[k] > best) { best = pl.fams[k]; top = k; } });
      var n = pl.count;
      var size = n < 10 ? 26 : 32;
      var icon = L.divIcon({ className: 'truce-marker fam-' + top, html: '<span>' + n + '</span>', iconSize: [size, size], tooltipAnchor: [size / 2 + 2, 0] });
      var m = L.marker([pl.lat, pl.lon], {
        icon: icon, title: pl.name, alt: pl.name, keyboard: true, riseOnHover: true, truceCount: n,
        truceKey: key, truceName: pl.name
      });
      // Leaflet calls the content function again on update(): build the popup
      // (and fetch its events) once, then hand back the same node.
      var box = null;
      m.bindPopup(function () {
        if (!box) box = popup(pl, function () { if (m.isPopupOpen()) m.getPopup().update(); });
        return box;
      }, { maxWidth: 320, minWidth: 220 });
      // Labels point to the middle of the map (right of a place in the left
      // half, left of one in the right half), so they stay inside it.
      m.bindTooltip(pl.name, { permanent: labels, direction: 'auto', className: 'place-label' });
      m.on('add', function () {
        var ic = m.getElement();
        if (ic) { ic.setAttribute('data-place', pl.name); ic.setAttribute('data-place-id', key); ic.setAttribute('aria-label', pl.name + ': ' + n + ' event' + (n === 1 ? '' : 's')); ic.style.background = COLOUR[top]; }
      });
      cluster.addLayer(m);
      markers.push(m);
      bounds.push([pl.lat, pl.lon]);
    });
    // Set the view first, without animation, so the clusters are computed once
    // at the final zoom and the page is steady when it says it is ready.
    if (bounds.length === 1) map.setView(bounds[0], 9, { animate: false });
    else if (bounds.length > 1) map.fitBounds(bounds, { padding: [40, 40], maxZoom: 10, animate: false });
    cluster.addTo(map);
    if (labels) {
      layoutLabels();
      map.on('moveend', layoutLabels);
      cluster.on('animationend spiderfied unspiderfied', layoutLabels);
    }

    el.setAttribute('data-places', String(order.length));
    el.setAttribute('data-events', String(events));
    el.setAttribute('data-state', 'ready');
    var more = fc.truncated ? ' The map shows the first ' + events + ' matches only: narrow the filters to see the rest.' : '';
    say((events === 0 ? 'No events with a known place match these filters.'
      : events + ' event' + (events === 1 ? '' : 's') + ' at ' + order.length + ' place' + (order.length === 1 ? '' : 's') + ' on the map.') + more);
  }

  fetch(cfg.geojson, { headers: { Accept: 'application/geo+json, application/json' } })
    .then(function (r) {
      if (r.ok) return r.json();
      // The API explains a refused filter in {"error": "..."}.
      return r.json().catch(function () { return {}; }).then(function (body) {
        throw new Error(body && body.error ? body.error : 'HTTP ' + r.status);
      });
    })
    .then(render)
    .catch(function (err) {
      el.setAttribute('data-state', 'error');
      say('The events could not be loaded for the map (' + (err && err.message ? err.message : String(err)) + '). The list still shows them.');
    });
})();
