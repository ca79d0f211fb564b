const express = require("express");
const cookieParser = require("cookie-parser");

const app = express();
app.use(cookieParser());

app.get("/profile", (req, res) => {
  let profile = {};
  try {
    profile = JSON.parse(Buffer.from(req.cookies.profile || "", "base64").toString());
  } catch {
    return res.status(400).end();
  }
  res.send("Hello " + encodeURIComponent(String(profile.username)));
});

app.listen(3000);
