// The console's reads were server actions once and are GET route handlers now (issue 13). Tests
// written against the actions call them through these adapters, which answer in the action shape
// (`{ ok, data }` or `{ ok: false, code, error }`) from the route's status and `{ error, message }` body.

type Read = { ok: true; data: unknown } | { ok: false; code: string; error: string };

async function asResult(response: Response, unwrap: (body: never) => unknown = (body) => body): Promise<Read> {
  const body = await response.json();
  if (response.ok) return { ok: true, data: unwrap(body as never) };
  return { ok: false, code: body.error, error: body.message };
}

const at = (path: string, query: Record<string, string> = {}) =>
  new Request(`http://localhost${path}?${new URLSearchParams(query).toString()}`);
const params = (values: Record<string, string>) => ({ params: Promise.resolve(values) });

export const consoleReadsAsActions = {
  async billingGroupDetailsAction(input: { id: string; period: string }) {
    const route = await import("@/app/api/console/billing-groups/[id]/route");
    const path = `/api/console/billing-groups/${input.id}`;
    return asResult(await route.GET(at(path, { period: input.period }), params({ id: input.id })));
  },
  async billingGroupViewersAction(input: { billingGroupId: string }) {
    const route = await import("@/app/api/console/billing-groups/[id]/viewers/route");
    const path = `/api/console/billing-groups/${input.billingGroupId}/viewers`;
    return asResult(
      await route.GET(at(path), params({ id: input.billingGroupId })),
      (body: { viewers: unknown }) => body.viewers,
    );
  },
  async billingGroupRecipientsAction(input: { billingGroup: string }) {
    const route = await import("@/app/api/console/billing-groups/[id]/recipients/route");
    const path = `/api/console/billing-groups/${input.billingGroup}/recipients`;
    return asResult(await route.GET(at(path), params({ id: input.billingGroup })));
  },
  async searchMembersAction(input: { q: string; scope: string }) {
    const route = await import("@/app/api/console/members/search/route");
    return asResult(await route.GET(at("/api/console/members/search", input)));
  },
};
