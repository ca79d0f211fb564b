import { Pool } from "pg";

const pool = new Pool();
const SORTABLE: Record<string, string> = { name: "name", age: "created_at", size: "byte_size" };

export async function listFiles(sort: string) {
  const column = Object.prototype.hasOwnProperty.call(SORTABLE, sort) ? SORTABLE[sort] : "name";
  return (await pool.query(`SELECT * FROM files ORDER BY ${column}`)).rows;
}
