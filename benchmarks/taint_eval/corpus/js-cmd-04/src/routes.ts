import { Router, Request, Response } from "express";
import { transcode } from "./services/media";

export const router = Router();

router.post("/transcode", async (req: Request, res: Response) => {
  const job = { source: req.body.source, format: req.body.format ?? "mp4" };
  const log = await transcode(job);
  res.json({ log });
});
