"use client";

import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { BillingGroupsOverviewDto, BillingGroupTrendsDto } from "@/lib/billing-groups/trends-dto";
import { ChartFigure } from "./chart-figure";
import { useCreditsFormat } from "@/components/locale-provider";

// R45's three charts (recharts). Their keyboard layer is off: the drawing is hidden from assistive
// technology (ChartFigure), whose summary and data table carry the same figures. Colours hold 3:1
// against both themes' backgrounds; the limit is also told apart by its dash, not by colour alone.
const USED = "#6366f1";
const LIMIT = "#dc2626";
const PREVIOUS = "#64748b";
const AXIS = { fontSize: 12, fill: "currentColor" };

/** A group's last 12 periods: usage bars against the limit that applied in each. */
export function PeriodUsageChart({ trends }: { trends: BillingGroupTrendsDto }) {
  const format = useCreditsFormat();
  const credits = (text: string) => `${format(text)} Credits`;
  const data = trends.periods.map((p) => ({ label: p.label, used: p.used.value, limit: p.limit?.value ?? null }));
  const over = trends.periods.filter((p) => p.limit && p.used.value > p.limit.value).length;
  const last = trends.periods.at(-1);
  const summary =
    trends.periods.length === 1
      ? `${last!.label}: ${credits(last!.used.text)} used${last!.limit ? ` of a ${format(last!.limit.text)} Credits limit` : ", no period limit"}.`
      : `${trends.periods.length} periods, ${trends.periods[0]!.label} to ${last!.label}. ${last!.label}: ${credits(last!.used.text)}${last!.limit ? ` of ${format(last!.limit.text)}` : ""}. Highest: ${highest(trends.periods, credits)}. ${over === 0 ? "No period went over its limit." : `${over} period${over === 1 ? "" : "s"} over the limit.`}`;
  return (
    <ChartFigure
      title="Usage by period"
      summary={summary}
      table={{
        label: "Usage by period",
        columns: [{ name: "Period" }, { name: "Credits used", numeric: true }, { name: "Period limit", numeric: true }],
        rows: trends.periods.map((p) => ({
          key: p.period,
          cells: [p.label, format(p.used.text), p.limit ? format(p.limit.text) : "No limit"],
        })),
      }}
    >
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.2} vertical={false} />
          <XAxis dataKey="label" tick={AXIS} tickFormatter={(l: string) => l.slice(0, 3)} />
          <YAxis tick={AXIS} width={56} />
          <Tooltip />
          <Legend />
          <Bar dataKey="used" name="Credits used" fill={USED} isAnimationActive={false} />
          <Line
            dataKey="limit"
            name="Period limit"
            type="stepAfter"
            stroke={LIMIT}
            strokeDasharray="6 3"
            dot={false}
            connectNulls={false}
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}

function highest(periods: BillingGroupTrendsDto["periods"], credits: (text: string) => string) {
  const top = periods.reduce((a, b) => (b.used.value > a.used.value ? b : a));
  return `${credits(top.used.text)} in ${top.label}`;
}

/** The current period: the running total per day, the projected end (R40) and the limit. */
export function DailyUsageChart({
  daily,
  periodLabel,
}: {
  daily: NonNullable<BillingGroupTrendsDto["daily"]>;
  periodLabel: string;
}) {
  const format = useCreditsFormat();
  const credits = (text: string) => `${format(text)} Credits`;
  const today = daily.days.at(-1);
  const data: { day: number; used: number | null; projected: number | null }[] = Array.from(
    { length: daily.daysInPeriod },
    (_, i) => ({ day: i + 1, used: daily.days[i]?.cumulative.value ?? null, projected: null }),
  );
  if (today && daily.projectedEnd) {
    data[today.day - 1]!.projected = today.cumulative.value;
    data[daily.daysInPeriod - 1]!.projected = daily.projectedEnd.value;
  }
  const summary = !today
    ? `${periodLabel} has just begun: no usage yet.`
    : `Through day ${today.day} of ${daily.daysInPeriod}: ${credits(today.cumulative.text)} used.${
        daily.projectedEnd ? ` At this pace the period ends at ${credits(daily.projectedEnd.text)}` : ""
      }${daily.projectedEnd && daily.limit ? `, against a limit of ${credits(daily.limit.text)}.` : daily.projectedEnd ? "." : ""}`;
  return (
    <ChartFigure
      title="This period, day by day"
      summary={summary}
      table={{
        label: "Usage by day",
        columns: [{ name: "Day" }, { name: "Credits used so far", numeric: true }],
        rows: [
          ...daily.days.map((d) => ({ key: d.date, cells: [d.date, format(d.cumulative.text)] })),
          ...(daily.projectedEnd
            ? [{ key: "projected", cells: ["Projected end of period", format(daily.projectedEnd.text)] }]
            : []),
        ],
      }}
    >
      <ResponsiveContainer width="100%" height="100%">
        <LineChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.2} vertical={false} />
          <XAxis dataKey="day" tick={AXIS} />
          <YAxis tick={AXIS} width={56} />
          <Tooltip />
          <Legend />
          <Line dataKey="used" name="Used so far" stroke={USED} strokeWidth={2} dot={false} isAnimationActive={false} />
          <Line
            dataKey="projected"
            name="Projected"
            stroke={USED}
            strokeDasharray="4 4"
            dot={false}
            connectNulls
            isAnimationActive={false}
          />
          {daily.limit ? (
            <ReferenceLine
              // The limit stays in view even far above today's usage: how far off it is, is the point.
              ifOverflow="extendDomain"
              y={daily.limit.value}
              stroke={LIMIT}
              strokeDasharray="6 3"
              label={{ value: "Limit", fill: LIMIT, fontSize: 12 }}
            />
          ) : null}
        </LineChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}

/** The Billing Groups overview: the org's running total this period against the previous one. */
export function OrgComparisonChart({ overview }: { overview: BillingGroupsOverviewDto }) {
  const format = useCreditsFormat();
  const credits = (text: string) => `${format(text)} Credits`;
  const change =
    overview.changePercent === null
      ? `${overview.previousLabel} had no usage by day ${overview.day}.`
      : `${Math.abs(overview.changePercent)} % ${overview.changePercent >= 0 ? "more" : "less"} than ${overview.previousLabel} by the same day (${credits(overview.previousPeriod.text)}).`;
  const series = overview.series.map((d) => ({
    day: d.day,
    thisPeriod: d.thisPeriod?.value ?? null,
    previousPeriod: d.previousPeriod?.value ?? null,
  }));
  const summary = `${overview.periodLabel}, through day ${overview.day}: ${credits(overview.thisPeriod.text)}. ${change}`;
  return (
    <ChartFigure
      title="Organization usage"
      summary={summary}
      table={{
        label: "Organization usage by day",
        columns: [
          { name: "Day" },
          { name: overview.periodLabel, numeric: true },
          { name: overview.previousLabel, numeric: true },
        ],
        rows: overview.series.map((d) => ({
          key: String(d.day),
          cells: [
            String(d.day),
            d.thisPeriod ? format(d.thisPeriod.text) : "—",
            d.previousPeriod ? format(d.previousPeriod.text) : "—",
          ],
        })),
      }}
    >
      <ResponsiveContainer width="100%" height="100%">
        <LineChart accessibilityLayer={false} data={series} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.2} vertical={false} />
          <XAxis dataKey="day" tick={AXIS} />
          <YAxis tick={AXIS} width={56} />
          <Tooltip />
          <Legend />
          <Line
            dataKey="thisPeriod"
            name={overview.periodLabel}
            stroke={USED}
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
          <Line
            dataKey="previousPeriod"
            name={overview.previousLabel}
            stroke={PREVIOUS}
            strokeDasharray="4 4"
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}
