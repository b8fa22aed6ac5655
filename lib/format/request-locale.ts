import "server-only";
import { headers } from "next/headers";
import { formatCredits } from "@/lib/credits/rules";
import { displayCredits, localeFromAcceptLanguage } from "./locale";

/** The reader's locale for this request (Accept-Language), as the console layout resolves it. */
export async function requestLocale(): Promise<string> {
  return localeFromAcceptLanguage((await headers()).get("accept-language"));
}

/** For server components: Credits (hundredths or R25 text) formatted for this request's reader. */
export async function creditsFormatter(): Promise<(value: bigint | string) => string> {
  const locale = await requestLocale();
  return (value) => displayCredits(typeof value === "bigint" ? formatCredits(value) : value, locale);
}
