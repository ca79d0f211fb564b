import express from "express";
import path from "path";

const DOCS = new Map([
  ["privacy", "privacy-policy.pdf"],
  ["terms", "terms-of-service.pdf"],
]);

export const legal = express.Router();

legal.get("/legal/:doc", (req, res) => {
  const file = DOCS.get(req.params.doc);
  if (!file) {
    res.sendStatus(404);
    return;
  }
  res.sendFile(path.join("/srv/legal", file));
});
