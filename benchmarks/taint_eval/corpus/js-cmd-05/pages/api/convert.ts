import type { NextApiRequest, NextApiResponse } from "next";
import { execSync } from "child_process";

export default function handler(req: NextApiRequest, res: NextApiResponse) {
  const { file, width } = req.query as { file: string; width: string };
  const parts = ["convert", `/data/${file}`, "-resize", width, `/data/thumb-${file}`];
  execSync(parts.join(" "));
  res.status(200).json({ done: true });
}
