import type { Metadata } from "next";
import { creditsFormatter } from "@/lib/format/request-locale";
import Link from "next/link";
import { notFound } from "next/navigation";
import { HistoricalPeriodBanner } from "@/components/historical-period-banner";
import { PeriodSelector } from "@/components/period-selector";
import { Progress } from "@/components/ui/progress";
import { Cell, EmptyRow, HeaderCell, Table, TableBody, TableHead, TableRow } from "@/components/ui/table";
import { usagePercent } from "@/lib/billing-groups/rules";
import { requireScreen } from "@/lib/auth/guard";
import { memberPrincipal } from "@/lib/auth/principal";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { formatCredits } from "@/lib/credits/rules";
import { parseUuid } from "@/lib/ids";
import { getMemberProfile } from "@/lib/members/access";
import { applyingPersonalLimit, blockedExplanation, type PersonalLimitSource } from "@/lib/usage/rules";
import { HISTORICAL_PERIOD_REASON, pagePeriod } from "@/lib/periods/page-period";
import { formatPeriodLabel } from "@/lib/periods/rules";
import { billingGroupChoices } from "../_components/choices";
import { BillingGroupForm, PersonalLimitForm, RoleAndAccessForm } from "../_components/member-detail-forms";

export const metadata: Metadata = { title: "Member" };

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="rounded-lg border border-slate-200 bg-white p-5">
      <h2 id={id} className="mb-3 text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

/** R42: which personal limit applies to the member, in words: their own, or their billing group's default. */
function LimitSource({
  source,
  groupName,
  groupDefault,
}: {
  source: PersonalLimitSource | null;
  groupName: string;
  groupDefault: bigint | null;
}) {
  if (source === null) return null;
  return (
    <p className="mt-1 text-slate-700">
      {source === "billing_group_default" ? (
        <>
          Limit source: <strong>billing group default</strong>: the Default Personal Limit of {groupName}, as this
          member has no personal usage limit of their own. A limit set below overrides it.
        </>
      ) : (
        <>
          Limit source: <strong>personal</strong>: the member's own limit
          {groupDefault === null
            ? "."
            : `, which overrides the Default Personal Limit of ${groupName} (${formatCredits(groupDefault)} Credits). Clear it to use the default.`}
        </>
      )}
    </p>
  );
}

export default async function MemberDetailsPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ period?: string }>;
}) {
  const viewer = await requireScreen("members");
  const memberId = parseUuid((await params).id);
  if (!memberId) notFound();
  const { period, current, options, isHistorical } = pagePeriod(viewer, (await searchParams).period);
  // Entitlement is always "now": the same answer the metering API gives (R32).
  const { member, billingGroups, entitlement, liveApiKeyCount } = await getMemberProfile(memberPrincipal(viewer), {
    memberId,
    period,
  });
  if (!member) notFound();

  const deactivated = member.deactivatedAt !== null;
  const historicalReason = isHistorical ? HISTORICAL_PERIOD_REASON : undefined;
  // R42: the member's own limit, else their billing group's default (Unassigned has none).
  const groupDefault = member.billingGroupId ? member.billingGroupDefaultPersonalLimit : null;
  const { limit, source } = applyingPersonalLimit(member.personalLimit, groupDefault);
  const configured = limit !== null && limit > 0n;
  const groupLimit = member.billingGroupLimit;
  const periodLabel = formatPeriodLabel(period, current);
  const credits = await creditsFormatter();

  return (
    <main className="flex flex-col gap-6 p-4 lg:p-8">
      <div>
        <Link href={`/members?period=${period}`} className="text-sm text-indigo-800 hover:underline">
          ← Members
        </Link>
      </div>
      <div className="flex flex-wrap items-center justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">
            {member.name}
            {deactivated ? (
              <span className="ml-3 rounded bg-slate-200 px-2 py-0.5 align-middle text-sm font-normal">
                Deactivated
              </span>
            ) : null}
          </h1>
          <p className="text-sm text-slate-700">
            {member.email} · {ROLE_LABELS[member.role]} · member since {member.createdAt.toISOString().slice(0, 10)}
          </p>
        </div>
        <PeriodSelector value={period} options={options} />
      </div>
      {isHistorical ? (
        <HistoricalPeriodBanner
          path={`/members/${member.id}`}
          searchParams={{}}
          currentOnly="role, status and groups"
        />
      ) : null}

      <div className="grid gap-6 lg:grid-cols-2">
        <Section id="billing-group-heading" title="Billing group">
          <p className="mb-3 text-sm text-slate-700">
            {isHistorical ? `At the end of ${periodLabel}: ` : "Current: "}
            <strong>{member.billingGroupName ?? "Unassigned"}</strong>. Reassigning changes where new usage is
            attributed; usage already recorded keeps its billing group.
          </p>
          <BillingGroupForm
            memberId={member.id}
            period={period}
            billingGroups={billingGroupChoices(billingGroups)}
            current={member.billingGroupId ?? "unassigned"}
            disabledReason={
              historicalReason ?? (deactivated ? "Reactivate the member to change their billing group." : undefined)
            }
          />
        </Section>

        <Section id="limit-heading" title="Personal usage limit">
          <div className="mb-4 text-sm">
            <p>
              Usage in {periodLabel}: <strong>{credits(member.periodUsage)}</strong> Credits of{" "}
              <strong className={configured ? undefined : "text-amber-900"}>
                {limit === null ? "Not configured" : credits(limit)}
              </strong>
              {source === "billing_group_default" ? " (group default)" : null}
            </p>
            <LimitSource
              source={source}
              groupName={member.billingGroupName ?? "Unassigned"}
              groupDefault={groupDefault}
            />
            {configured ? (
              <div className="mt-2">
                <Progress
                  label="Personal usage"
                  percent={usagePercent(member.periodUsage, limit) ?? 0}
                  valueText={`${credits(member.periodUsage)} of ${credits(limit)} Credits`}
                  over={member.periodUsage > limit}
                />
              </div>
            ) : (
              <p className="mt-1 text-amber-900">⚠ This member cannot use Credits until a limit above 0 is set.</p>
            )}
            <p className="mt-2 text-slate-700">
              {member.billingGroupName ?? "Unassigned"} used {credits(member.billingGroupPeriodUsage)} Credits in this
              period
              {member.billingGroupId && groupLimit !== null
                ? ` of its ${credits(groupLimit)} limit (${credits(groupLimit > member.billingGroupPeriodUsage ? groupLimit - member.billingGroupPeriodUsage : 0n)} remaining).`
                : " (no group limit)."}
            </p>
          </div>
          {entitlement ? (
            <p
              role="status"
              className={`mb-4 rounded-md px-3 py-2 text-sm ${entitlement.canUse ? "bg-emerald-50 text-emerald-900" : "bg-amber-50 text-amber-900"}`}
            >
              {blockedExplanation(entitlement) ??
                `Can use Credits now: ${credits(entitlement.personal.remaining ?? "0")} Credits left personally${entitlement.group.remaining !== null ? `, ${credits(entitlement.group.remaining)} left in ${entitlement.billingGroup.name}` : ""}.`}
            </p>
          ) : null}
          <PersonalLimitForm
            memberId={member.id}
            period={period}
            current={member.personalLimit === null ? "" : formatCredits(member.personalLimit)}
            disabledReason={historicalReason}
          />
        </Section>

        <Section id="role-heading" title="Role and access">
          {viewer.role === "admin" ? (
            <RoleAndAccessForm
              memberId={member.id}
              period={period}
              role={member.role}
              deactivated={deactivated}
              memberName={member.name}
              isSelf={member.id === viewer.id}
              liveApiKeys={liveApiKeyCount}
              disabledReason={historicalReason}
            />
          ) : (
            <div className="text-sm">
              <dl>
                <dt className="font-medium">Role</dt>
                <dd className="mb-2">{ROLE_LABELS[member.role]}</dd>
                <dt className="font-medium">Status</dt>
                <dd>{deactivated ? "Deactivated" : "Active"}</dd>
              </dl>
              <p className="mt-3 text-slate-600">Only admins can change roles or deactivate members.</p>
            </div>
          )}
        </Section>

        <Section id="groups-heading" title="Groups">
          {member.groups.length === 0 ? (
            <p className="text-sm text-slate-600">Not in any group.</p>
          ) : (
            <ul className="flex flex-wrap gap-2">
              {member.groups.map((g) => (
                <li key={g.id} className="rounded bg-slate-100 px-2 py-1 text-sm">
                  {viewer.role === "admin" ? (
                    <Link href={`/groups/${g.id}`} className="text-indigo-800 hover:underline">
                      {g.name}
                    </Link>
                  ) : (
                    g.name
                  )}
                </li>
              ))}
            </ul>
          )}
        </Section>
      </div>

      <Section id="usage-heading" title="Usage records by period">
        <Table label="Usage records" framed={false}>
          <TableHead>
            <HeaderCell>Period</HeaderCell>
            <HeaderCell>Billing Group</HeaderCell>
            <HeaderCell numeric>Credits Consumption</HeaderCell>
            <HeaderCell numeric>Events</HeaderCell>
          </TableHead>
          <TableBody>
            {member.usageByPeriod.length === 0 ? <EmptyRow columns={4}>No usage recorded.</EmptyRow> : null}
            {member.usageByPeriod.map((u) => (
              <TableRow
                key={`${u.period}-${u.billingGroupName ?? ""}`}
                className={u.period === period ? "bg-indigo-50" : ""}
              >
                <Cell>{formatPeriodLabel(u.period, current)}</Cell>
                <Cell>
                  {u.billingGroupName ?? "Unassigned"}
                  {u.billingGroupDeleted ? <span className="ml-2 text-xs text-slate-600">(deleted)</span> : null}
                </Cell>
                <Cell numeric>{formatCredits(u.credits)}</Cell>
                <Cell numeric>{u.eventCount}</Cell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Section>
    </main>
  );
}
