const http = require("http");

http
  .createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    const lang = url.searchParams.get("lang") || "en";
    res.setHeader("Content-Language", lang);
    res.setHeader("Set-Cookie", "lang=" + lang);
    res.end("ok");
  })
  .listen(8080);
