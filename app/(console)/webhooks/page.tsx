import type { Metadata } from "next";
import { requireScreen } from "@/lib/auth/guard";
import { memberPrincipal } from "@/lib/auth/principal";
import { listWebhookEndpoints } from "@/lib/webhooks/access";
import { WEBHOOK_EVENT_CHOICES } from "@/lib/webhooks/schemas";
import { WebhooksScreen } from "./_components/webhooks-screen";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  const member = await requireScreen("webhooks");
  const endpoints = await listWebhookEndpoints(memberPrincipal(member));
  return (
    <main className="p-4 lg:p-8">
      <h1 className="text-2xl font-semibold">Webhooks</h1>
      <p className="mb-2 max-w-2xl text-sm text-slate-600">
        Ledgerline posts usage alerts (thresholds crossed and resolved, forecasts) as JSON to these endpoints, and
        retries a failed delivery with backoff for 24 hours with the same event id. An endpoint&apos;s signing secret is
        shown once, when it is added or rotated.
      </p>
      <SignatureNote />
      <WebhooksScreen endpoints={endpoints} eventChoices={WEBHOOK_EVENT_CHOICES} />
    </main>
  );
}

/** Deliveries are signed (R41); the README's section "Verifying webhook signatures" has receiver code. */
function SignatureNote() {
  return (
    <details className="mb-6 max-w-2xl text-sm text-slate-600">
      <summary className="cursor-pointer">
        Every delivery is signed: verify it before trusting it (README, section &ldquo;Verifying webhook
        signatures&rdquo;, has receiver code).
      </summary>
      <p className="mt-2">
        Each request carries <code>Ledgerline-Event-Id</code> and{" "}
        <code>Ledgerline-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</code>. Compute HMAC-SHA256 of{" "}
        <code>&lt;t&gt;.&lt;raw request body&gt;</code> keyed by the signing secret, compare it with <code>v1</code> in
        constant time, and refuse a <code>t</code> more than 5 minutes old. A retried delivery keeps its event id, so a
        receiver can ignore one it has already processed.
      </p>
    </details>
  );
}
