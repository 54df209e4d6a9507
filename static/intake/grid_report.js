// Grid report: fill the optional GPS position from the phone (the page works without it). The words
// shown come from #gps-status's data attributes (translated by the template).
(function () {
  "use strict";
  var button = document.getElementById("locate");
  var status = document.getElementById("gps-status");
  var lat = document.querySelector("input[name=latitude]");
  var lon = document.querySelector("input[name=longitude]");
  if (!button || !lat || !lon) return;
  if (!("geolocation" in navigator)) {
    button.disabled = true;
    status.textContent = status.dataset.unsupported;
    return;
  }
  button.addEventListener("click", function () {
    status.textContent = status.dataset.locating;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        lat.value = position.coords.latitude.toFixed(6);
        lon.value = position.coords.longitude.toFixed(6);
        var accuracy = status.dataset.accuracy.replace("{metres}", Math.round(position.coords.accuracy));
        status.textContent = lat.value + ", " + lon.value + accuracy;
      },
      function (error) {
        status.textContent = error.code === 1 ? status.dataset.denied : status.dataset.failed;
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });
})();
