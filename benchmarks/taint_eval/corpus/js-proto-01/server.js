const express = require("express");
const app = express();
app.use(express.json());

const defaults = { theme: "light", notifications: { email: true } };

function merge(target, source) {
  for (const key of Object.keys(source)) {
    if (typeof source[key] === "object" && source[key] !== null) {
      target[key] = target[key] || {};
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
