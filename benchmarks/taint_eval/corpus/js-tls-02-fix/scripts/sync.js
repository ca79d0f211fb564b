async function main() {
  const res = await fetch("https://inventory.internal.example.com/export");
  console.log(await res.text());
}

main();
