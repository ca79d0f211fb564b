import type { NextApiRequest, NextApiResponse } from "next";
import { prisma } from "../../lib/prisma";

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  try {
    const orders = await prisma.order.findMany({ where: { userId: String(req.query.user) } });
    res.json(orders);
  } catch (error) {
    res.status(500).send(String(error));
  }
}
