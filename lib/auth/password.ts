// Sign-in's view of password hashing, which lives in lib/crypto/password.ts so the seeds can use it
// without importing lib/auth (lib/auth/options.ts is owned elsewhere and still imports this path).
export { hashPassword, verifyPassword } from "@/lib/crypto/password";
