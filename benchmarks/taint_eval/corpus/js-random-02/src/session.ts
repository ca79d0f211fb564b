import { Request, Response, NextFunction } from "express";

export function ensureSession(req: Request, res: Response, next: NextFunction) {
  if (!req.cookies.sid) {
    const sid = Math.floor(Math.random() * 1e16).toString(16);
    res.cookie("sid", sid, { httpOnly: true, secure: true, sameSite: "lax" });
  }
  next();
}
