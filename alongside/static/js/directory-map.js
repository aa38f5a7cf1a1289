/* The surgery directory's map and "Use my location" button.
 * Both are extras: the list on the page holds everything, and works without this file. */
(function () {
  "use strict";

  function useMyLocation() {
    var button = document.getElementById("use-my-location");
    var status = document.getElementById("location-status");
    if (!button || !status || !("geolocation" in navigator)) return;
    var form = button.form;
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = button.dataset.finding;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          // About 100 metres is plenty to sort by distance, and it ends up in the address bar.
          form.elements.lat.value = position.coords.latitude.toFixed(3);
          form.elements.lng.value = position.coords.longitude.toFixed(3);
          form.elements.q.value = "";
          form.submit();
        },
        function () {
          status.textContent = button.dataset.failed;
        },
        { maximumAge: 600000, timeout: 15000 }
      );
    });
  }

  function pin(surgery) {
    // A real link, so keyboard and screen reader users reach each surgery as they would
    // in the list, instead of Leaflet's role="button" markers and popups.
    var link = document.createElement("a");
    link.href = surgery.url;
    link.className = surgery.dormant ? "map-pin map-pin-dormant" : "map-pin";
    link.setAttribute("aria-label", surgery.name + ". " + surgery.summary);
    link.title = surgery.name + ". " + surgery.summary;
    return L.marker([surgery.lat, surgery.lng], {
      icon: L.divIcon({ html: link, className: "map-pin-icon", iconSize: [28, 28], iconAnchor: [14, 28] }),
      keyboard: false,
      riseOnHover: true,
    });
  }

  function showMap() {
    var wrap = document.getElementById("surgery-map-wrap");
    var source = document.getElementById("surgery-map-data");
    if (!wrap || !source || !window.L) return;
    var data = JSON.parse(source.textContent);
    if (!data.surgeries.length) return;
    wrap.hidden = false;
    var map = L.map("surgery-map", {
      // The page scrolls past the map: the wheel and one finger move the page, not the map.
      scrollWheelZoom: false,
      dragging: !L.Browser.mobile,
    });
    // The tile server is the site's setting (MAP_TILES_URL), handed over by the page.
    var tiles = document.getElementById("surgery-map").dataset;
    L.tileLayer(tiles.tilesUrl, { maxZoom: 19, attribution: tiles.tilesAttribution }).addTo(map);
    var points = data.surgeries.map(function (surgery) {
      pin(surgery).addTo(map);
      return [surgery.lat, surgery.lng];
    });
    if (data.place) {
      L.circleMarker([data.place.lat, data.place.lng], {
        radius: 7, color: "#1b1b1b", weight: 3, fillColor: "#f2c14e", fillOpacity: 1, interactive: false,
      }).addTo(map);
      points.push([data.place.lat, data.place.lng]);
    }
    map.fitBounds(points, { padding: [32, 32], maxZoom: 13 });
  }

  useMyLocation();
  showMap();
})();
