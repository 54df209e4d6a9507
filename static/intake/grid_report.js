// Grid report: fill the optional GPS position from the phone (the page works without it).
(function () {
  "use strict";
  var button = document.getElementById("locate");
  var status = document.getElementById("gps-status");
  var lat = document.querySelector("input[name=latitude]");
  var lon = document.querySelector("input[name=longitude]");
  if (!button || !lat || !lon) return;
  if (!("geolocation" in navigator)) {
    button.disabled = true;
    status.textContent = "此设备不支持定位";
    return;
  }
  button.addEventListener("click", function () {
    status.textContent = "正在定位…";
    navigator.geolocation.getCurrentPosition(
      function (position) {
        lat.value = position.coords.latitude.toFixed(6);
        lon.value = position.coords.longitude.toFixed(6);
        status.textContent = lat.value + ", " + lon.value + "（±" + Math.round(position.coords.accuracy) + "米）";
      },
      function (error) {
        status.textContent = error.code === 1 ? "未获得定位授权，可不填" : "定位失败，可不填";
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });
})();
