"use client";

import type { BillingGroupsOverviewDto, BillingGroupTrendsDto } from "@/lib/billing-groups/trends-dto";
import dynamic from "next/dynamic";
import { useCreditsFormat } from "@/components/locale-provider";
import { ChartFigure } from "./chart-figure";

// The drawings load after the page (issue 19: recharts is ~145 kB gzip of a page's first load);
// the figure's title, summary and data table, which carry every figure, render at once.
const PeriodUsageDrawing = dynamic(() => import("./drawings").then((m) => m.PeriodUsageDrawing), { ssr: false });
const DailyUsageDrawing = dynamic(() => import("./drawings").then((m) => m.DailyUsageDrawing), { ssr: false });
const OrgComparisonDrawing = dynamic(() => import("./drawings").then((m) => m.OrgComparisonDrawing), { ssr: false });

// R45's three charts: what each shows in words (summary, data table) and, from ./drawings, the
// drawing. The drawings' keyboard layer is off: they are hidden from assistive technology
// (ChartFigure), whose summary and data table carry the same figures.

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
      <PeriodUsageDrawing data={data} />
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
      <DailyUsageDrawing data={data} limit={daily.limit?.value ?? null} />
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
      <OrgComparisonDrawing series={series} periodLabel={overview.periodLabel} previousLabel={overview.previousLabel} />
    </ChartFigure>
  );
}
