import express from "express";
import jsonLogic from "json-logic-js";

export const app = express();
app.use(express.json());

app.post("/rules/test", (req, res) => {
  const data = { order: { total: 120, country: "DE" } };
  const outcome = jsonLogic.apply(req.body.rule, data);
  res.json({ outcome });
});
