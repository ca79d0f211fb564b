import express from "express";
import { MongoClient } from "mongodb";

const client = new MongoClient(process.env.MONGO_URL ?? "mongodb://localhost");
export const tasks = express.Router();

tasks.get("/tasks", async (req, res) => {
  const filter = { owner: req.query.owner, done: false };
  const items = await client.db("todo").collection("tasks").find(filter).toArray();
  res.json(items);
});
