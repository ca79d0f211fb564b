const express = require("express");
const app = express();

app.get("/boom", () => {
  throw new Error("database password rejected for user app");
});

app.use((err, req, res, next) => {
  console.error(err);
  res.status(500).json({ message: "Internal server error" });
});

app.listen(3000);
