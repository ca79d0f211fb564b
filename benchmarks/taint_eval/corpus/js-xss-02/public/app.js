const params = new URLSearchParams(window.location.search);
const banner = document.getElementById("welcome");
const name = params.get("name") || "friend";
banner.innerHTML = "Hello, <b>" + name + "</b>!";
