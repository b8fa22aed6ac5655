import type { Metadata } from "next";
import { listApiKeys } from "@/lib/api-keys/access";
import { requireScreen } from "@/lib/auth/guard";
import { memberPrincipal } from "@/lib/auth/principal";
import { ApiKeysScreen, type ApiKeyView } from "./_components/api-keys-screen";

export const metadata: Metadata = { title: "API Keys" };

function formatInstant(instant: Date | null): string | null {
  return instant ? `${instant.toISOString().slice(0, 16).replace("T", " ")} UTC` : null;
}

export default async function ApiKeysPage() {
  const member = await requireScreen("api-keys");
  const keys = await listApiKeys(memberPrincipal(member));
  const views: ApiKeyView[] = keys.map((key) => ({
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    createdBy: key.createdBy ?? "—",
    createdByDeactivated: key.createdByDeactivated,
    createdAt: formatInstant(key.createdAt)!,
    lastUsedAt: formatInstant(key.lastUsedAt),
    revokedAt: formatInstant(key.revokedAt),
    scopes: key.scopes,
  }));
  return (
    <main className="p-4 lg:p-8">
      <h1 className="text-2xl font-semibold">API Keys</h1>
      <p className="mb-6 max-w-2xl text-sm text-slate-600">
        Product services meter Credits through the API with these keys (<code>Authorization: Bearer …</code>), and
        automation manages billing groups with keys that have the <code>admin</code> scope. A key&apos;s scopes are
        chosen when it is created. A key&apos;s secret is shown once, when it is created; revoking a key stops it on the
        next request. Keys belong to the organization: a key keeps working after the member who created it is
        deactivated, until it is revoked here. See{" "}
        <a className="text-indigo-700 underline" href="/api/v1/openapi.json">
          the API reference
        </a>
        .
      </p>
      <ApiKeysScreen keys={views} />
    </main>
  );
}
