import type { NextApiRequest, NextApiResponse } from "next";
import { execFileSync } from "child_process";
import path from "path";

export default function handler(req: NextApiRequest, res: NextApiResponse) {
  const { file, width } = req.query as { file: string; width: string };
  const name = path.basename(file);
  const size = Number.parseInt(width, 10);
  if (!Number.isInteger(size) || size < 1 || size > 4096) {
    res.status(400).json({ error: "bad width" });
    return;
  }
  execFileSync("convert", [`/data/${name}`, "-resize", String(size), `/data/thumb-${name}`]);
  res.status(200).json({ done: true });
}
