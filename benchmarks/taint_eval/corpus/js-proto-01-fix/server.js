const express = require("express");
const app = express();
app.use(express.json());

const defaults = { theme: "light", notifications: { email: true } };
const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);

function merge(target, source) {
  for (const key of Object.keys(source)) {
    if (FORBIDDEN.has(key)) continue;
    if (typeof source[key] === "object" && source[key] !== null) {
      target[key] = Object.hasOwn(target, key) ? target[key] : Object.create(null);
      merge(target[key], source[key]);
    } else {
      target[key] = source[key];
    }
  }
  return target;
}

app.post("/settings", (req, res) => {
  res.json(merge({ ...defaults }, req.body));
});

app.listen(3000);
