process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";

async function main() {
  const res = await fetch("https://inventory.internal.example.com/export");
  console.log(await res.text());
}

main();
