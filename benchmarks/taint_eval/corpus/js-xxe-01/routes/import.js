const express = require("express");
const libxmljs = require("libxmljs");

const router = express.Router();
router.use(express.text({ type: "application/xml" }));

router.post("/import", (req, res) => {
  const doc = libxmljs.parseXml(req.body, { noent: true, dtdload: true });
  res.json({ products: doc.find("//product").length });
});

module.exports = router;
