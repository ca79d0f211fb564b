import { Router } from "express";
import { MongoClient, ObjectId } from "mongodb";

const client = new MongoClient("mongodb://localhost:27017");
export const notes = Router();

notes.get("/notes/:id", async (req, res) => {
  if (!ObjectId.isValid(req.params.id)) {
    res.status(400).end();
    return;
  }
  const note = await client.db("app").collection("notes").findOne({ _id: new ObjectId(req.params.id) });
  res.json(note);
});
