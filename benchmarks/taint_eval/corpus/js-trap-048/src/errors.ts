import { Request, Response, NextFunction } from "express";

export function errorHandler(err: Error, req: Request, res: Response, _next: NextFunction) {
  console.error(`[${req.method} ${req.path}]`, err.stack);
  res.status(500).json({ error: "internal_error", requestId: req.get("x-request-id") ?? null });
}
