import { execFile } from "child_process";
import { promisify } from "util";

const run = promisify(execFile);
const FORMATS = new Set(["mp4", "webm", "mkv"]);

export interface TranscodeJob {
  source: string;
  format: string;
}

export async function transcode(job: TranscodeJob): Promise<string> {
  if (!FORMATS.has(job.format)) throw new Error("unsupported format");
  const { stdout } = await run("ffmpeg", ["-y", "-i", job.source, `output.${job.format}`]);
  return stdout;
}
