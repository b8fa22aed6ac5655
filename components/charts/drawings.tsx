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

// R45's drawings (recharts), loaded on demand by ./usage-charts. Colours hold 3:1 against both
// themes' backgrounds; the limit is also told apart by its dash, not by colour alone.
const USED = "#6366f1";
const LIMIT = "#dc2626";
const PREVIOUS = "#64748b";
const AXIS = { fontSize: 12, fill: "currentColor" };

export function PeriodUsageDrawing({ data }: { data: { label: string; used: number; limit: number | null }[] }) {
  return (
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
  );
}

export function DailyUsageDrawing({
  data,
  limit,
}: {
  data: { day: number; used: number | null; projected: number | null }[];
  limit: number | null;
}) {
  return (
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
        {limit !== null ? (
          <ReferenceLine
            // The limit stays in view even far above today's usage: how far off it is, is the point.
            ifOverflow="extendDomain"
            y={limit}
            stroke={LIMIT}
            strokeDasharray="6 3"
            label={{ value: "Limit", fill: LIMIT, fontSize: 12 }}
          />
        ) : null}
      </LineChart>
    </ResponsiveContainer>
  );
}

export function OrgComparisonDrawing({
  series,
  periodLabel,
  previousLabel,
}: {
  series: { day: number; thisPeriod: number | null; previousPeriod: number | null }[];
  periodLabel: string;
  previousLabel: string;
}) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart accessibilityLayer={false} data={series} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.2} vertical={false} />
        <XAxis dataKey="day" tick={AXIS} />
        <YAxis tick={AXIS} width={56} />
        <Tooltip />
        <Legend />
        <Line
          dataKey="thisPeriod"
          name={periodLabel}
          stroke={USED}
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
        />
        <Line
          dataKey="previousPeriod"
          name={previousLabel}
          stroke={PREVIOUS}
          strokeDasharray="4 4"
          dot={false}
          isAnimationActive={false}
        />
      </LineChart>
    </ResponsiveContainer>
  );
}
