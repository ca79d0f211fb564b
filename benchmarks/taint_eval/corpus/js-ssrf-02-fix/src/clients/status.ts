const SERVICES: Record<string, string> = {
  payments: "http://payments.internal:8080",
  search: "http://search.internal:9200",
};

export async function serviceStatus(service: string): Promise<boolean> {
  const base = SERVICES[service];
  if (!base) throw new Error(`unknown service ${service}`);
  const res = await fetch(`${base}/status`);
  return res.ok;
}
