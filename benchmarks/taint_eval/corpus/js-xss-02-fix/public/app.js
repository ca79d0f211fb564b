const params = new URLSearchParams(window.location.search);
const banner = document.getElementById("welcome");
const name = params.get("name") || "friend";
const strong = document.createElement("b");
strong.textContent = name;
banner.replaceChildren("Hello, ", strong, "!");
