"use client";

import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { safeCallbackPath } from "@/lib/auth/safe-redirect";
import { RATE_LIMITED } from "@/lib/auth/throttle-rules";

export function SignInForm({
  callbackUrl,
  initialError,
  ssoName,
}: {
  callbackUrl: string;
  initialError: string | null;
  ssoName: string | null;
}) {
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState(false);
  const [email, setEmail] = useState("");

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    if (result?.ok && !result.error) {
      // The page already passed a safe path; checked again here so nothing unchecked is assigned.
      window.location.assign(safeCallbackPath(callbackUrl, window.location.origin));
      return;
    }
    setPending(false);
    if (result?.error?.startsWith(`${RATE_LIMITED}:`)) {
      const minutes = Number(result.error.split(":")[1]) || 15;
      setError(`Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`);
      return;
    }
    // One message for unknown email, wrong password and deactivated account: nothing leaks.
    setError("Incorrect email or password.");
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
      <FormError message={error} />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="username"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required />
      <Button type="submit" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
      {ssoName ? (
        <Button variant="secondary" onClick={() => signIn("oidc", { callbackUrl })}>
          Continue with {ssoName}
        </Button>
      ) : null}
    </form>
  );
}
