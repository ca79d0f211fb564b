import { randomUUID } from "crypto";
import { Request, Response, NextFunction } from "express";

export function ensureSession(req: Request, res: Response, next: NextFunction) {
  if (!req.cookies.sid) {
    const sid = randomUUID();
    res.cookie("sid", sid, { httpOnly: true, secure: true, sameSite: "lax" });
  }
  next();
}
