const q = new URLSearchParams(location.search).get("q") || "";
document.querySelector("#query-echo").textContent = `You searched for: ${q}`;
document.title = "Search – " + q.slice(0, 40);
