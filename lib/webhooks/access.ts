import "server-only";
import { withOrg } from "@/db";
import { requireMemberRole, type Principal } from "@/lib/auth/principal";
import { ADMIN_ONLY } from "@/lib/auth/roles";
import { NotFoundError } from "@/lib/errors";
import { parseUuid } from "@/lib/ids";
import { wakeEventDelivery } from "@/lib/events/wake";
import { WEBHOOK_DELIVERIES_PAGE_SIZE } from "@/lib/limits";
import { clampPage } from "@/lib/pagination";
import {
  endpointStatus,
  toWebhookDeliveryDto,
  toWebhookEndpointDto,
  type WebhookDeliveriesDto,
  type WebhookEndpointDto,
} from "./dto";
import * as queries from "./queries";
import type { CreateWebhookEndpointInput, UpdateWebhookEndpointInput, WebhookDeliveryInput } from "./schemas";
import * as service from "./service";

// R41: webhook endpoints, their secrets and their delivery logs are an admin's business only.
// Org-level, not period-bound (R23 does not apply).

function admin(principal: Principal) {
  const { orgId, actor } = requireMemberRole(principal, ADMIN_ONLY);
  return { orgId, actor };
}

/** An endpoint id from a URL or form, or not found (never a database error for a malformed id). */
function endpointIdOf(id: string): string {
  const parsed = parseUuid(id);
  if (!parsed) throw new NotFoundError("That webhook endpoint");
  return parsed;
}

export async function listWebhookEndpoints(principal: Principal): Promise<WebhookEndpointDto[]> {
  const { orgId } = admin(principal);
  const rows = await withOrg(orgId, (tx) => queries.listWebhookEndpoints(tx, { orgId }));
  return rows.map(toWebhookEndpointDto);
}

/** One endpoint's delivery log, newest first, one page at a time, each delivery with its attempts. */
export async function getWebhookDeliveries(
  principal: Principal,
  params: { endpointId: string; page?: unknown },
): Promise<WebhookDeliveriesDto> {
  const { orgId } = admin(principal);
  const endpointId = endpointIdOf(params.endpointId);
  const pageSize = WEBHOOK_DELIVERIES_PAGE_SIZE;
  return withOrg(orgId, async (tx) => {
    const endpoint = await queries.findWebhookEndpoint(tx, { orgId, id: endpointId });
    if (!endpoint) throw new NotFoundError("That webhook endpoint");
    const total = await queries.countWebhookDeliveries(tx, { orgId, endpointId });
    const page = clampPage(params.page ?? 1, total, pageSize);
    const rows = await queries.listWebhookDeliveries(tx, {
      orgId,
      endpointId,
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    return {
      endpoint: { id: endpoint.id, url: endpoint.url, status: endpointStatus(endpoint.disabledAt) },
      page,
      pageSize,
      total,
      deliveries: rows.map(toWebhookDeliveryDto),
    };
  });
}

export async function createWebhookEndpoint(principal: Principal, input: CreateWebhookEndpointInput) {
  const ctx = admin(principal);
  return withOrg(ctx.orgId, (tx) => service.createWebhookEndpoint(tx, ctx, input));
}

export async function updateWebhookEndpoint(principal: Principal, input: UpdateWebhookEndpointInput) {
  const ctx = admin(principal);
  const id = endpointIdOf(input.id);
  return withOrg(ctx.orgId, (tx) => service.updateWebhookEndpoint(tx, ctx, { ...input, id }));
}

export async function rotateWebhookSecret(principal: Principal, input: { id: string }) {
  const ctx = admin(principal);
  const id = endpointIdOf(input.id);
  return withOrg(ctx.orgId, (tx) => service.rotateWebhookSecret(tx, ctx, { id }));
}

export async function deleteWebhookEndpoint(principal: Principal, input: { id: string }) {
  const ctx = admin(principal);
  const id = endpointIdOf(input.id);
  return withOrg(ctx.orgId, (tx) => service.deleteWebhookEndpoint(tx, ctx, { id }));
}

export async function resendWebhookDelivery(principal: Principal, input: WebhookDeliveryInput) {
  const ctx = admin(principal);
  const endpointId = endpointIdOf(input.endpointId);
  const resent = await withOrg(ctx.orgId, (tx) =>
    service.resendWebhookDelivery(tx, ctx, { endpointId, deliveryId: input.deliveryId }),
  );
  await wakeEventDelivery(ctx.orgId);
  return resent;
}

export async function sendWebhookTestEvent(principal: Principal, input: { id: string }) {
  const ctx = admin(principal);
  const id = endpointIdOf(input.id);
  const sent = await withOrg(ctx.orgId, (tx) => service.sendWebhookTestEvent(tx, ctx, { id }));
  await wakeEventDelivery(ctx.orgId);
  return sent;
}
