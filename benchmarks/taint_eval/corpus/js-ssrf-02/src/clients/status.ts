export async function serviceStatus(host: string, port: number): Promise<boolean> {
  const res = await fetch(`http://${host}:${port}/status`);
  return res.ok;
}
