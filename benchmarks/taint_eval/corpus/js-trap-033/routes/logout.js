const express = require("express");
const router = express.Router();

router.get("/logout", (req, res) => {
  req.session = null;
  console.log("logout from", req.query.from);
  res.redirect("/login?logged_out=1");
});

module.exports = router;
