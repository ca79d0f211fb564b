const http = require("http");

const LANGS = new Set(["en", "de", "fr", "es"]);

http
  .createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    const requested = url.searchParams.get("lang");
    const lang = LANGS.has(requested) ? requested : "en";
    res.setHeader("Content-Language", lang);
    res.setHeader("Set-Cookie", "lang=" + lang);
    res.end("ok");
  })
  .listen(8080);
