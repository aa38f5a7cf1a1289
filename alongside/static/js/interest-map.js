/* The brokers' map of interest where there is no surgery yet.
 * An extra: the table on the page holds everything, and works without this file. */
(function () {
  "use strict";

  function link(item, className) {
    // Real links, so keyboard and screen reader users reach each place as in the table.
    var a = document.createElement("a");
    a.href = item.url;
    a.className = className;
    a.setAttribute("aria-label", item.summary ? item.name + ". " + item.summary : item.name);
    a.title = a.getAttribute("aria-label");
    return a;
  }

  function placeMarker(place) {
    // Bigger where more people are interested: three sizes, set in the stylesheet.
    var size = place.people >= 10 ? 48 : place.people >= 4 ? 38 : 30;
    var a = link(place, "interest-pin interest-pin-" + size);
    a.textContent = place.people;
    return L.marker([place.lat, place.lng], {
      icon: L.divIcon({ html: a, className: "map-pin-icon", iconSize: [size, size] }),
      keyboard: false,
      riseOnHover: true,
      zIndexOffset: 1000,
    });
  }

  function surgeryMarker(surgery) {
    return L.marker([surgery.lat, surgery.lng], {
      icon: L.divIcon({ html: link(surgery, "map-pin"), className: "map-pin-icon", iconSize: [28, 28], iconAnchor: [14, 28] }),
      keyboard: false,
    });
  }

  function showMap() {
    var wrap = document.getElementById("interest-map-wrap");
    var source = document.getElementById("interest-map-data");
    if (!wrap || !source || !window.L) return;
    var data = JSON.parse(source.textContent);
    if (!data.places.length) return;
    wrap.hidden = false;
    var map = L.map("interest-map", { scrollWheelZoom: false, dragging: !L.Browser.mobile });
    // The tile server is the site's setting (MAP_TILES_URL), handed over by the page.
    var tiles = document.getElementById("interest-map").dataset;
    L.tileLayer(tiles.tilesUrl, { maxZoom: 19, attribution: tiles.tilesAttribution }).addTo(map);
    data.surgeries.forEach(function (surgery) {
      surgeryMarker(surgery).addTo(map);
    });
    var points = data.places.map(function (place) {
      placeMarker(place).addTo(map);
      return [place.lat, place.lng];
    });
    map.fitBounds(points, { padding: [32, 32], maxZoom: 11 });
  }

  showMap();
})();
