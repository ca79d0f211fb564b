(function () {
  var ref = decodeURIComponent(location.hash.slice(1));
  var div = document.createElement("div");
  div.className = "ref";
  div.textContent = "Referred by " + ref;
  document.body.appendChild(div);
})();
