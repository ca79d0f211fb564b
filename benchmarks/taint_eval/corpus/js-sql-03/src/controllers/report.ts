import { Request, Response } from "express";
import { QueryTypes } from "sequelize";
import { sequelize } from "../db";

export async function salesReport(req: Request, res: Response) {
  const from = req.query.from as string;
  const rows = await sequelize.query(`SELECT day, total FROM daily_sales WHERE day >= '${from}'`, {
    type: QueryTypes.SELECT,
  });
  res.json(rows);
}
