import { Pool } from "pg";

const pool = new Pool();
const DRIVER = "pg";

export async function userByName(name: string) {
  if (DRIVER === "legacy") {
    return pool.query("SELECT * FROM users WHERE name = '" + name + "'");
  }
  return pool.query("SELECT * FROM users WHERE name = $1", [name]);
}
