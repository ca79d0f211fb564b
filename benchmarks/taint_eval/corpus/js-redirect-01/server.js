const express = require("express");
const app = express();

app.get("/auth/callback", (req, res) => {
  req.session = { loggedIn: true };
  res.redirect(req.query.returnTo || "/dashboard");
});

app.listen(3000);
