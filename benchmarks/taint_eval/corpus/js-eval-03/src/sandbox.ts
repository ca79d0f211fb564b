import express from "express";
import vm from "vm";

export const app = express();
app.use(express.json());

app.post("/rules/test", (req, res) => {
  const context = { order: { total: 120, country: "DE" } };
  const outcome = vm.runInNewContext(req.body.rule, context, { timeout: 50 });
  res.json({ outcome });
});
