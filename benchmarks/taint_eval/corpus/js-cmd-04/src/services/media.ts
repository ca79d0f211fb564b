import { exec } from "child_process";
import { promisify } from "util";

const run = promisify(exec);

export interface TranscodeJob {
  source: string;
  format: string;
}

export async function transcode(job: TranscodeJob): Promise<string> {
  const { stdout } = await run(`ffmpeg -y -i ${job.source} output.${job.format}`);
  return stdout;
}
