import express from "express";
import fs from "fs";
import { z } from "zod";

const Query = z.object({ period: z.enum(["daily", "weekly", "monthly"]) });
export const reports = express.Router();

reports.get("/reports", (req, res) => {
  const parsed = Query.safeParse(req.query);
  if (!parsed.success) {
    res.status(400).json(parsed.error.flatten());
    return;
  }
  res.type("text/csv").send(fs.readFileSync(`/srv/reports/${parsed.data.period}.csv`, "utf8"));
});
