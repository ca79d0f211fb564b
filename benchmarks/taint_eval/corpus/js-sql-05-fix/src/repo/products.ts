import { Knex } from "knex";

export async function productsInCategory(db: Knex, category: string) {
  return db.raw("select * from products where category = ?", [category]);
}
