(function () {
  var ref = decodeURIComponent(location.hash.slice(1));
  document.write('<div class="ref">Referred by ' + ref + "</div>");
})();
