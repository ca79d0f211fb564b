import express from "express";
import fs from "fs";

const app = express();
app.use(express.json({ limit: "2mb" }));
const USERNAME = /^[a-z0-9_]{3,32}$/;

app.put("/avatar", (req, res) => {
  const { username, imageBase64 } = req.body;
  if (typeof username !== "string" || !USERNAME.test(username)) {
    res.status(400).end();
    return;
  }
  fs.writeFileSync(`./public/avatars/${username}.png`, Buffer.from(String(imageBase64), "base64"));
  res.sendStatus(204);
});

export default app;
