"use client";

import * as Popover from "@radix-ui/react-popover";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState } from "react";
import { markAllNotificationsReadAction, markNotificationReadAction } from "@/app/(console)/notifications/actions";
import { Button } from "@/components/ui/button";
import { useServerAction } from "@/components/ui/use-server-action";
import { now } from "@/lib/clock";
import { fetchConsoleJson } from "@/lib/console-fetch";
import type { NotificationDto, NotificationsDto, UnreadNotificationsDto } from "@/lib/notifications/dto";
import { formatRelativeTime, unreadBadge } from "@/lib/notifications/rules";

const PATH = "/api/console/notifications";
/** The unread count is polled this often, and re-read whenever the window regains focus. */
const POLL_MS = 30_000;

/**
 * R40, the shell's bell (SPEC §10: a button named `Notifications`): the unread count as a badge,
 * and a popover with the list (newest first), `Mark read`, `Mark all read` and `Load more`.
 * Radix's popover manages focus: it moves into the list on open and back to the bell on Escape.
 */
export function NotificationsBell() {
  const [open, setOpen] = useState(false);
  const countId = useId();
  const headingId = useId();
  const unread = useQuery({
    queryKey: ["notifications", "unread"],
    queryFn: () => fetchConsoleJson<UnreadNotificationsDto>(PATH, { unread: "1" }),
    refetchInterval: POLL_MS,
    refetchOnWindowFocus: true,
  });
  const count = unread.data?.unread ?? 0;
  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger
        aria-label="Notifications"
        aria-describedby={countId}
        className="relative inline-flex h-8 w-8 items-center justify-center rounded-md text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        <BellIcon />
        {count > 0 ? (
          <span
            aria-hidden="true"
            data-testid="notifications-badge"
            className="absolute -top-1 -right-1 min-w-4 rounded-full bg-red-700 px-1 text-center text-[10px] leading-4 font-semibold text-white"
          >
            {unreadBadge(count)}
          </span>
        ) : null}
      </Popover.Trigger>
      {/* The count for assistive technology: the button's description ("3 unread"). */}
      <span id={countId} hidden>
        {count === 0 ? "No unread notifications" : `${count} unread`}
      </span>
      <Popover.Portal>
        <Popover.Content
          align="start"
          side="right"
          sideOffset={8}
          aria-labelledby={headingId}
          className="z-50 flex max-h-[80vh] w-96 flex-col rounded-md border border-slate-200 bg-white shadow-lg"
        >
          <NotificationsPanel headingId={headingId} unread={count} onNavigate={() => setOpen(false)} />
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}

function NotificationsPanel({
  headingId,
  unread,
  onNavigate,
}: {
  headingId: string;
  unread: number;
  onNavigate: () => void;
}) {
  const list = useInfiniteQuery({
    queryKey: ["notifications", "list"],
    queryFn: ({ pageParam }) => fetchConsoleJson<NotificationsDto>(PATH, pageParam ? { cursor: pageParam } : {}),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    staleTime: 0,
  });
  const markAll = useServerAction(markAllNotificationsReadAction, { errors: "toast" });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <div className="flex items-center justify-between gap-2 border-b border-slate-200 px-4 py-3">
        <h2 id={headingId} className="text-base font-semibold">
          Notifications
        </h2>
        <Button
          variant="secondary"
          className="!px-2 !py-1 text-xs"
          disabled={unread === 0 || markAll.pending}
          onClick={() => markAll.run({})}
        >
          Mark all read
        </Button>
      </div>
      <div className="min-h-0 overflow-y-auto">
        {list.isError ? (
          <p role="alert" className="px-4 py-3 text-sm text-red-700">
            {list.error.message}
          </p>
        ) : list.isPending ? (
          <p className="px-4 py-3 text-sm text-slate-600">Loading…</p>
        ) : items.length === 0 ? (
          <p className="px-4 py-6 text-sm text-slate-600">
            No notifications yet. Alerts appear here when a billing group&apos;s usage reaches its alert thresholds.
          </p>
        ) : (
          // biome-ignore lint/a11y/noRedundantRoles: Safari drops list semantics from a styled <ul> without it
          <ul role="list" aria-label="Notifications" className="divide-y divide-slate-100">
            {items.map((item) => (
              <NotificationItem key={item.id} item={item} onNavigate={onNavigate} />
            ))}
          </ul>
        )}
        {list.hasNextPage ? (
          <div className="border-t border-slate-100 px-4 py-2">
            <Button
              variant="ghost"
              className="w-full"
              disabled={list.isFetchingNextPage}
              onClick={() => list.fetchNextPage()}
            >
              Load more
            </Button>
          </div>
        ) : null}
      </div>
    </>
  );
}

function NotificationItem({ item, onNavigate }: { item: NotificationDto; onNavigate: () => void }) {
  const markRead = useServerAction(markNotificationReadAction, { errors: "toast" });
  return (
    <li className={`px-4 py-3 text-sm ${item.read ? "" : "bg-indigo-50/60"}`}>
      <div className="flex items-start gap-2">
        {item.read ? (
          <span aria-hidden="true" className="mt-1.5 h-2 w-2 shrink-0" />
        ) : (
          <span aria-hidden="true" className="mt-1.5 h-2 w-2 shrink-0 rounded-full bg-indigo-700" />
        )}
        <div className="min-w-0 flex-1">
          <p className="font-medium text-slate-900">
            {item.read ? null : <span className="sr-only">Unread: </span>}
            {item.title}
          </p>
          <p className="text-slate-700">{item.detail}</p>
          <div className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-600">
            <time dateTime={item.createdAt} title={item.createdAt}>
              {formatRelativeTime(item.createdAt, now())}
            </time>
            {item.href && item.billingGroup ? (
              <Link href={item.href} onClick={onNavigate} className="text-indigo-800 underline underline-offset-2">
                Open {item.billingGroup.name}
              </Link>
            ) : null}
            {item.read ? null : (
              <button
                type="button"
                className="rounded px-1 font-medium text-indigo-800 hover:bg-indigo-100 focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:text-slate-400"
                disabled={markRead.pending}
                onClick={() => markRead.run({ eventId: item.id })}
                aria-label={`Mark read: ${item.title}`}
              >
                Mark read
              </button>
            )}
          </div>
        </div>
      </div>
    </li>
  );
}

function BellIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth={2}>
      <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" strokeLinecap="round" strokeLinejoin="round" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
