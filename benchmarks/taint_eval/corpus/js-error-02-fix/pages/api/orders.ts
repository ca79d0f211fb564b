import type { NextApiRequest, NextApiResponse } from "next";
import { prisma } from "../../lib/prisma";

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  try {
    const orders = await prisma.order.findMany({ where: { userId: String(req.query.user) } });
    res.json(orders);
  } catch (error) {
    console.error("orders query failed", error);
    res.status(500).json({ error: "Could not load orders" });
  }
}
