import crypto from "crypto";

export function encryptCardToken(key: Buffer, iv: Buffer, plain: string): string {
  const cipher = crypto.createCipheriv("des-ede3-cbc", key, iv);
  return Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]).toString("base64");
}
