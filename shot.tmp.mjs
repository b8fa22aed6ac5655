import { chromium } from "@playwright/test";
const base = process.env.BASE ?? "http://localhost:3600";
const [, , ...steps] = process.argv;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const width = Number(process.env.W ?? 1440),
  height = Number(process.env.H ?? 900);
const page = await browser.newPage({ viewport: { width, height }, colorScheme: process.env.SCHEME ?? "light" });
await page.goto(base + "/sign-in");
await page.getByLabel("Email").fill(process.env.EMAIL ?? "admin@example.com");
await page.getByLabel("Password").fill(process.env.PASSWORD ?? "demo-admin");
await page.getByRole("button", { name: "Sign in" }).click();
await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
const script = process.env.SCRIPT;
if (script) await new Function("page", `return (async () => { ${script} })()`)(page);
await page.screenshot({ path: process.env.OUT ?? "/tmp/shot.png", fullPage: process.env.FULL === "1" });
await browser.close();
