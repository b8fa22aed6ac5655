import "server-only";
import { getDb } from "@/db";
import { now as clockNow } from "@/lib/clock";
import { logFailure } from "@/lib/log";
import { orgsWithEventDeliveriesDue, orgsWithUndispatchedEvents } from "./queries";

// R40's minute, run by the job runner once across all instances (running it twice at once is
// harmless): judges forecasts, then wakes the dispatcher of every org with events not yet fanned
// out and the deliverer of every org with deliveries due (retries, and anything a lost wake-up
// left behind). The wake-ups after a commit make the normal case fast; this makes it certain.

export type EventsTickOutcome = {
  forecastOrgs: number;
  forecastsFired: number;
  dispatchWoken: number;
  deliverWoken: number;
};

export async function runEventsTick(params: {
  wakeDispatch: (orgId: string) => Promise<void>;
  wakeDeliver: (orgId: string) => Promise<void>;
  evaluateForecasts: () => Promise<{ orgs: number; fired: number }>;
  now?: Date;
}): Promise<EventsTickOutcome> {
  // A failing forecast judgement must not stop the sweep below: alerts already written still go out.
  const forecasts = await params.evaluateForecasts().catch((error: unknown) => {
    logFailure("events.tick.forecasts", error);
    return { orgs: 0, fired: 0 };
  });
  const outcome: EventsTickOutcome = {
    forecastOrgs: forecasts.orgs,
    forecastsFired: forecasts.fired,
    dispatchWoken: 0,
    deliverWoken: 0,
  };
  for (const orgId of await orgsWithUndispatchedEvents(getDb())) {
    await params.wakeDispatch(orgId);
    outcome.dispatchWoken += 1;
  }
  for (const orgId of await orgsWithEventDeliveriesDue(getDb(), params.now ?? clockNow())) {
    await params.wakeDeliver(orgId);
    outcome.deliverWoken += 1;
  }
  return outcome;
}
