const express = require("express");
const app = express();
app.set("view engine", "ejs");

app.get("/profile", (req, res) => {
  res.render("profile", { displayName: req.query.displayName || "Anonymous" });
});

app.listen(3000);
