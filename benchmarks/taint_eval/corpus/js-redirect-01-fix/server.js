const express = require("express");
const app = express();

function safeReturnPath(value) {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.includes("\\")) {
    return "/dashboard";
  }
  return value;
}

app.get("/auth/callback", (req, res) => {
  req.session = { loggedIn: true };
  res.redirect(safeReturnPath(req.query.returnTo));
});

app.listen(3000);
