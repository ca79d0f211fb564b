import express from "express";
import fs from "fs";

const app = express();
app.use(express.json({ limit: "2mb" }));

app.put("/avatar", (req, res) => {
  const { username, imageBase64 } = req.body;
  fs.writeFileSync(`./public/avatars/${username}.png`, Buffer.from(imageBase64, "base64"));
  res.sendStatus(204);
});

export default app;
