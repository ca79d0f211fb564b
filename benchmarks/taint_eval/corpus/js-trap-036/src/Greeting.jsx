import React from "react";
import { useSearchParams } from "react-router-dom";

export default function Greeting() {
  const [params] = useSearchParams();
  const name = params.get("name") ?? "there";
  return <h1 className="greeting">Hi {name}, welcome back!</h1>;
}
